"""Writing to the outbox and delivering from it."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from .channels import TransientDeliveryError, send_email, send_sms
from .models import Message

log = logging.getLogger(__name__)


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
    message, created = Message.objects.get_or_create(
        key=key,
        defaults=dict(channel=channel, to_user=to_user, to_address=to_address, subject=subject[:200], body=body,
                      agency=agency, link=link,
                      object_type=obj._meta.label_lower if obj is not None else "",
                      object_id=str(obj.pk) if obj is not None else ""),
    )
    if created:
        if channel == Message.INAPP:
            message.status, message.sent_at = Message.SENT, timezone.now()
            message.save(update_fields=["status", "sent_at"])
        else:
            transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id: int) -> None:
    """Hand the message to Celery. If the broker is down the row stays pending and
    `outbox_flush` picks it up later: nothing is lost."""
    from .tasks import message_deliver

    try:
        message_deliver.delay(message_id)
    except Exception as exc:  # broker unreachable (kombu OperationalError, ConnectionError …)
        log.warning("outbox: broker unavailable, message %s stays pending: %s", message_id, exc)


def message_deliver(*, message_id: int) -> bool:
    """Send one pending message; True if sent now. Safe to call twice: the row is locked
    and a sent message is never sent again."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == Message.SENT:
            return False
        message.attempts += 1
        try:
            if message.channel == Message.EMAIL:
                send_email(message)
            elif message.channel == Message.SMS:
                send_sms(message)
        except TransientDeliveryError as exc:
            failure = exc
            message.last_error = str(exc)[:1000]
            message.save(update_fields=["attempts", "last_error"])  # committed: the attempt is on record
        else:
            message.status, message.sent_at, message.last_error = Message.SENT, timezone.now(), ""
            message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            return True
    raise failure


def message_mark_failed(*, message_id: int, error: str) -> None:
    Message.objects.filter(pk=message_id, status=Message.PENDING).update(status=Message.FAILED, last_error=error[:1000])


def outbox_flush(*, older_than: dt.timedelta = dt.timedelta(seconds=60)) -> int:
    """Re-dispatch pending messages (after a broker outage). Returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(Message.objects.filter(status=Message.PENDING, created_at__lte=cutoff).values_list("pk", flat=True))
    for pk in ids:
        _dispatch(pk)
    return len(ids)


def notice_mark_read(*, user, message_id: int) -> None:
    Message.objects.filter(pk=message_id, to_user=user, channel=Message.INAPP, read_at__isnull=True).update(
        read_at=timezone.now())
