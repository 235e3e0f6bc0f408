"""The outbox: any app writes a message here in the transaction of the change that
causes it; delivery starts after commit (`tasks`, `delivery`). Who is told what is the
calling app's business (e.g. `workflows.notices`)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dbrows import Inserter

from .models import Message
from .tasks import dispatch, dispatch_many, dispatch_pending


def _message(*, key: str, channel: str, subject: str, body: str, to_user=None, to_address: str = "",
             agency=None, obj=None, link: str = "") -> Message | None:
    """The unsaved message, or None when there is nowhere to send it. An in-app notice is
    delivered by being written."""
    if channel == Message.EMAIL and not (to_address or getattr(to_user, "email", "")):
        return None
    if channel == Message.SMS and not to_address:
        return None
    if channel == Message.EMAIL and not to_address:
        to_address = to_user.email
    delivered = dict(status=Message.SENT, sent_at=timezone.now()) if channel == Message.INAPP else {}
    return Message(key=key, channel=channel, to_user=to_user, to_address=to_address, subject=subject[:200], body=body,
                   agency=agency, link=link, object_type=obj._meta.label_lower if obj is not None else "",
                   object_id=str(obj.pk) if obj is not None else "", **delivered)


_INSERT = Inserter(Message, unless_exists=("key",))  # no signal listens to messages


def _require_transaction(what: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the transaction of the change that causes it")


def message_enqueue(*, key: str, channel: str, subject: str, body: str, to_user=None, to_address: str = "",
                    agency=None, obj=None, link: str = "") -> Message | None:
    """Write one message in the caller's transaction; delivery starts after commit.
    The same key never makes a second message. Returns None when there is nowhere to send."""
    _require_transaction("message_enqueue")
    message = _message(key=key, channel=channel, subject=subject, body=body, to_user=to_user, to_address=to_address,
                       agency=agency, obj=obj, link=link)
    if message is None:
        return None
    # Written first and read only when the key is already there (a step redone): the usual
    # case is a new message, one INSERT that skips an existing key, no SELECT before it.
    if _INSERT.insert(message) is None:
        return Message.objects.get(key=key)
    if channel != Message.INAPP:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


class Outbox:
    """Many messages written at once (a sweep's reminders), in the caller's transaction:
    `add` as `message_enqueue` takes them, `write` inserts them in a few statements
    (a key already in the outbox is skipped, as `message_enqueue` skips it) and hands the
    new ones to delivery after commit."""

    BATCH = 2000

    def __init__(self):
        self.messages: list[Message] = []

    def add(self, **kwargs) -> Message | None:
        message = _message(**kwargs)
        if message is not None:
            self.messages.append(message)
        return message

    def write(self) -> int:
        _require_transaction("Outbox.write")
        if not self.messages:
            return 0
        Message.objects.bulk_create(self.messages, batch_size=self.BATCH, ignore_conflicts=True)
        keys = [m.key for m in self.messages if m.channel != Message.INAPP]
        ids: list[int] = []
        for i in range(0, len(keys), self.BATCH):  # the new ones still to deliver
            ids += Message.objects.filter(key__in=keys[i:i + self.BATCH], status=Message.PENDING,
                                          sent_at__isnull=True, attempts=0).values_list("pk", flat=True)
        if ids:
            transaction.on_commit(lambda: dispatch_many(ids))
        written, self.messages = len(self.messages), []
        return written


def outbox_flush(*, older_than: dt.timedelta = dt.timedelta(seconds=60)) -> int:
    """Re-dispatch pending messages (after a broker outage). Returns how many."""
    return dispatch_pending(older_than=older_than)


def notice_mark_read(*, user, message_id: int) -> None:
    Message.objects.filter(pk=message_id, to_user=user, channel=Message.INAPP, read_at__isnull=True).update(
        read_at=timezone.now())
