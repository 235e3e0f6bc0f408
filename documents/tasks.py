"""Celery tasks for documents. They take ids and call the service; no logic here."""
import logging
import threading

from celery import shared_task
from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)


@shared_task(name="documents.document_issue", bind=True, max_retries=5, default_retry_delay=10, acks_late=True)
def document_issue(self, document_id: int, actor_id: int | None = None) -> str:
    """Number and render a document whose issuing was asked for in a committed step."""
    from django.contrib.auth import get_user_model

    from .issuing import document_issue_after_commit

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return document_issue_after_commit(document_id=document_id, actor=actor).render_status
    except Exception as exc:  # retried; the row shows 排队生成中 or 生成失败 meanwhile
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc)


@shared_task(name="documents.document_render", bind=True, max_retries=5, default_retry_delay=10, acks_late=True)
def document_render(self, document_id: int) -> str:
    from .issuing import document_render as render

    try:
        return render(document_id=document_id).render_status
    except Exception as exc:  # retried; the row shows 生成失败 meanwhile
        raise self.retry(exc=exc)


@shared_task(name="documents.case_file_build", bind=True, max_retries=3, default_retry_delay=30, acks_late=True)
def case_file_build(self, request_id: int, actor_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from .casefile import case_file_build as build
    from .selectors import case_for

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return build(actor=actor, request=case_for(request_id)).pk
    except Exception as exc:
        raise self.retry(exc=exc)


def _build_in_background(request_id: int, actor_id: int | None) -> None:
    try:
        case_file_build.apply(args=(request_id, actor_id), throw=True)
    except Exception:
        log.exception("case file of request %s not built; it can be built again from the case page", request_id)
    finally:
        connections.close_all()  # this thread's own connections


def start_thread(target, *args) -> None:
    threading.Thread(target=target, args=args, name=f"case-file-{args[0]}", daemon=True).start()


def case_file_build_dispatch(request_id: int, actor_id: int | None = None) -> None:
    """Build the case file after commit, never inside the request: in a Celery worker with
    a broker; without one (the embedded default, Celery eager) in a thread beside the
    request, so archiving answers at once and the case page shows 正在生成卷宗 meanwhile."""
    if settings.CELERY_TASK_ALWAYS_EAGER and getattr(settings, "CASE_FILE_BUILD_IN_BACKGROUND", True):
        start_thread(_build_in_background, request_id, actor_id)
        return
    case_file_build.delay(request_id, actor_id)
