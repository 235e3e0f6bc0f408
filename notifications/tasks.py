"""Celery tasks of the outbox and their dispatch. Tasks take ids and call `delivery`."""
from __future__ import annotations

import datetime as dt
import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import connections
from django.utils import timezone

from . import delivery
from .channels import TransientDeliveryError
from .models import Message

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=8, acks_late=True)
def message_deliver(self, message_id: int) -> bool:
    try:
        return delivery.message_deliver(message_id=message_id)
    except TransientDeliveryError as exc:
        if self.request.is_eager:
            return False  # embedded mode: stays pending; `outbox_flush` tries again later
        if self.request.retries >= self.max_retries:
            delivery.message_mark_failed(message_id=message_id, error=str(exc))
            return False
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 3600))


def _deliver_in_background(*message_ids: int) -> None:
    try:
        for message_id in message_ids:
            try:
                delivery.message_deliver(message_id=message_id)
            except TransientDeliveryError as exc:
                log.warning("outbox: message %s stays pending for a retry: %s", message_id, exc)
            except Exception:
                log.exception("outbox: message %s stays pending after an error", message_id)
    finally:
        connections.close_all()  # this thread's own connections


def dispatch(message_id: int) -> None:
    """Hand the message to Celery, after commit. Never sends in the request: without a
    broker (the embedded default, Celery eager) the delivery runs in a thread of its own
    and the request answers at once; a mail server that does not answer costs that
    thread EMAIL_TIMEOUT and leaves the message pending for `outbox_flush`. If the
    broker is down the row stays pending and `outbox_flush` picks it up later."""
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "OUTBOX_DELIVER_IN_BACKGROUND", True):
        threading.Thread(target=_deliver_in_background, args=(message_id,), name=f"outbox-{message_id}",
                         daemon=True).start()
        return
    try:
        message_deliver.delay(message_id)
    except Exception as exc:  # broker unreachable (kombu OperationalError, ConnectionError …)
        log.warning("outbox: broker unavailable, message %s stays pending: %s", message_id, exc)


def dispatch_many(message_ids: list[int]) -> None:
    """`dispatch` for many messages; without a broker one thread delivers them in turn."""
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "OUTBOX_DELIVER_IN_BACKGROUND", True):
        if message_ids:
            threading.Thread(target=_deliver_in_background, args=tuple(message_ids),
                             name=f"outbox-{message_ids[0]}+{len(message_ids) - 1}", daemon=True).start()
        return
    for pk in message_ids:
        dispatch(pk)


def dispatch_pending(*, older_than: dt.timedelta = dt.timedelta(seconds=60)) -> int:
    cutoff = timezone.now() - older_than
    ids = list(Message.objects.filter(status=Message.PENDING, created_at__lte=cutoff).values_list("pk", flat=True))
    for pk in ids:
        dispatch(pk)
    return len(ids)


@shared_task
def outbox_flush() -> int:
    return dispatch_pending()
