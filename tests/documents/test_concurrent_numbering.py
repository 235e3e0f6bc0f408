"""Two concurrent issues never get the same number and never skip one (PostgreSQL)."""
import threading

import pytest
from django.db import connection, connections

from documents import kinds
from documents.models import Document
from documents.services import case_document_draft, case_document_issue, case_document_sign

from .conftest import make_case

THREADS, EACH = 6, 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_is_unique_and_gapless(agency, monkeypatch):
    if connection.vendor != "postgresql":
        reason = "concurrent numbering needs PostgreSQL row locks; DATABASE_URL is not PostgreSQL"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    # Numbering is under test, not rendering: keep the threads fast.
    monkeypatch.setattr("documents.issuing.render_pdf", lambda html: (b"%PDF-1.7 test", "0" * 64, 0.0))
    case = make_case(agency)
    drafts = [case_document_sign(actor=None, document=case_document_draft(actor=None, request=case, kind=kinds.REPLY))
              for _ in range(THREADS * EACH)]
    barrier, errors = threading.Barrier(THREADS), []

    def work(batch):
        try:
            barrier.wait()
            for doc in batch:
                case_document_issue(actor=None, document=doc)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(drafts[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    serials = sorted(Document.objects.filter(request=case).values_list("serial", flat=True))
    assert serials == list(range(1, THREADS * EACH + 1))
    numbers = list(Document.objects.filter(request=case).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
