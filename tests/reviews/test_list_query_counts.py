"""The publication lists run a fixed number of queries, whatever the number of items."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services
from reviews.flows import publication_start_review

pytestmark = pytest.mark.django_db

# (page, who looks at it, text each listed row carries)
LISTS = [
    ("/staff/publication/publications/", "drafter", "耕地地力保护补贴"),
    ("/staff/publication/publications/", "publisher", "耕地地力保护补贴"),
    ("/staff/publication/queue/", "publisher", "耕地地力保护补贴"),
    ("/staff/publication/sensitive_words/", "publisher", "敏感词"),
]
BOUND = 40


def _queries(client, user, url, shows) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.content.decode().count(shows) >= 2, "the rows are listed"
    return len(ctx.captured_queries)


def _more(team, draft, department, n, start):
    for i in range(start, start + n):
        p = draft(title=f"关于第{i}批耕地地力保护补贴发放的公告")
        publication_start_review(actor=team.drafter, publication=p)
        services.sensitive_word_add(actor=team.publisher, agency=department.agency, word=f"敏感词{i}")


@pytest.mark.parametrize("url,who,shows", LISTS)
def test_publication_list_query_count_does_not_grow_with_its_rows(client, team, draft, department, url, who, shows):
    _more(team, draft, department, 2, 0)
    few = _queries(client, getattr(team, who), url, shows)
    _more(team, draft, department, 4, 2)
    many = _queries(client, getattr(team, who), url, shows)
    assert many == few, f"{url}: {few} queries with 2 items, {many} with 6"
    assert many <= BOUND, f"{url}: {many} queries"
