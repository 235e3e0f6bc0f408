"""Delivery adapters. E-mail goes through Django's mail backends (SMTP from the
environment); SMS through an adapter chosen by OGI_SMS_ADAPTER (console in development)."""
from __future__ import annotations

import logging
import os
import sys
from importlib import import_module

from django.conf import settings
from django.core.mail import EmailMessage

log = logging.getLogger(__name__)


class TransientDeliveryError(Exception):
    """The channel is down; try again later."""


class ConsoleSms:
    def send(self, *, to: str, text: str, key: str) -> None:
        sys.stdout.write(f"[SMS to {to}] {text}\n")


def sms_adapter():
    dotted = os.environ.get("OGI_SMS_ADAPTER", "notifications.channels.ConsoleSms")
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)()


def send_email(message) -> None:
    email = EmailMessage(
        subject=message.subject, body=message.body + (f"\n\n{message.link}" if message.link else ""),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to_address],
        headers={"Message-ID": f"<{message.key.replace(':', '.')}@ogi>"},  # lets a mail server drop a re-send
    )
    try:
        email.send(fail_silently=False)
    except (OSError, ConnectionError) as exc:
        raise TransientDeliveryError(str(exc)) from exc


def send_sms(message) -> None:
    try:
        sms_adapter().send(to=message.to_address, text=f"{message.subject}：{message.body}"[:300], key=message.key)
    except (OSError, ConnectionError) as exc:
        raise TransientDeliveryError(str(exc)) from exc
