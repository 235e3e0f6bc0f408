"""个人信息保护法 Art. 51: every reading by staff of an applicant's personal data or of a
document is on record (who, what, when), kept apart from the story of the case; a redrafted
reply records what it replaced."""
import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import VIEWED_DOCUMENT, VIEWED_PERSONAL_DATA
from tests.applications import accepted, determine_all, svc
from workflows.demo import disclosed_attachments
from workflows.models import DisclosureRequest

pytestmark = pytest.mark.django_db


def reads(case=None, **kw):
    qs = AuditEvent.objects.filter(action__in=[VIEWED_PERSONAL_DATA, VIEWED_DOCUMENT], **kw).order_by("id")
    if case is not None:
        qs = qs.filter(object_type="workflows.disclosurerequest", object_id=str(case.pk))
    return list(qs)


def signed_reply(agency, people, land):
    case = accepted(agency, people, land)
    determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    return DisclosureRequest.objects.get(pk=case.pk)


def test_opening_a_case_page_is_recorded_with_the_reader_and_not_told_as_a_step(client, agency, people, land):
    case = accepted(agency, people, land)
    client.force_login(people["chief"])
    page = client.get(reverse("workflow:case_detail", args=[case.pk]))
    assert page.status_code == 200
    [event] = reads(case)
    assert event.actor == people["chief"] and event.action == VIEWED_PERSONAL_DATA
    assert event.after == {"what": "案件页面"} and event.agency_id == agency.pk
    assert "查看申请人个人信息" not in page.content.decode()  # the case's story lists what was done, not who looked


def test_reading_a_document_and_its_pdf_is_recorded(client, agency, people, land):
    case = signed_reply(agency, people, land)
    reply = case.documents.get(kind="reply", status="issued")
    client.force_login(people["registrar"])
    assert client.get(reverse("documents:documents:pdf", args=[reply.pk])).status_code == 200
    events = AuditEvent.objects.filter(action=VIEWED_DOCUMENT, object_type="documents.document", object_id=str(reply.pk))
    assert [(e.actor, e.after["what"]) for e in events] == [(people["registrar"], "文书PDF")]


def test_a_refused_look_records_nothing_and_the_applicant_is_not_recorded_as_staff(client, agency, other_agency, people, land):
    from agencies import roles
    from agencies.services import staff_create

    case = accepted(agency, people, land)
    outsider = staff_create(actor=None, username="outsider", password="pw-for-tests-123", full_name="外机关",
                            agency=other_agency, roles=[roles.HANDLER])
    client.force_login(outsider)
    assert client.get(reverse("workflow:case_detail", args=[case.pk])).status_code == 404
    assert reads(case) == []


def test_a_redrafted_reply_records_what_it_replaced(agency, people, land):
    case = accepted(agency, people, land)
    determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, text="请于工作日到政务服务中心领取。",
                            attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=people["chief"], case=case, approve=False, comments="补充说明写错了地点")
    svc.request_reply_draft(actor=people["handler"], case=DisclosureRequest.objects.get(pk=case.pk),
                            text="请于工作日到区档案馆领取。")
    first, second = AuditEvent.objects.filter(action="request.reply_drafted", object_id=str(case.pk)).order_by("id")
    assert first.before["note"] == "" and first.after["note"] == "请于工作日到政务服务中心领取。"
    assert second.before["note"] == "请于工作日到政务服务中心领取。" and second.after["note"] == "请于工作日到区档案馆领取。"
    assert second.before["attachments"] and second.before["attachments"] == second.after["attachments"]
