"""Staff find their work: every role lands on 我的待办, sorted by days left and saying
them in words; one search across the agency's cases with a spreadsheet export."""
import pytest

from agencies import roles
from tests.applications import accepted, days_ago, submit, svc

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
    with django_assert_num_queries(few):
        body = client.get(INBOX).content.decode()
    assert body.count("剩余") >= 25
