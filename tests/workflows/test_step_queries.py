"""The step frame (issue 17, item 3): registering, routing and deciding an application
take the same number of queries whatever else the installation holds, and a notice a
step issues is written once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.applications import accepted, determine_all, reply_to_archive, submit
from workflows import services as svc

pytestmark = pytest.mark.django_db


def _steps(agency, people, land) -> dict[str, int]:
    counts = {}
    case, _code = submit(agency, people["registrar"])
    with CaptureQueriesContext(connection) as ctx:
        case = svc.request_register(actor=people["registrar"], case=case)
    counts["register"] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    counts["accept"] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        svc.request_determine(actor=people["handler"], case=case, decisions=[
            {"item": it.pk, "outcome": "1", "reasoning": "依法公开"} for it in case.items.all()])
    counts["determine"] = len(ctx.captured_queries)
    return counts


def test_a_step_costs_the_same_queries_with_more_history(agency, people, land):
    _steps(agency, people, land)  # caches warm (calendar, permissions)
    first = _steps(agency, people, land)
    for _ in range(3):  # more cases, archived with every document and event they bring
        reply_to_archive(determine_all(accepted(agency, people, land), people["handler"]), people)
    assert _steps(agency, people, land) == first
    # with what runs after commit here (the receipt numbered and rendered inline, the notices sent)
    assert first["register"] <= 53 and first["accept"] <= 21 and first["determine"] <= 27, first


def test_the_receipt_a_registration_issues_is_written_once(agency, people):
    case, _code = submit(agency, people["registrar"])
    with CaptureQueriesContext(connection) as ctx:
        svc.request_register(actor=people["registrar"], case=case)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "documents_document"')]
    updates = [q["sql"] for q in ctx.captured_queries  # signing, then asking for issue, as separate writes
               if q["sql"].startswith('UPDATE "documents_document" SET "status" = \'signed\'')
               or q["sql"].startswith('UPDATE "documents_document" SET "render_status" = \'pending\'')]
    assert len(inserts) == 1 and not updates
    receipt = case.documents.get(kind="receipt")
    assert receipt.status == "issued" and receipt.number and receipt.sha256  # issued after the commit
