"""Two people completing the same task at the same moment: exactly one succeeds, the
other gets a clear message, nothing is half-written. Needs PostgreSQL row locks."""
import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from viewflow.workflow.status import STATUS

from audit.models import AuditEvent
from tests.applications import accepted, determine_all, open_steps, svc, task_of
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus
from workflows.services import _step

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        print("needs PostgreSQL: SQLite has no select_for_update; `make test` runs this on PostgreSQL")
        pytest.skip("needs PostgreSQL: select_for_update row locks (set DATABASE_URL=postgres://…; `make test` does)")


def race(*calls):
    """Run the calls at the same moment in threads; return [(result, exception)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = (fn(), None)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_reviewers_clear_the_same_task_at_once(agency, people, land, make_staff):
    from agencies import roles

    second = make_staff(roles.CONFIDENTIALITY_REVIEWER, username="secrecy2", full_name="二号保密员")
    case = determine_all(accepted(agency, people, land), people["handler"])
    results = race(
        lambda: svc.request_confidentiality_clear(actor=people["secrecy"], case=case, note="一号"),
        lambda: svc.request_confidentiality_clear(actor=second, case=case, note="二号"),
    )
    ok = [r for r, e in results if e is None]
    failed = [e for r, e in results if e is not None]
    assert len(ok) == 1 and len(failed) == 1, results
    assert isinstance(failed[0], (ValidationError, PermissionDenied))
    assert failed[0].messages[0] in (_step.ERR_TASK_GONE, _step.ERR_BUSY) if isinstance(failed[0], ValidationError) else True
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.DRAFTING
    assert AuditEvent.objects.filter(action="request.confidentiality_cleared", object_id=str(case.pk)).count() == 1
    assert open_steps(case) == ["draft_reply"]
    assert task_of(case, Flow.confidentiality_review).status == STATUS.DONE


def test_two_handlers_claim_the_same_queued_task(agency, people, land):
    case = accepted(agency, people, land, handler=None)
    task = task_of(case, Flow.handle)
    results = race(
        lambda: svc.request_task_claim(actor=people["handler"], case=case, task=task),
        lambda: svc.request_task_claim(actor=people["handler2"], case=case, task=task),
    )
    errors = [e for _r, e in results if e is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    winner = task_of(case, Flow.handle).owner
    assert errors[0].messages == [_step.ERR_TASK_TAKEN.format(name=winner.get_full_name())]
    assert DisclosureRequest.objects.get(pk=case.pk).handler == winner
    assert AuditEvent.objects.filter(action="request.task_claimed", object_id=str(case.pk)).count() == 1


def test_two_handlers_decide_at_once(agency, people, land):
    case = accepted(agency, people, land)
    item = case.items.get()
    results = race(
        lambda: svc.request_determine(actor=people["handler"], case=case, decisions=[
            {"item": item.pk, "outcome": "1"}]),
        lambda: svc.request_determine(actor=people["handler"], case=case, decisions=[
            {"item": item.pk, "outcome": "4.1", "reasoning": "经检索没有"}]),
    )
    assert sum(e is None for _r, e in results) == 1, results
    case = DisclosureRequest.objects.get(pk=case.pk)
    item.refresh_from_db()
    assert case.outcome == item.outcome and case.status == RequestStatus.CONFIDENTIALITY_REVIEW
    assert AuditEvent.objects.filter(action="request.determined", object_id=str(case.pk)).count() == 1
    assert open_steps(case) == ["confidentiality_review"]
