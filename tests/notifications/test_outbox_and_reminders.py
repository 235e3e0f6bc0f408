import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from agencies import roles
from legal.services import clock_open
from notifications.delivery import message_deliver
from notifications.models import Message
from notifications.services import message_enqueue, outbox_flush
from workflows.models import DisclosureRequest, RequestStatus
from workflows.reminders import reminders_sweep

from ..conftest import d

pytestmark = pytest.mark.django_db(transaction=True)


class DownBackend:
    def __init__(self, *a, **kw):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def enqueue(key="k1", to="zhang@example.com"):
    with transaction.atomic():
        return message_enqueue(key=key, channel=Message.EMAIL, to_address=to, subject="补正告知", body="请补正")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_message_is_delivered_after_commit_and_never_twice():
    msg = enqueue()
    msg.refresh_from_db()
    assert msg.status == Message.SENT and len(mail.outbox) == 1
    assert enqueue().pk == msg.pk  # same key: no second message
    assert message_deliver(message_id=msg.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_written_or_sent_when_the_change_rolls_back():
    with pytest.raises(ValueError):
        with transaction.atomic():
            message_enqueue(key="rollback", channel=Message.EMAIL, to_address="a@b.cn", subject="x", body="y")
            raise ValueError("the state change failed")
    assert not Message.objects.filter(key="rollback").exists()


def test_mail_server_down_keeps_the_message_then_flush_sends_it_once():
    with override_settings(EMAIL_BACKEND="tests.notifications.test_outbox_and_reminders.DownBackend"):
        msg = enqueue(key="down")
    msg.refresh_from_db()
    assert msg.status == Message.PENDING and msg.attempts == 1 and "down" in msg.last_error
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert outbox_flush(older_than=dt.timedelta(0)) == 1
        assert outbox_flush(older_than=dt.timedelta(0)) == 0
    msg.refresh_from_db()
    assert msg.status == Message.SENT and len(mail.outbox) == 1


def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        message_enqueue(key="x", channel=Message.INAPP, subject="x", body="y")


@pytest.fixture
def open_case(agency, department, make_staff):
    handler = make_staff(roles.HANDLER, full_name="王承办", email="wang@example.gov.cn")
    chief = make_staff(roles.PERSON_IN_CHARGE, full_name="吴负责", email="wu@example.gov.cn")
    clock = clock_open(actor=None, label="2025-0001", received_on=d("2025-09-30"), agency=agency)
    case = DisclosureRequest.objects.create(
        agency=agency, department=department, handler=handler, registration_number="2025-0001", tracking_number="T1",
        applicant_type="natural", applicant_name="张三", id_type="resident_id", id_number="x", phone="1",
        channel="in_person", submitted_at=timezone.now(), received_on=d("2025-09-30"), form_wanted="paper",
        delivery_wanted="post", status=RequestStatus.IN_PROGRESS, clock=clock)
    return case, handler, chief


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_reminders_fire_once_per_threshold(open_case):
    case, handler, chief = open_case  # due 2025-11-04

    def inbox(user):
        return list(Message.objects.filter(to_user=user, channel=Message.INAPP).values_list("subject", flat=True))

    assert reminders_sweep(today=d("2025-10-27")).get("handler_5", 0) == 0  # 6 days left
    assert reminders_sweep(today=d("2025-10-28"))["handler_5"] == 1  # 5 left
    assert reminders_sweep(today=d("2025-10-28")).get("handler_5", 0) == 0  # same day again: nothing
    assert reminders_sweep(today=d("2025-10-29")).get("handler_5", 0) == 0  # 4 left: same band
    assert reminders_sweep(today=d("2025-10-31"))["handler_2"] == 1  # 2 left
    assert reminders_sweep(today=d("2025-11-04"))["due_today"] == 1
    assert reminders_sweep(today=d("2025-11-05"))["overdue"] == 1
    assert reminders_sweep(today=d("2025-11-06")).get("overdue", 0) == 0
    assert inbox(handler) == ["【期限提醒】2025-0001 剩余 2 个工作日", "【期限提醒】2025-0001 剩余 5 个工作日"]
    assert inbox(chief) == ["【已超期】2025-0001", "【今日到期】2025-0001"]
    assert Message.objects.filter(to_user=handler, channel=Message.INAPP).first().link == f"/staff/workflow/cases/{case.pk}/"
    digests = [m for m in mail.outbox if "每日待办" in m.subject]
    assert len(digests) == len({"2025-10-27", "2025-10-28", "2025-10-29", "2025-10-31", "2025-11-04", "2025-11-05",
                                "2025-11-06"})
    assert "wang@example.gov.cn" in digests[0].to


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_paused_clock_sends_no_countdown(open_case):
    from legal import clock as rules
    from legal.services import clock_pause

    case, handler, chief = open_case
    clock_pause(actor=None, clock=case.clock, pause_reason=rules.PAUSE_THIRD_PARTY, on=d("2025-10-20"))
    assert reminders_sweep(today=d("2025-11-10")) == {"digest": 1}
