"""What an applicant does on the portal is recorded as done by the applicant (not 系统),
and a fee counts as paid only when staff record the payment."""
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.test import Client
from viewflow.workflow.models import Task

from audit.models import AuditEvent
from legal.selectors import local_today
from notifications.models import Message
from portal.views import FEE_CLAIM_RECORDED
from workflows import services as svc
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus

from ..applications import submit as submit_at_the_counter
from .test_apply_and_track import new_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    caches["shared"].clear()  # the rate-limit counters


def event(case, action):
    return AuditEvent.objects.get(object_type="workflows.disclosurerequest", object_id=str(case.pk), action=action)


def test_an_online_application_is_recorded_as_submitted_by_the_applicant(client, agency):
    tracking, _ = new_case(client, agency)
    case = DisclosureRequest.objects.get(tracking_number=tracking)
    submitted = event(case, "request.submitted")
    assert submitted.actor is None and submitted.actor_label == "申请人 张三"
    assert submitted.actor_detail["address"] == "127.0.0.1"
    assert submitted.actor_detail["via"] == "网上门户" and len(submitted.actor_detail["portal_session"]) == 16
    assert client.session.session_key not in str(submitted.actor_detail)  # a digest of the session, never its key
    assert not AuditEvent.objects.filter(object_type="workflows.disclosurerequest", object_id=str(case.pk),
                                         actor_label="系统").exists()


def test_a_withdrawal_names_the_applicant_and_the_tracking_number(client, agency):
    tracking, _ = new_case(client, agency)
    client.post(f"/cases/{tracking}/withdraw/", {"reason": "已从其他渠道获得", "confirm": "on"})
    case = DisclosureRequest.objects.get(tracking_number=tracking)
    withdrawn = event(case, "request.withdrawn")
    assert withdrawn.actor_label == f"申请人 张三（{tracking}）"
    assert withdrawn.actor_detail["tracking_number"] == tracking
    submitted = event(case, "request.submitted")
    assert withdrawn.actor_detail["portal_session"] == submitted.actor_detail["portal_session"]


def awaiting_fee(client, agency, people, land):
    case, code = submit_at_the_counter(agency, people["registrar"])
    svc.request_register(actor=people["registrar"], case=case)
    svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    svc.request_fee_notice(actor=people["handler"], case=case, amount=Decimal("100"), basis="按件计收，第11件起每件100元")
    client.post("/track/", {"tracking_number": case.tracking_number, "access_code": code})
    return DisclosureRequest.objects.get(pk=case.pk)


def test_i_have_paid_is_a_claim_the_clock_waits_for_staff(client, agency, people, land):
    case = awaiting_fee(client, agency, people, land)
    assert "我已缴费" in client.get(f"/cases/{case.tracking_number}/").content.decode()

    resp = client.post(f"/cases/{case.tracking_number}/fee/", {"decision": "paid"}, follow=True)
    page = resp.content.decode()
    assert FEE_CLAIM_RECORDED in page and "待本机关核实到账" in page
    assert "我已缴费" not in page  # the claim is made once

    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.AWAITING_FEE and case.clock.paused
    assert case.fee_notices.get().paid_on is None
    claim = event(case, "request.fee_payment_claimed")
    assert claim.actor_label == f"申请人 张三（{case.tracking_number}）"
    told = Message.objects.get(channel=Message.INAPP, to_user=people["handler"], subject__startswith="申请人告知已缴费")
    assert "100" in told.body and "核实到账后登记缴费" in told.body

    # The handler sees the claim on the 登记缴费 page and records the payment there.
    staff = Client()
    staff.force_login(people["handler"])
    task = Task.objects.filter(process__in=case.processes.values("pk"), flow_task=Flow.fee_wait).exclude(
        status__in=["DONE", "CANCELED"]).get()
    if task.status == "NEW":
        staff.post(Flow.fee_wait.reverse("assign", args=[task.process_id, task.pk]))
    url = Flow.fee_wait.reverse("execute", args=[task.process_id, task.pk])
    page = staff.get(url).content.decode()
    assert "在网上告知已缴费" in page and "100" in page
    resp = staff.post(url, {"paid_on": local_today().isoformat()})
    assert resp.status_code == 302
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.IN_PROGRESS and not case.clock.paused
    assert event(case, "request.fee_paid").actor == people["handler"]
    assert "已确认缴费" in client.get(f"/cases/{case.tracking_number}/").content.decode()


def test_only_staff_can_record_a_payment(agency, people, land, client):
    case = awaiting_fee(client, agency, people, land)
    with pytest.raises(PermissionDenied):
        svc.request_fee_paid(actor=None, case=case)
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.AWAITING_FEE
