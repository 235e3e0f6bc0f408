"""The publication lists run a fixed number of queries, whatever the number of items."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services

pytestmark = pytest.mark.django_db

LISTS = [
    ("/staff/publication/publications/", "drafter"),
    ("/staff/publication/publications/", "publisher"),
]
BOUND = 40


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.content.decode().count("耕地地力保护补贴") >= 2, "the items are listed"
    return len(ctx.captured_queries)


def _more(team, draft, n):
    for i in range(n):
        p = draft(title=f"关于第{i}批耕地地力保护补贴发放的公告")
        services.publication_submit(actor=team.drafter, publication=p)


@pytest.mark.parametrize("url,who", LISTS)
def test_publication_list_query_count_does_not_grow_with_its_rows(client, team, draft, url, who):
    _more(team, draft, 2)
    few = _queries(client, getattr(team, who), url)
    _more(team, draft, 4)
    many = _queries(client, getattr(team, who), url)
    assert many == few, f"{url}: {few} queries with 2 items, {many} with 6"
    assert many <= BOUND, f"{url}: {many} queries"
