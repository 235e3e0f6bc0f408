"""Staff find their work: every role lands on 我的待办, sorted by days left and saying
them in words; one search across the agency's cases with a spreadsheet export."""
import pytest

from agencies import roles
from tests.applications import accepted, days_ago, submit, svc
from workflows.filters import ERR_DATE

pytestmark = pytest.mark.django_db

INBOX = "/staff/workflow/inbox/"


def _late(agency, people, land, *, days=40):
    received = days_ago(days)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    return svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])


@pytest.mark.parametrize("who", ["registrar", "handler", "secrecy", "legal", "chief", "auditor"])
def test_every_case_role_lands_on_the_inbox_after_log_in(client, people, who):
    resp = client.post("/staff/accounts/login/", {"username": people[who].username, "password": "pw-for-tests-123"},
                       follow=True)
    assert resp.redirect_chain[-1][0].endswith(INBOX), resp.redirect_chain
    assert "我的待办" in resp.content.decode()


def test_a_publisher_lands_on_the_inbox_of_publications(client, make_staff):
    client.force_login(make_staff(roles.PUBLISHER, username="pub"))
    assert client.get("/staff/")["Location"].endswith("/staff/publication/inbox/")


def test_the_inbox_puts_the_most_urgent_first_and_says_the_days_in_words(client, agency, people, land):
    fresh = accepted(agency, people, land)
    late = _late(agency, people, land)
    client.force_login(people["handler"])
    body = client.get(INBOX).content.decode()
    assert body.index(late.registration_number) < body.index(fresh.registration_number)
    assert "剩余20个工作日" in body and "已超期" in body and "个工作日" in body
    due = fresh.clock.due_date
    assert f"{due.year}年{due.month}月{due.day}日" in body and due.isoformat() not in body


def _inbox_queries(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(INBOX)  # warm-up: the session's idle stamp is rewritten at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(INBOX).status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_costs_the_same_queries_for_5_and_30_cases(client, agency, people, land,
                                                             django_assert_num_queries):
    for _ in range(5):
        accepted(agency, people, land)
    few = _inbox_queries(client, people["handler"])
    for _ in range(25):
        accepted(agency, people, land)
    client.force_login(people["handler"])
    client.get(INBOX)
    with django_assert_num_queries(few):
        body = client.get(INBOX).content.decode()
    assert body.count("剩余") >= 25


# --- 案件查询 ---------------------------------------------------------------------------------

SEARCH = "/staff/workflow/cases/"
EXPORT = "/staff/workflow/cases/export.xlsx"


def _sheet_rows(response):
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def spread(agency, other_agency, people, land, department, make_staff):
    from agencies.services import department_create

    mine = accepted(agency, people, land, items=("石龙区2025年土地征收补偿方案",))
    other_dept = accepted(agency, people, department, handler="ogi_handler", items=("政务公开工作年度报告",),
                          id_number="410402199303031234")
    late = _late(agency, people, land)
    waiting, _ = submit(agency, people["registrar"], channel="online", items=("=HYPERLINK(\"http://x\")",))
    b_dept = department_create(actor=None, agency=other_agency, name="财政局", code="finance")
    b_registrar = make_staff(roles.REGISTRAR, roles.HANDLER, agency_=other_agency, department_=b_dept, username="anyue")
    foreign, _ = submit(other_agency, b_registrar, items=("安岳县土地征收补偿方案",))
    return {"mine": mine, "other_dept": other_dept, "late": late, "waiting": waiting, "foreign": foreign}


def test_search_finds_by_number_tracking_number_applicant_item_status_and_handler(client, people, spread, land):
    client.force_login(people["registrar"])
    mine, other = spread["mine"], spread["other_dept"]

    def found(**q):
        body = client.get(SEARCH, q).content.decode()
        return {name for name, case in spread.items() if case.tracking_number in body}

    assert found() == {"mine", "other_dept", "late", "waiting"}  # never the other agency's
    assert found(number=mine.registration_number) == {"mine"}
    assert found(number=other.tracking_number) == {"other_dept"}
    assert found(item="年度报告") == {"other_dept"}
    assert found(status="submitted") == {"waiting"}
    assert found(handler=people["ogi_handler"].pk) == {"other_dept"}
    assert found(department=land.pk) == {"mine", "late"}
    assert found(applicant="张三") == {"mine", "other_dept", "late", "waiting"}
    received = spread["late"].received_on
    assert found(received_after=received.isoformat(), received_before=received.isoformat()) == {"late"}
    body = client.get(SEARCH).content.decode()
    assert "待确认收到" in body and ">submitted<" not in body
    assert "已超期" in body and f'href="/staff/workflow/cases/{mine.pk}/"' in body


