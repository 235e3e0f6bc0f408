"""Delivering one message through its channel (e-mail, SMS; in-app needs no delivery).
Run by the Celery task `notifications.tasks.message_deliver` after commit."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .channels import TransientDeliveryError, send_email, send_sms
from .models import Message


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
