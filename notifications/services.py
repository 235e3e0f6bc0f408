"""The outbox: any app writes a message here in the transaction of the change that
causes it; delivery starts after commit (`tasks`, `delivery`). Who is told what is the
calling app's business (e.g. `workflows.notices`)."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Message
from .tasks import dispatch, dispatch_pending


def message_enqueue(*, key: str, channel: str, subject: str, body: str, to_user=None, to_address: str = "",
                    agency=None, obj=None, link: str = "") -> Message | None:
    """Write one message in the caller's transaction; delivery starts after commit.
    The same key never makes a second message. Returns None when there is nowhere to send."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("message_enqueue must run inside the transaction of the change that causes it")
    if channel == Message.EMAIL and not (to_address or getattr(to_user, "email", "")):
        return None
    if channel == Message.SMS and not to_address:
        return None
    if channel == Message.EMAIL and not to_address:
        to_address = to_user.email
    # Written first and read only when the key is already there (a step redone): the usual
    # case is a new message, one INSERT in a savepoint rather than a SELECT before it.
    # An in-app notice is delivered by being written.
    delivered = dict(status=Message.SENT, sent_at=timezone.now()) if channel == Message.INAPP else {}
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key, channel=channel, to_user=to_user, to_address=to_address, subject=subject[:200], body=body,
                agency=agency, link=link, object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "", **delivered)
    except IntegrityError:
        message = Message.objects.filter(key=key).first()
        if message is None:
            raise
        return message
    if channel != Message.INAPP:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


def outbox_flush(*, older_than: dt.timedelta = dt.timedelta(seconds=60)) -> int:
    """Re-dispatch pending messages (after a broker outage). Returns how many."""
    return dispatch_pending(older_than=older_than)


def notice_mark_read(*, user, message_id: int) -> None:
    Message.objects.filter(pk=message_id, to_user=user, channel=Message.INAPP, read_at__isnull=True).update(
        read_at=timezone.now())