def test_department_staff_search_and_export_only_their_department(client, people, spread):
    client.force_login(people["handler"])  # 自然资源局
    body = client.get(SEARCH).content.decode()
    assert spread["mine"].tracking_number in body and spread["other_dept"].tracking_number not in body
    assert spread["foreign"].tracking_number not in body
    assert "共找到 0 件" in client.get(SEARCH, {"number": spread["other_dept"].tracking_number}).content.decode()
    rows = _sheet_rows(client.get(EXPORT))
    assert {r[1] for r in rows[1:]} == {spread["mine"].tracking_number, spread["late"].tracking_number}


def test_the_export_holds_exactly_the_rows_found_in_words_and_formulas_as_text(client, people, spread):
    client.force_login(people["registrar"])
    rows = _sheet_rows(client.get(EXPORT, {"status": ["submitted", "in_progress"]}))
    assert rows[0][:5] == ["登记号", "查询号", "申请人", "申请的信息", "状态"]
    by_number = {r[1]: r for r in rows[1:]}
    assert set(by_number) == {spread[k].tracking_number for k in ("mine", "other_dept", "late", "waiting")}
    assert by_number[spread["waiting"].tracking_number][4] == "待确认收到"
    assert by_number[spread["waiting"].tracking_number][3].startswith("'=")  # never a formula
    assert by_number[spread["late"].tracking_number][10].startswith("已超期")
    only = _sheet_rows(client.get(EXPORT, {"number": spread["mine"].registration_number}))
    assert [r[1] for r in only[1:]] == [spread["mine"].tracking_number]


def test_a_wrong_date_is_said_in_chinese_and_keeps_what_was_typed(client, people, spread):
    client.force_login(people["registrar"])
    body = client.get(SEARCH, {"applicant": "张三", "received_after": "2026/13/45"}).content.decode()
    assert ERR_DATE in body and 'value="张三"' in body


def test_the_search_costs_the_same_queries_for_5_and_30_cases(client, agency, people, land,
                                                              django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        accepted(agency, people, land)
    client.force_login(people["registrar"])
    client.get(SEARCH)  # warm-up: the session's idle stamp is rewritten at most once a minute
    with CaptureQueriesContext(connection) as ctx:
        client.get(SEARCH, {"status": "in_progress"})
        client.get(EXPORT)
    few = len(ctx.captured_queries)
    for _ in range(25):
        accepted(agency, people, land)
    client.get(SEARCH)
    with django_assert_num_queries(few):
        body = client.get(SEARCH, {"status": "in_progress"}).content.decode()
        client.get(EXPORT)
    assert "共找到 30 件" in body


def test_the_queue_leaves_out_only_finished_cases_which_have_no_waiting_task(client, agency, people, land):
    """The queue starts from the agency's cases not archived or withdrawn (its index);
    that condition removes no task waiting to be claimed, whatever state the cases are in."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from tests.applications import determine_all, registered, reply_to_archive
    from workflows.selectors import request_queue_visible_to, request_tasks_visible_to

    waiting, _ = submit(agency, people["registrar"])  # its 登记 waits to be claimed
    registered(agency, people)
    reply_to_archive(determine_all(accepted(agency, people, land), people["handler"]), people)  # archived
    withdrawn, _ = submit(agency, people["registrar"])
    svc.request_withdraw(actor=people["registrar"], case=withdrawn, reason="申请人书面撤回")
    live = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED])
    for who in ("registrar", "handler", "chief"):
        assert (set(request_queue_visible_to(people[who], live))
                == set(request_tasks_visible_to(people[who], live))), who
    client.force_login(people["registrar"])
    page = client.get("/staff/workflow/queue/").content.decode()
    assert waiting.tracking_number in page and withdrawn.tracking_number not in page
