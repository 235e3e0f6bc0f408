import io

import pytest

from documents import kinds
from documents.models import Document, DocumentStatus, RenderStatus
from documents.services import case_document_issue_now
from workflows.demo_documents import seed_demo_documents as seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_leaves_issued_documents_of_every_kind_and_is_idempotent(agency):
    seed_demo(io.StringIO())
    issued = set(Document.objects.filter(status=DocumentStatus.ISSUED).values_list("kind", flat=True))
    assert issued == set(kinds.KINDS)
    count = Document.objects.count()
    seed_demo(io.StringIO())
    assert Document.objects.count() == count


def test_with_a_broker_numbering_and_rendering_are_queued_after_commit(case, monkeypatch):
    # A broker is stood in for by catching what is queued (Celery reads its settings once
    # per process, so the eager setting itself is not switched here).
    queued = []
    monkeypatch.setattr("documents.tasks.document_issue.delay", lambda pk, actor_id: queued.append(pk))
    doc = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    assert queued == [doc.pk]
    waiting = Document.objects.get(pk=doc.pk)
    assert waiting.render_status == RenderStatus.PENDING and waiting.number == "" and waiting.status == "signed"
    from documents.tasks import document_issue

    document_issue.run(doc.pk, None)  # what the worker does
    done = Document.objects.get(pk=doc.pk)
    assert done.status == DocumentStatus.ISSUED and done.number and done.render_status == RenderStatus.DONE
