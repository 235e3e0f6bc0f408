"""表二's 规章 and 行政规范性文件 rows counted from what the system published (made in the
year, repealed in the year, in force at its end), added to what was entered by hand."""
import re

import pytest
from django.core.exceptions import ValidationError

from legal.selectors import local_today
from reports.services import proactive_figures_set
from reviews import services
from reviews.flows import PublicationFlow as F
from reviews.flows import publication_start_review, publications_publish_due
from reviews.models import Publication, ReviewRecord

from .conftest import fresh, run_step

pytestmark = pytest.mark.django_db


def published(team, draft, **kw):
    pub = draft(created_on=local_today(), **kw)
    publication_start_review(actor=team.drafter, publication=pub)
    for node, user, step in ((F.first_review, team.publisher, ReviewRecord.FIRST),
                             (F.second_review, team.secrecy, ReviewRecord.SECOND)):
        run_step(pub, node, user, lambda u=user, s=step: services.publication_review(
            actor=u, publication=fresh(pub), step=s, approve=True))
    run_step(pub, F.final_review, team.chief, lambda: services.package_sign(
        actor=team.chief, publication=fresh(pub), approve=True, publish_on=local_today()))
    publications_publish_due(today=local_today())
    return fresh(pub)


def cells(html):
    table = html[html.index('id="table2"'):]
    return [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", table, flags=re.S)][:6]


def test_rules_and_normative_documents_are_counted_from_the_publications(client, team, draft, agency):
    published(team, draft, title="石龙区城市绿化管理办法", legal_form=Publication.RULE)
    kept = published(team, draft, title="石龙区农村危房改造补助实施细则", legal_form=Publication.NORMATIVE)
    gone = published(team, draft, title="石龙区耕地地力保护补贴发放办法", legal_form=Publication.NORMATIVE)
    published(team, draft, title="石龙区2026年冬季供暖公告")  # not a normative document: not counted
    with pytest.raises(ValidationError):
        services.publication_repeal(actor=team.chief, publication=kept, on=local_today(), reason="")
    services.publication_repeal(actor=team.chief, publication=gone, on=local_today(), reason="石政〔2026〕5号决定废止")
    assert fresh(gone).state == Publication.PUBLISHED and fresh(gone).repealed_on == local_today()
    proactive_figures_set(actor=team.chief, agency=agency, year=local_today().year, reason="上线前的台账",
                          rules_in_force=12, normative_in_force=40, licensing_decisions=0, penalty_decisions=0,
                          enforcement_decisions=0, rules_made=0, rules_repealed=0, normative_made=0,
                          normative_repealed=0, fees_amount=0)

    client.force_login(team.chief)
    html = client.get("/staff/reports/table2/", {"year": local_today().year}).content.decode()
    # 规章: made 1, repealed 0, in force 12 + 1; 行政规范性文件: made 2, repealed 1, in force 40 + 1
    assert cells(html) == ["1", "0", "13", "2", "1", "41"]
    assert "规章本年制发 1" in html
    # the form still holds only what was entered by hand
    assert re.search(r'name="rules_in_force"[^>]*value="12"', html) or re.search(r'value="12"[^>]*name="rules_in_force"', html)

    public = client.get(f"/gk/{gone.pk}/").content.decode()
    assert "已于" in public and "废止" in public and "石政〔2026〕5号决定废止" in public


def test_only_a_published_normative_document_can_be_repealed(team, draft):
    plain = published(team, draft, title="石龙区2026年冬季供暖公告")
    with pytest.raises(ValidationError, match="只有规章或行政规范性文件"):
        services.publication_repeal(actor=team.chief, publication=plain, on=local_today(), reason="决定")
    rule = published(team, draft, title="石龙区城市绿化管理办法", legal_form=Publication.RULE)
    import datetime as dt

    with pytest.raises(ValidationError, match="废止日期"):
        services.publication_repeal(actor=team.chief, publication=rule, on=local_today() + dt.timedelta(days=1),
                                    reason="决定")
