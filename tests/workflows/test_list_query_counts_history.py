"""With a history behind them (3 cases, then 30, across two departments and other
agencies: 2, then 5), the staff lists, a case page and the reminder sweep
ask the database the same number of questions: nothing is fetched per row, per case or
per year, so a province's twenty years of cases cost the same round trips as a week's."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies import roles
from agencies.services import agency_create, department_create
from tests.applications import accepted, days_ago, submit
from workflows.models import DisclosureRequest
from workflows.reminders import reminders_sweep

PAGES = [
    ("/staff/workflow/inbox/", "handler"),
    ("/staff/workflow/queue/", "registrar"),
    ("/staff/workflow/archive/", "handler"),
    ("/staff/workflow/cases/", "registrar"),
    ("/staff/workflow/cases/", "handler"),  # department-bound: the visibility rule with its EXISTS
    ("/staff/workflow/cases/?applicant=张", "registrar"),  # a broad filter: one page of rows loaded
    ("/staff/workflow/supervision/", "chief"),  # 督办, its overdue half growing with the history
]


@pytest.fixture(autouse=True)
def _quick_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _grow(agency, people, land, other_agency, n, make_staff):
    for i in range(n):
        # half of them overdue: the sweep reminds the handler and the person in charge of each
        accepted(agency, people, land, handler="handler" if i % 2 else "handler2", received=days_ago(40 if i % 2 else 3))
        submit(agency, people["registrar"], channel="online")
    other = department_create(actor=None, agency=other_agency, name=f"财政局{n}", code=f"fin{n}")
    del other  # another agency's rows exist too; nobody here sees them
    for k in range(n // 10 + 1):  # more agencies, each with a person in charge and an overdue case
        elsewhere = agency_create(actor=None, name=f"第{n}-{k}区人民政府办公室", short_name=f"区{n}-{k}",
                                  ogi_office="政务公开科", address="河南省平顶山市", phone="0375-1234567",
                                  reconsideration_body="某区人民政府", court="某区人民法院")
        desk = department_create(actor=None, agency=elsewhere, name="政务公开科", code="ogi")
        staff = {"registrar": make_staff(roles.REGISTRAR, roles.HANDLER, agency_=elsewhere, department_=desk,
                                         username=f"reg{n}-{k}"),
                 "handler": make_staff(roles.HANDLER, agency_=elsewhere, department_=desk, username=f"han{n}-{k}")}
        make_staff(roles.PERSON_IN_CHARGE, agency_=elsewhere, department_=desk, username=f"chief{n}-{k}")
        accepted(elsewhere, staff, desk, received=days_ago(40))


def _count(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm (sessions, caches)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _counts(client, people, agency):
    counts = {f"{url} ({who})": _count(client, people[who], url) for url, who in PAGES}
    newest = DisclosureRequest.objects.filter(agency=agency, handler=people["handler"]).order_by("-pk").first()
    counts["case page"] = _count(client, people["handler"], f"/staff/workflow/cases/{newest.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        fired = reminders_sweep()  # the first sweep sends what is due, all its reminders written together
    assert sum(fired.values()) > 0
    counts["first reminder sweep"] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        reminders_sweep()  # the repeat finds everything sent
    counts["repeat reminder sweep"] = len(ctx.captured_queries)
    return counts


def test_query_counts_do_not_grow_with_history(client, agency, other_agency, people, land, make_staff):
    make_staff(roles.HANDLER, username="invitee", full_name="孙会商", department_=land)
    _grow(agency, people, land, other_agency, 3, make_staff)
    few = _counts(client, people, agency)
    _grow(agency, people, land, other_agency, 27, make_staff)
    many = _counts(client, people, agency)
    assert many == few
