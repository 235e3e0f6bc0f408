from celery import shared_task

from . import services
from .channels import TransientDeliveryError


@shared_task(bind=True, max_retries=8, acks_late=True)
def message_deliver(self, message_id: int) -> bool:
    try:
        return services.message_deliver(message_id=message_id)
    except TransientDeliveryError as exc:
        if self.request.is_eager:
            return False  # embedded mode: stays pending; `outbox_flush` tries again later
        if self.request.retries >= self.max_retries:
            services.message_mark_failed(message_id=message_id, error=str(exc))
            return False
        raise self.retry(exc=exc, countdown=min(30 * 2 ** self.request.retries, 3600))


@shared_task
def outbox_flush() -> int:
    return services.outbox_flush()


@shared_task
def reminders_sweep() -> dict:
    from .reminders import reminders_sweep as sweep

    return sweep()
