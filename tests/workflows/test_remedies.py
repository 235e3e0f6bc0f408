"""Reconsideration and litigation (行政复议 / 行政诉讼) recorded per case: registered with the
answer's last day computed by the law, answered, concluded, their papers kept and served
only to those who may see them, reminded like any other deadline, told in the case's story."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from legal.selectors import local_today
from notifications.models import Message
from tests.applications import accepted
from workflows.demo import sample_pdf
from workflows.models import RemedyProceeding
from workflows.reminders import reminders_sweep
from workflows.services import remedy as svc

from ..conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def b_dept(other_agency):
    from agencies.services import department_create

    return department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")


@pytest.fixture
def case(agency, people, land):
    return accepted(agency, people, land)


def lawsuit(people, case, received="2026-09-20", **kw):
    return svc.remedy_register(actor=people["legal"], kind="litigation", case=case, applicant="张三",
                               received_on=d(received), case_number="（2026）豫0411行初45号", **kw)


def test_a_lawsuit_received_before_national_day_is_answered_after_it_and_names_the_agencys_court(people, case):
    p = lawsuit(people, case)
    assert p.answer_due == d("2026-10-08")  # 5 October is a National Day holiday
    assert p.body == "平顶山市湛河区人民法院"  # the agency's setting, as its replies name it
    assert p.department == case.department and not p.after_reconsideration


def test_a_reconsideration_counts_ten_working_days_and_names_the_reconsideration_body(people, case):
    p = svc.remedy_register(actor=people["registrar"], kind="reconsideration", case=case, applicant="张三",
                            received_on=d("2026-09-20"))
    assert p.answer_due == d("2026-10-10")  # the make-up working Saturday is the 10th working day
    assert p.body == "平顶山市石龙区人民政府"


def test_the_deadline_cannot_be_typed(people, case):
    with pytest.raises(TypeError):
        svc.remedy_register(actor=people["legal"], kind="litigation", case=case, applicant="张三",
                            received_on=d("2026-09-20"), answer_due=d("2026-12-31"))


def test_a_handler_may_read_but_not_register_and_another_agency_may_not_touch_it(people, case, make_staff,
                                                                               other_agency, b_dept):
    from agencies import roles

    with pytest.raises(PermissionDenied):
        lawsuit({"legal": people["handler"]}, case)
    stranger = make_staff(roles.LEGAL_REVIEWER, agency_=other_agency, department_=b_dept, username="b_legal")
    with pytest.raises(PermissionDenied):
        lawsuit({"legal": stranger}, case)
    p = lawsuit(people, case)
    with pytest.raises(PermissionDenied):
        svc.remedy_answer_record(actor=stranger, proceeding=p, answered_on=d("2026-09-30"))
    assert RemedyProceeding.objects.visible_to(people["handler"]).filter(pk=p.pk).exists()
    assert not RemedyProceeding.objects.visible_to(stranger).exists()


def test_litigation_after_reconsideration_links_to_it_and_bad_links_are_refused(people, case):
    rec = svc.remedy_register(actor=people["legal"], kind="reconsideration", case=case, applicant="张三",
                              received_on=d("2026-03-02"))
    suit = lawsuit(people, case, received="2026-06-01", follows=rec)
    assert suit.after_reconsideration and suit.follows == rec
    with pytest.raises(ValidationError) as err:
        svc.remedy_register(actor=people["legal"], kind="reconsideration", case=case, applicant="张三",
                            received_on=d("2026-06-01"), follows=rec)
    assert svc.ERR_REMEDY_FOLLOWS_KIND in err.value.messages
    with pytest.raises(ValidationError) as err:
        svc.remedy_register(actor=people["legal"], kind="reconsideration", case=None, applicant="张三",
                            received_on=d("2026-06-01"), co_defendant=True)
    assert svc.ERR_REMEDY_CO_DEFENDANT in err.value.messages
    with pytest.raises(ValidationError) as err:
        lawsuit(people, case, received=(local_today() + dt.timedelta(days=1)).isoformat())
    assert svc.ERR_REMEDY_RECEIVED in err.value.messages


def test_answer_and_result_are_recorded_once_and_told_in_the_case_story(people, case):
    p = lawsuit(people, case)
    svc.remedy_answer_record(actor=people["legal"], proceeding=p, answered_on=d("2026-09-30"))
    with pytest.raises(ValidationError):
        svc.remedy_answer_record(actor=people["legal"], proceeding=p, answered_on=d("2026-10-01"))
    with pytest.raises(ValidationError) as err:
        svc.remedy_result_record(actor=people["chief"], proceeding=p, result="upheld", result_on=d("2026-09-01"))
    assert svc.ERR_REMEDY_RESULT_ON in err.value.messages
    svc.remedy_result_record(actor=people["chief"], proceeding=p, result="corrected", result_on=d("2026-11-20"),
                             detail="判决撤销，责令重新答复")
    with pytest.raises(ValidationError) as err:
        svc.remedy_result_record(actor=people["chief"], proceeding=p, result="upheld", result_on=d("2026-11-21"))
    assert svc.ERR_REMEDY_CONCLUDED in err.value.messages
    p.refresh_from_db()
    assert (p.answered_on, p.result, p.result_label) == (d("2026-09-30"), "corrected", "纠正")
    events = AuditEvent.objects.filter(object_type="workflows.disclosurerequest", object_id=str(case.pk),
                                       action__startswith="remedy.").order_by("id")
    assert [e.action for e in events] == ["remedy.registered", "remedy.answered", "remedy.concluded"]
    assert events[0].actor == people["legal"] and events[2].reason == "判决撤销，责令重新答复"


def test_papers_are_opened_before_they_are_kept_and_served_only_to_those_who_see_the_case(
        client, people, case, make_staff, other_agency, b_dept):
    from agencies import roles

    p = lawsuit(people, case)
    with pytest.raises(ValidationError) as err:
        svc.remedy_document_attach(actor=people["legal"], proceeding=p, title="起诉状副本",
                                   file=SimpleUploadedFile("起诉状.pdf", b"%PDF-1.7 not really", "application/pdf"))
    assert "无法打开" in err.value.messages[0]
    doc = svc.remedy_document_attach(actor=people["legal"], proceeding=p, title="起诉状副本", file=sample_pdf("起诉状"))
    assert doc.original_name == "起诉状.pdf" and "起诉状" not in doc.file.name  # stored under a random name
    url = reverse("workflow:remedy_document", args=[p.pk, doc.pk])
    client.force_login(people["handler"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(make_staff(*roles.ROLE_PERMISSIONS, agency_=other_agency, department_=b_dept, username="b_all"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("workflow:remedy_detail", args=[p.pk])).status_code == 404


def test_staff_register_from_the_case_page_and_see_the_deadline_in_the_list_and_on_the_case(client, people, case):
    client.force_login(people["legal"])
    page = client.get(reverse("workflow:case_detail", args=[case.pk])).content.decode()
    assert "行政复议和行政诉讼" in page and "登记行政诉讼" in page
    form = client.get(reverse("workflow:remedy_new") + f"?case={case.pk}&kind=litigation").content.decode()
    assert case.registration_number in form and "平顶山市湛河区人民法院" in form
    response = client.post(reverse("workflow:remedy_new"), {
        "kind": "litigation", "case_ref": case.registration_number, "applicant": "张三",
        "case_number": "（2026）豫0411行初45号", "received_on": "2026-11-20"})
    assert response.status_code == 302, response.content.decode()[:2000]
    p = RemedyProceeding.objects.get()
    assert p.answer_due == d("2026-12-07")  # 5 December is a Saturday
    detail = client.get(response["Location"]).content.decode()
    assert "2026年12月7日" in detail and "行政诉讼法》第六十七条" in detail and "登记行政复议或行政诉讼" in detail
    listing = client.get(reverse("workflow:remedies:index")).content.decode()
    left = (d("2026-12-07") - local_today()).days
    assert "（2026）豫0411行初45号" in listing and (f"剩余 {left} 日" in listing or "已超期" in listing)
    case_page = client.get(reverse("workflow:case_detail", args=[case.pk])).content.decode()
    assert "（2026）豫0411行初45号" in case_page and "登记行政复议或行政诉讼" in case_page
    # the answer and the result through the page
    response = client.post(response["Location"], {"step": "answer", "answered_on": "2026-11-30"})
    assert response.status_code == 302
    response = client.post(reverse("workflow:remedy_detail", args=[p.pk]), {"step": "result", "result": "nope",
                                                                           "result_on": "2026-12-01"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    p.refresh_from_db()
    assert p.answered_on == d("2026-11-30") and p.result == ""


def test_a_wrong_case_number_is_a_chinese_error_and_nothing_is_written(client, people, case):
    client.force_login(people["legal"])
    response = client.post(reverse("workflow:remedy_new"), {
        "kind": "reconsideration", "case_ref": "不存在", "applicant": "张三", "received_on": "2026-11-20"})
    assert response.status_code == 200 and "没有找到该申请" in response.content.decode()
    assert not RemedyProceeding.objects.exists()


def test_the_sweep_reminds_of_answers_due_soon_due_today_and_overdue(people, case):
    p = lawsuit(people, case, received="2026-11-20")  # due Monday 7 December
    fired = reminders_sweep(today=d("2026-12-03"))
    assert fired.get("remedy_due_soon") == 1
    assert Message.objects.filter(to_user=people["legal"], subject__contains="答复期限提醒", channel="inapp").exists()
    assert reminders_sweep(today=d("2026-12-03")).get("remedy_due_soon", 0) == 0  # once
    assert reminders_sweep(today=d("2026-12-07")).get("remedy_due_today") == 2  # the person in charge and the keeper
    assert reminders_sweep(today=d("2026-12-08")).get("remedy_overdue") == 1
    assert Message.objects.filter(to_user=people["chief"], subject__contains="已超期", channel="inapp").exists()
    svc.remedy_answer_record(actor=people["legal"], proceeding=p, answered_on=local_today())
    assert not any(k.startswith("remedy") for k in reminders_sweep(today=d("2026-12-09")))


def test_a_calendar_change_moves_an_open_answer_deadline_and_says_why(people, case, calendar_admin):
    from legal.models import CalendarDay
    from legal.services import calendar_day_set

    p = lawsuit(people, case, received="2026-11-20")  # due Monday 7 December
    answered = lawsuit(people, case, received="2026-11-20")
    svc.remedy_answer_record(actor=people["legal"], proceeding=answered, answered_on=d("2026-11-30"))
    calendar_day_set(actor=calendar_admin, date=d("2026-12-07"), is_workday=False, kind=CalendarDay.LOCAL_HOLIDAY,
                     name="地方民族节日", reason="自治县条例规定")
    p.refresh_from_db()
    answered.refresh_from_db()
    assert p.answer_due == d("2026-12-08") and answered.answer_due == d("2026-12-07")
    moved = AuditEvent.objects.get(action="remedy.deadline_moved")
    assert moved.before == {"answer_due": "2026-12-07"} and "自治县条例规定" in moved.reason


def test_the_list_asks_the_same_number_of_queries_for_2_and_8_proceedings(client, people, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["legal"])
    url = reverse("workflow:remedies:index")

    def count():
        client.get(url)  # warm the calendar and the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    for _ in range(2):
        lawsuit(people, case, received="2026-11-20")
    few = count()
    for i in range(6):
        p = lawsuit(people, case, received="2026-11-02")
        if i % 2:
            svc.remedy_answer_record(actor=people["legal"], proceeding=p, answered_on=d("2026-11-10"))
    assert count() == few
