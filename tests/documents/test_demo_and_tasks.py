import io

import pytest
from django.test import override_settings

from documents import kinds
from documents.demo import seed_demo
from documents.models import Document, DocumentStatus, RenderStatus
from documents.services import case_document_issue_now

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_issued_documents_of_every_kind_and_is_idempotent(agency):
    seed_demo(io.StringIO())
    issued = set(Document.objects.filter(status=DocumentStatus.ISSUED).values_list("kind", flat=True))
    assert issued == set(kinds.KINDS)
    count = Document.objects.count()
    seed_demo(io.StringIO())
    assert Document.objects.count() == count


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_with_a_broker_rendering_is_queued_after_commit(case, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("documents.tasks.document_render.delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        doc = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    assert queued == [doc.pk]
    assert Document.objects.get(pk=doc.pk).render_status == RenderStatus.PENDING
    from documents.tasks import document_render

    document_render.run(doc.pk)  # what the worker does
    assert Document.objects.get(pk=doc.pk).render_status == RenderStatus.DONE
