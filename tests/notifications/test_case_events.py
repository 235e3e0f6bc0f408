"""Applicants and staff hear about the changes that concern them, through the outbox."""
import pytest

from notifications.models import Message
from tests.applications import accepted, submit, svc

pytestmark = pytest.mark.django_db


def test_online_submission_tells_the_registrars(agency, people):
    case, _ = svc.request_submit(actor=None, agency=agency, applicant_type="natural", applicant_name="张三",
                                 id_type="passport", id_number="E12345678", phone="13800138000", channel="online",
                                 form_wanted="electronic", delivery_wanted="online", items=[{"title": "预算报告"}])
    notice = Message.objects.get(to_user=people["registrar"], channel=Message.INAPP)
    assert case.tracking_number in notice.subject


def test_applicant_is_told_of_registration_and_supplement_by_email_and_sms(agency, people, django_capture_on_commit_callbacks):
    case, _ = submit(agency, people["registrar"])
    with django_capture_on_commit_callbacks(execute=True):
        case = svc.request_register(actor=people["registrar"], case=case)
    kinds = set(Message.objects.filter(object_id=str(case.pk), to_user__isnull=True).values_list("channel", "subject"))
    assert (Message.SMS, "申请已登记") in kinds
    with django_capture_on_commit_callbacks(execute=True):
        svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的年份", days=10)
    sms = Message.objects.get(channel=Message.SMS, subject="请补正申请")
    assert sms.to_address == "13800000000" and sms.status == Message.SENT
    assert "请在" in sms.body and case.tracking_number in sms.body


def test_routing_tells_the_handler(agency, people, land):
    accepted(agency, people, land)
    notice = Message.objects.get(to_user=people["handler"], channel=Message.INAPP)
    assert "分配给您办理" in notice.body
