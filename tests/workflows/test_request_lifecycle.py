"""An application from registration to archive, driven through the services and the flow."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.status import STATUS

from legal.selectors import local_today
from tests.applications import (
    accepted,
    actions,
    determine_all,
    ledger,
    open_steps,
    open_tasks,
    registered,
    reply_to_archive,
    submit,
    svc,
    task_of,
)
from workflows.demo import disclosed_attachments
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus
from workflows.services import _step, intake

pytestmark = pytest.mark.django_db


def test_paper_application_registered_with_gapless_number_and_receipt(agency, people):
    case, code = submit(agency, people["registrar"], channel="post")
    assert case.status == RequestStatus.SUBMITTED and len(code) == 8 and code not in case.access_code_hash
    assert open_steps(case) == ["register"]
    with pytest.raises(ValidationError) as exc:
        svc.request_register(actor=people["registrar"], case=case)
    assert intake.ERR_SIGNED_FOR_REQUIRED in exc.value.messages
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=local_today())
    assert case.status == RequestStatus.REGISTERED
    assert case.registration_number == f"{local_today().year}-0001"
    assert case.received_on == local_today()
    assert ledger(case) == [("start", "")]
    assert case.documents.filter(kind="receipt").exists()
    second = registered(agency, people)
    assert second.registration_number == f"{local_today().year}-0002"
    assert open_steps(case) == ["check_completeness"]
    assert actions(case) == ["request.submitted", "request.registered"]


def test_registration_to_archive(agency, people, land):
    case = accepted(agency, people, land)
    assert case.status == RequestStatus.IN_PROGRESS and case.department == land
    handle = task_of(case, Flow.handle)
    assert handle.owner == people["handler"] and handle.status == STATUS.ASSIGNED
    case = determine_all(case, people["handler"])
    assert case.status == RequestStatus.CONFIDENTIALITY_REVIEW and case.outcome == "1"
    assert open_steps(case) == ["confidentiality_review"]
    case = reply_to_archive(case, people)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.ARCHIVED and case.is_read_only
    assert open_tasks(case) == []
    assert case.processes.get().status == "DONE"
    assert ledger(case) == [("start", ""), ("stop", "")]
    assert case.clock.stopped_on == local_today()
    assert case.delivery.tracking_number == "1190012345678"
    assert actions(case) == [
        "request.submitted", "request.registered", "request.routed", "request.determined",
        "request.confidentiality_cleared", "request.reply_drafted", "request.signed_off", "request.reply_issued",
        "request.delivered", "request.archived", "case_file.built",
    ]
    assert {d.kind for d in case.documents.all()} == {"receipt", "reply", "approval_sheet", "service_proof"}
    with pytest.raises(ValidationError):
        svc.request_withdraw(actor=people["registrar"], case=case, reason="晚了")


def test_an_online_applicant_without_a_postal_address_is_served_online(agency, people, land):
    """Applying online needs no postal address; the reply fetched on the portal is served
    there (网上送达), and the 送达回证 names the portal as where it was served."""
    from documents.content import ONLINE_SERVICE_ADDRESS
    from workflows.models import Delivery

    case = determine_all(accepted(agency, people, land, channel="online", address=""), people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    svc.request_delivery_record(actor=people["registrar"], case=case, method=Delivery.ONLINE, delivered_on=local_today())
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.DELIVERED and case.clock.stopped_on == local_today()
    proof = case.documents.get(kind="service_proof")
    assert ["送达地址", ONLINE_SERVICE_ADDRESS] in [list(r) for r in proof.data.get("rows", [])] or \
        ONLINE_SERVICE_ADDRESS in proof.html


def test_handler_claims_from_department_queue_and_reassignment_needs_reason(agency, people, land):
    case = accepted(agency, people, land, handler=None)
    handle = task_of(case, Flow.handle)
    assert handle.status == STATUS.NEW and handle.owner is None
    with pytest.raises(PermissionDenied):
        svc.request_task_claim(actor=people["ogi_handler"], case=case, task=handle)  # other department
    svc.request_task_claim(actor=people["handler"], case=case, task=handle)
    with pytest.raises(ValidationError) as exc:
        svc.request_task_claim(actor=people["handler2"], case=case, task=handle)
    assert exc.value.messages == [_step.ERR_TASK_TAKEN.format(name="王承办")]
    case.refresh_from_db(fields=["handler"])
    assert case.handler == people["handler"]
    with pytest.raises(ValidationError):
        svc.request_reassign(actor=people["chief"], case=case, to_user=people["handler2"], reason=" ")
    svc.request_reassign(actor=people["chief"], case=case, to_user=people["handler2"], reason="王承办休假")
    assert task_of(case, Flow.handle).owner == people["handler2"]
    with pytest.raises(PermissionDenied):
        determine_all(case, people["handler"])
    determine_all(DisclosureRequest.objects.get(pk=case.pk), people["handler2"])
    assert "request.reassigned" in actions(case)


def test_confidentiality_return_and_sign_off_return_loop_back(agency, people, land):
    case = determine_all(accepted(agency, people, land), people["handler"])
    with pytest.raises(ValidationError):
        svc.request_confidentiality_return(actor=people["secrecy"], case=case, reasons="")
    case = svc.request_confidentiality_return(actor=people["secrecy"], case=case, reasons="第2页含个人信息")
    assert case.status == RequestStatus.IN_PROGRESS and open_steps(case) == ["handle"]
    assert task_of(case, Flow.handle).owner == people["handler"]
    case = determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    with pytest.raises(ValidationError):
        svc.request_sign_off(actor=people["chief"], case=case, approve=False)
    case = svc.request_sign_off(actor=people["chief"], case=case, approve=False, comments="补充救济途径")
    assert case.status == RequestStatus.DRAFTING and open_steps(case) == ["draft_reply"]
    assert case.notes.filter(kind="sign_off_returned").exists()
    svc.request_reply_draft(actor=people["handler"], case=case, text="如需纸质件，请与联系人联系。")
    case = svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    assert case.status == RequestStatus.ISSUED and open_steps(case) == ["deliver"]


def test_only_the_right_roles_act(agency, other_agency, people, land, make_staff):
    from agencies import roles

    case = accepted(agency, people, land)
    with pytest.raises(PermissionDenied):
        svc.request_confidentiality_clear(actor=people["handler"], case=case)
    from agencies.services import department_create

    finance = department_create(actor=None, agency=other_agency, name="财政局", code="finance")
    stranger = make_staff(roles.HANDLER, agency_=other_agency, department_=finance, username="anyue")
    with pytest.raises(PermissionDenied):
        determine_all(case, stranger)
    with pytest.raises(PermissionDenied):
        determine_all(case, people["auditor"])
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.IN_PROGRESS


def test_withdrawal_cancels_open_tasks_and_stops_the_clock(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_third_party_consult(actor=people["handler"], case=case, third_party="某公司", matter="涉及商业秘密")
    case = svc.request_withdraw(actor=people["registrar"], case=case, reason="申请人书面撤回")
    assert case.status == RequestStatus.WITHDRAWN and case.outcome == "6.3"
    assert open_tasks(case) == []
    assert case.processes.get().status == "CANCELED"
    assert ledger(case)[-1] == ("stop", "")
    assert not case.clock.segments.filter(kind="pause", end_date__isnull=True).exists()
    assert actions(case)[-1] == "request.withdrawn"
    with pytest.raises(ValidationError):
        svc.request_withdraw(actor=people["registrar"], case=case)
