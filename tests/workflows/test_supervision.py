"""督办: the person in charge sees the agency's overdue and near-due open cases and
presses one (催办); the people it waits on are told in-app, the case records it. And
every task given to someone tells them."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies import roles
from agencies.services import department_create
from audit.labels import action_label
from legal.selectors import get_calendar, local_today
from notifications.models import Message
from tests.applications import accepted, actions, days_ago, reply_to_archive, submit, svc
from workflows.services.supervision import ERR_URGE_CLOSED

pytestmark = pytest.mark.django_db

PAGE = "/staff/workflow/supervision/"


def link(case) -> str:
    return f'href="/staff/workflow/cases/{case.pk}/"'


def received_for(left: int) -> dt.date:
    """A receipt date whose 20-working-day deadline leaves `left` working days today."""
    cal, today = get_calendar(), local_today()
    for n in range(0, 80):
        day = today - dt.timedelta(days=n)
        due = cal.add_workdays(day, 20)
        diff = cal.workdays_between(today, due) if due >= today else -cal.workdays_between(due, today)
        if diff == left and cal.is_workday(day):
            return day
    raise AssertionError(left)


def case_with(agency, people, land, left: int, **kw):
    received = received_for(left)
    case, _ = submit(agency, people["registrar"], channel="post", received=received, **kw)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    return svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])


@pytest.fixture
def board(agency, other_agency, people, land, make_staff):
    late = case_with(agency, people, land, -2)
    near = case_with(agency, people, land, 2, id_number="410402199404041234")
    fresh = accepted(agency, people, land)
    b_dept = department_create(actor=None, agency=other_agency, name="财政局", code="finance")
    b = {"registrar": make_staff(roles.REGISTRAR, roles.HANDLER, agency_=other_agency, department_=b_dept,
                                 username="anyue"),
         "chief": make_staff(roles.PERSON_IN_CHARGE, agency_=other_agency, department_=b_dept, username="anyue_chief")}
    foreign, _ = submit(other_agency, b["registrar"], channel="post", received=days_ago(60))
    foreign = svc.request_register(actor=b["registrar"], case=foreign, signed_for_on=days_ago(60))
    return {"late": late, "near": near, "fresh": fresh, "foreign": foreign, "b": b}


def test_the_person_in_charge_sees_overdue_and_near_due_cases_of_the_agency_only(client, people, board):
    client.force_login(people["chief"])
    body = client.get(PAGE).content.decode()
    assert link(board["late"]) in body and link(board["near"]) in body
    assert link(board["fresh"]) not in body and link(board["foreign"]) not in body
    assert "已超期2个工作日" in body and "剩余2个工作日" in body and "王承办" in body and "自然资源局" in body
    assert body.index(link(board["late"])) < body.index(link(board["near"]))


def test_the_near_due_limit_is_a_setting(client, people, board, settings):
    settings.OGI_SUPERVISION_NEAR_DUE_DAYS = 1
    client.force_login(people["chief"])
    body = client.get(PAGE).content.decode()
    assert link(board["late"]) in body and link(board["near"]) not in body


def test_a_handler_has_no_supervision_page(client, people, board):
    client.force_login(people["handler"])
    assert client.get(PAGE).status_code == 403
    assert client.post(f"/staff/workflow/cases/{board['late'].pk}/urge/", {"message": "x"}).status_code == 403
    assert "request.urged" not in actions(board["late"])


def test_urging_tells_the_handler_records_it_and_the_case_page_shows_it(client, people, board):
    case = board["late"]
    client.force_login(people["chief"])
    resp = client.post(f"/staff/workflow/cases/{case.pk}/urge/", {"message": "请今天内报送答复稿", "next": PAGE},
                       follow=True)
    assert "已催办" in resp.content.decode() and "王承办" in resp.content.decode()
    notice = Message.objects.get(to_user=people["handler"], channel=Message.INAPP, subject__startswith="【催办】")
    assert case.registration_number in notice.subject and "请今天内报送答复稿" in notice.body and "吴负责" in notice.body
    assert notice.link == f"/staff/workflow/cases/{case.pk}/"
    assert actions(case)[-1] == "request.urged" and action_label("request.urged") == "催办"
    page = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    assert "负责人吴负责催办：请今天内报送答复稿" in page  # the case story, in words
    assert "吴负责" in client.get(PAGE).content.decode().split('id="supervision-list"')[1]
    client.force_login(people["handler"])
    notices = client.get("/staff/notices/notices/").content.decode()
    assert "【催办】" in notices and "请今天内报送答复稿" in notices


def test_another_agency_cannot_urge_or_see_the_case(client, people, board):
    client.force_login(board["b"]["chief"])
    assert link(board["late"]) not in client.get(PAGE).content.decode()
    assert client.post(f"/staff/workflow/cases/{board['late'].pk}/urge/", {"message": "越权"}).status_code == 404
    assert "request.urged" not in actions(board["late"])
    assert not Message.objects.filter(subject__startswith="【催办】").exists()


def test_a_finished_case_is_not_urged(client, agency, people, land):
    case = accepted(agency, people, land)
    svc.request_determine(actor=people["handler"], case=case, decisions=[
        {"item": i.pk, "outcome": "1", "reasoning": "依法予以公开"} for i in case.items.all()])
    reply_to_archive(case, people)
    client.force_login(people["chief"])
    resp = client.post(f"/staff/workflow/cases/{case.pk}/urge/", {}, follow=True)
    assert ERR_URGE_CLOSED in resp.content.decode()
    assert "request.urged" not in actions(case)


def test_the_supervision_page_costs_the_same_queries_for_5_and_30_cases(client, agency, people, land):
    for i in range(5):
        case_with(agency, people, land, -1, id_number=f"41040219900101{i:04d}")
    client.force_login(people["chief"])
    client.get(PAGE)  # warm-up: the session's idle stamp is rewritten at most once a minute
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for i in range(25):
        case_with(agency, people, land, -1, id_number=f"41040219910101{i:04d}")
    client.get(PAGE)
    with CaptureQueriesContext(connection) as many:
        body = client.get(PAGE).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert body.count("已超期1个工作日") == 30


# --- every task given to someone tells them ------------------------------------------------

def test_routing_to_a_handler_and_a_sign_off_in_the_queue_are_told_in_app(client, agency, people, land):
    case = accepted(agency, people, land)
    handler_notice = Message.objects.get(to_user=people["handler"], channel=Message.INAPP)
    assert handler_notice.subject == f"新的待办：承办（{case.registration_number}）" and "分配给您办理" in handler_notice.body
    assert not Message.objects.filter(to_user=people["handler2"]).exists()  # the case is not theirs
    svc.request_determine(actor=people["handler"], case=case, decisions=[
        {"item": i.pk, "outcome": "1", "reasoning": "依法予以公开"} for i in case.items.all()])
    assert Message.objects.filter(to_user=people["secrecy"], subject__startswith="待认领：保密审查").count() == 1
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    from workflows.demo import disclosed_attachments

    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    client.force_login(people["chief"])
    notices = client.get("/staff/notices/notices/").content.decode()
    assert f"待认领：审签（{case.registration_number}）" in notices


def test_a_reassigned_task_tells_the_new_handler(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_reassign(actor=people["registrar"], case=case, to_user=people["handler2"], reason="原承办人出差")
    told = Message.objects.get(to_user=people["handler2"], channel=Message.INAPP)
    assert told.subject.startswith("新的待办：承办")


def test_a_step_that_fails_tells_no_one(agency, people, land):
    from django.db import transaction

    case = accepted(agency, people, land)
    before = Message.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        svc.request_determine(actor=people["handler"], case=case, decisions=[
            {"item": i.pk, "outcome": "1", "reasoning": "依法予以公开"} for i in case.items.all()])
        raise RuntimeError("rolled back")
    assert Message.objects.count() == before


def test_a_long_board_is_paged_and_its_counts_cover_every_page(client, people, board, agency, land, monkeypatch):
    from workflows import finding

    later = case_with(agency, people, land, -1, id_number="410402199505051234")
    monkeypatch.setattr(finding, "PAGE_SIZE", 2)
    client.force_login(people["chief"])
    first, second = client.get(PAGE).content.decode(), client.get(PAGE, {"page": 2}).content.decode()
    for body in (first, second):  # 2 overdue (−2, −1) and 1 near due, whichever page is shown
        assert "已超期 <strong" in body and ">2</strong> 件" in body and ">1</strong> 件" in body
    assert link(board["late"]) in first and link(later) in first and link(board["near"]) not in first
    assert link(board["near"]) in second and "第 2 / 2 页" in second and "上一页" in second
