"""Delivering one message through its channel (e-mail, SMS; in-app needs no delivery).
Run by the Celery task `notifications.tasks.message_deliver` after commit."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .channels import TransientDeliveryError, send_email, send_sms
from .models import Message

# Long enough for the slowest send (the mail and SMS timeouts) with room to spare.
SENDING_LEASE_SECONDS = max(getattr(settings, "EMAIL_TIMEOUT", None) or 60, getattr(settings, "SMS_TIMEOUT", 10)) * 3 + 30


def message_deliver(*, message_id: int) -> bool:
    """Send one pending message; True if sent now. Safe to call twice: the message is
    claimed in a short transaction, sent with no transaction open (a slow mail server
    holds no lock: on SQLite a write lock would stop every other writer), and a sent or
    claimed message is never sent again."""
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Message.PENDING:
            return False
        if message.sending_until is not None and message.sending_until > now:
            return False  # another worker is sending it
        message.attempts += 1
        message.sending_until = now + dt.timedelta(seconds=SENDING_LEASE_SECONDS)
        message.save(update_fields=["attempts", "sending_until"])
    try:
        if message.channel == Message.EMAIL:
            send_email(message)
        elif message.channel == Message.SMS:
            send_sms(message)
    except TransientDeliveryError as exc:
        Message.objects.filter(pk=message.pk).update(last_error=str(exc)[:1000], sending_until=None)
        raise
    except Exception as exc:  # an adapter's own bug: free the claim, keep the message for a retry
        Message.objects.filter(pk=message.pk).update(last_error=repr(exc)[:1000], sending_until=None)
        raise
    Message.objects.filter(pk=message.pk).update(status=Message.SENT, sent_at=timezone.now(), last_error="",
                                                 sending_until=None)
    return True


def message_mark_failed(*, message_id: int, error: str) -> None:
    Message.objects.filter(pk=message_id, status=Message.PENDING).update(status=Message.FAILED, last_error=error[:1000])
