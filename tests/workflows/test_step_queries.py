"""The step frame (issue 17, item 3): registering, routing and deciding an application
take the same number of queries whatever else the installation holds, and a notice a
step issues is written once."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.applications import accepted, determine_all, registered, reply_to_archive, submit
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


def _columns(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_step_lock_reads_process_case_and_agency_as_the_orm_does(agency, people, land):
    from django.db import transaction

    from workflows.models import DisclosureRequest, RequestProcess
    from workflows.services._step import lock_case

    case = accepted(agency, people, land)
    with transaction.atomic():
        locked = lock_case(case)
        assert _columns(locked) == _columns(DisclosureRequest.objects.get(pk=case.pk))
        assert _columns(locked.agency) == _columns(agency.__class__.objects.get(pk=agency.pk))
        process = locked.locked_process
        assert _columns(process) == _columns(RequestProcess.objects.filter(case=case).order_by("-pk").first())
        assert process.case is locked and process.flow_class.process_class is RequestProcess
        assert locked.updated_at == DisclosureRequest.objects.get(pk=case.pk).updated_at  # an aware datetime


def test_a_step_writes_back_only_the_columns_it_changed(agency, people, land):
    case = registered(agency, people)
    with CaptureQueriesContext(connection) as ctx:
        svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    update = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "workflows_disclosurerequest"'))
    assert '"department_id"' in update and '"handler_id"' in update and '"status"' in update
    assert '"applicant_name"' not in update and '"description"' not in update  # not changed: not written
    from workflows.models import DisclosureRequest

    case = DisclosureRequest.objects.get(pk=case.pk)
    assert (case.status, case.department, case.handler) == ("in_progress", land, people["handler"])


def test_gateway_rows_are_written_once_done_and_linked_as_viewflow_links_them(agency, people, land):
    from viewflow.workflow.status import STATUS

    from tests.applications import task_of
    from workflows.flows import DisclosureRequestFlow as F

    case = registered(agency, people)
    with CaptureQueriesContext(connection) as ctx:
        svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    sql = [q["sql"] for q in ctx.captured_queries]
    sql = sql[:next(i for i, s in enumerate(sql) if s.startswith("RELEASE"))]  # the step, not its after-commit work
    assert not any(s.startswith("SAVEPOINT") for s in sql[1:])  # the step's own transaction only
    gateway = task_of(case, F.is_complete)
    assert not any(s.startswith('UPDATE "viewflow_task"') and f'"id" = {gateway.pk}' in s for s in sql)
    assert gateway.status == STATUS.DONE and gateway.finished is not None
    assert list(gateway.previous.all()) == [task_of(case, F.check_completeness)]
    handle = task_of(case, F.handle)
    assert list(handle.previous.all()) == [gateway] and handle.owner == people["handler"]
    determine_all(case, people["handler"])  # through the Switch
    route = task_of(case, F.route)
    assert route.status == STATUS.DONE and list(route.previous.all()) == [handle]
    assert list(task_of(case, F.confidentiality_review).previous.all()) == [route]
