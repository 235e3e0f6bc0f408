"""Every staff list runs a fixed number of queries, whatever the number of rows: a list
that fetched something per row (N+1) would slow down as the office's history grows."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.applications import accepted, submit

# (page, who looks at it)
LISTS = [
    ("/staff/workflow/inbox/", "handler"),
    ("/staff/workflow/inbox/?_orderby=days_left", "handler"),
    ("/staff/workflow/queue/", "registrar"),
    ("/staff/workflow/archive/", "registrar"),
    ("/staff/workflow/cases/", "registrar"),
    ("/staff/workflow/flows/disclosurerequest/", "chief"),
    ("/staff/workflow/flows/disclosurerequest/flows/", "chief"),
    ("/staff/workflow/flows/disclosurerequest/tasks/", "chief"),
    ("/staff/documents/documents/", "registrar"),
    ("/staff/notices/notices/", "handler"),
]
BOUND = 40  # generous: what matters is that the count does not grow with the rows


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more_cases(agency, people, land, n):
    for _ in range(n):
        accepted(agency, people, land)  # handler's inbox, registrar's done list, documents, notices
        submit(agency, people["registrar"], channel="online")  # registrar's queue


@pytest.mark.parametrize("url,who", LISTS)
def test_staff_list_query_count_does_not_grow_with_its_rows(client, agency, people, land, url, who):
    _more_cases(agency, people, land, 2)
    few = _queries(client, people[who], url)
    _more_cases(agency, people, land, 4)
    many = _queries(client, people[who], url)
    assert many == few, f"{url}: {few} queries with 2 cases, {many} with 6"
    assert many <= BOUND, f"{url}: {many} queries"
