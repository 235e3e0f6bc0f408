"""Celery tasks for documents. They take ids and call the service; no logic here."""
from celery import shared_task


@shared_task(name="documents.document_render", bind=True, max_retries=5, default_retry_delay=10, acks_late=True)
def document_render(self, document_id: int) -> str:
    from .services import document_render as render

    try:
        return render(document_id=document_id).render_status
    except Exception as exc:  # retried; the row shows 生成失败 meanwhile
        raise self.retry(exc=exc)


@shared_task(name="documents.case_file_build", bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def case_file_build(self, request_id: int, actor_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from workflows.models import DisclosureRequest

    from .casefile import case_file_build as build

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return build(actor=actor, request=DisclosureRequest.objects.get(pk=request_id)).pk
    except Exception as exc:
        raise self.retry(exc=exc)
