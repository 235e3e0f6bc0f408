"""A publication from draft to /gk/ in a real browser, each of the four people on their own
pages: the publisher drafts and submits it (and does not find the 初审 of their own item in
the queue); a second publisher does the 初审, the confidentiality reviewer the 复审 and the
person in charge the 终审, each seeing the text and the opinions given before; the
publisher publishes it; the public reads it on /gk/, also on a phone. axe-core checks each
page; screenshots go to var/screenshots/."""
import pytest

from agencies import roles
from reviews.models import Publication

from .conftest import assert_accessible, log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "石龙区2026年冬季供暖安排公告"
BODY = "根据《平顶山市城市供热管理办法》，石龙区2026年冬季供暖期为11月15日至次年3月15日，居民采暖收费标准不变。"
FIRST = "内容准确，属于主动公开范围，同意"
SECOND = "经保密审查，不涉及国家秘密和工作秘密"
FINAL = "同意发布"


def take(pg, base, pub, step_title):
    """The review queue, the publication's row, 认领, then the task page."""
    pg.goto(f"{base}/staff/publication/queue/")
    row = pg.locator("table.vf-list__table tbody tr", has_text=pub.title).filter(has_text=step_title)
    href = row.locator("a").first.get_attribute("href")
    pg.goto(base + href + "assign/")
    assert pub.title in pg.inner_text("body")
    with pg.expect_navigation():
        pg.get_by_role("button", name="认领并继续").click()
    assert "/execute/" in pg.url, pg.url


def decide(pg, comment, **fields):
    pg.get_by_label("同意", exact=True).check()
    pg.get_by_label("意见说明").fill(comment)
    for label, value in fields.items():
        pg.get_by_label(label).fill(value)
    with pg.expect_navigation():
        pg.get_by_role("button", name="提交").click()


def test_a_publication_from_draft_to_the_public_column(live_server, page, phone_page, agency, make_staff, department):
    base, pg = live_server.url, page
    make_staff(roles.PUBLISHER, username="publisher", full_name="郑发布")
    make_staff(roles.PUBLISHER, username="publisher2", full_name="冯初审")
    make_staff(roles.CONFIDENTIALITY_REVIEWER, username="secrecy", full_name="孙保密")
    make_staff(roles.PERSON_IN_CHARGE, username="chief", full_name="吴负责")

    # --- the publisher drafts and submits ------------------------------------------------------
    log_in(pg, base, "publisher")
    pg.goto(f"{base}/staff/publication/publications/new/")
    assert_accessible(pg, "the new publication form")
    pg.get_by_label("标题").fill(TITLE)
    pg.get_by_label("文号").fill("石政办〔2026〕12号")
    pg.get_by_label("形成或变更日期").fill("2026-11-02")
    pg.get_by_label("正文").fill(BODY)
    shot(pg, "publication-draft")
    with pg.expect_navigation():
        pg.get_by_role("button", name="保存").click()
    pub = Publication.objects.get(title=TITLE)
    assert pub.department == department
    with pg.expect_navigation():
        pg.locator("#submit-review").click()
    pub = Publication.objects.get(pk=pub.pk)
    assert pub.state == Publication.FIRST_REVIEW  # the automated checks found nothing
    assert_accessible(pg, "the publication page")
    shot(pg, "publication-submitted")
    pg.goto(f"{base}/staff/publication/queue/")
    assert TITLE not in pg.inner_text("body")  # nobody does the 初审 of their own draft

    # --- 初审, 复审, 终审: each sees the text and the opinions before theirs -------------------------
    log_in(pg, base, "publisher2")
    take(pg, base, pub, "初审")
    assert BODY in pg.inner_text("body") and "自动检查" in pg.inner_text("body")
    assert_accessible(pg, "the 初审 page")
    shot(pg, "publication-first-review")
    decide(pg, FIRST)

    log_in(pg, base, "secrecy")
    take(pg, base, pub, "复审")
    body = pg.inner_text("body")
    assert BODY in body and FIRST in body and "冯初审" in body
    shot(pg, "publication-second-review")
    decide(pg, SECOND)

    log_in(pg, base, "chief")
    take(pg, base, pub, "终审")
    body = pg.inner_text("body")
    assert BODY in body and FIRST in body and SECOND in body and "孙保密" in body
    assert_accessible(pg, "the 终审 page")
    shot(pg, "publication-final-review")
    decide(pg, FINAL)
    assert Publication.objects.get(pk=pub.pk).state == Publication.SCHEDULED

    # --- the publisher publishes; the public column shows it ----------------------------------
    log_in(pg, base, "publisher")
    pg.goto(f"{base}/staff/publication/publications/{pub.pk}/")
    with pg.expect_navigation():
        pg.get_by_role("button", name="立即发布").click()
    assert Publication.objects.get(pk=pub.pk).state == Publication.PUBLISHED
    pg.goto(f"{base}/staff/publication/inbox/")
    assert TITLE not in pg.inner_text("body")  # no step left over after publication

    for p, size in ((pg, "desktop"), (phone_page, "phone")):
        p.context.clear_cookies()
        p.goto(f"{base}/gk/")
        assert TITLE in p.inner_text("body")
        assert p.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert_accessible(p, f"/gk/ ({size})")
        shot(p, f"gk-index-{size}")
        with p.expect_navigation():
            p.get_by_role("link", name=TITLE).first.click()
        text = p.inner_text("body")
        assert BODY in text and "石政办〔2026〕12号" in text
        assert p.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert_accessible(p, f"a publication on /gk/ ({size})")
        shot(p, f"gk-detail-{size}")
