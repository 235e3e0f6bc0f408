"""Staff find their work in a real browser: each lands on 我的待办, the counter prints
the 回执 with the 查询号 and 查询码 in one step, the case search finds and exports, and
the person in charge presses an overdue case (催办) that the handler then reads.
Screenshots of each page at desktop and phone width go to var/screenshots/."""
import pytest

from tests.applications import accepted, days_ago, submit, svc

from .conftest import assert_accessible, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(pg, base, user):
    pg.context.clear_cookies()
    pg.goto(f"{base}/staff/accounts/login/")
    pg.locator("input[name=username]").fill(user.username)
    pg.locator("input[name=password]").fill("pw-for-tests-123")
    with pg.expect_navigation():
        pg.locator("button[type=submit]").click()


def no_sideways_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.fixture
def overdue(agency, people, land):
    received = days_ago(40)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    accepted(agency, people, land, id_number="410402199505051234")
    return case


def test_the_counter_prints_the_receipt_with_both_codes_in_one_step(live_server, page, phone_page, people):
    base = live_server.url
    for pg, size in ((page, "desktop"), (phone_page, "phone")):
        log_in(pg, base, people["registrar"])
        assert pg.url.endswith("/staff/workflow/inbox/") and "我的待办" in pg.content()
        pg.goto(f"{base}/staff/workflow/cases/new/")
        assert pg.locator("input[name=submitted_at]").input_value()  # now, Beijing time
        pg.get_by_label("申请人姓名/名称").fill("柜台申请人")
        pg.get_by_label("证件号码").fill("410402199001011234")
        pg.get_by_label("联系电话").fill("13800000000")
        pg.get_by_label("所需信息的描述").fill("申请公开2025年土地征收补偿方案")
        pg.get_by_label("所需信息（每行一项）").fill("2025年土地征收补偿方案\n征收公告")
        with pg.expect_navigation():
            pg.get_by_role("button", name="提交").click()
        assert "/intake-receipt/" in pg.url
        code = pg.locator("#access-code").inner_text()
        assert len(code) == 8 and pg.locator("#tracking-number").inner_text()
        assert code not in pg.locator(".vf-snackbar, .mdc-snackbar, .messages").all_inner_texts().__str__()
        assert no_sideways_scroll(pg)
        shot(pg, f"intake-receipt-{size}")
        pg.emulate_media(media="print")
        for kind in ("a4", "slip"):
            pg.evaluate(f"document.documentElement.dataset.receipt = '{kind}'")
            assert pg.locator("#intake-receipt").is_visible() and not pg.locator(".vf-page__menu").is_visible()
            assert not pg.locator("#print-a4").is_visible()
        pg.emulate_media(media="screen")
        pg.reload()
        assert pg.locator("#access-code").count() == 0 and "不再显示" in pg.content()


def test_search_inbox_and_supervision_in_the_browser(live_server, page, phone_page, people, overdue):
    base = live_server.url
    for pg, size in ((page, "desktop"), (phone_page, "phone")):
        log_in(pg, base, people["handler"])
        rows = pg.locator("table.vf-list__table tbody tr")
        assert overdue.registration_number in rows.first.inner_text() and "已超期" in rows.first.inner_text()
        assert no_sideways_scroll(pg)
        if size == "desktop":
            assert_accessible(pg, "我的待办 with an overdue case")
        shot(pg, f"inbox-{size}")

        log_in(pg, base, people["registrar"])
        pg.goto(f"{base}/staff/workflow/cases/")
        pg.get_by_label("登记号或查询号").fill(overdue.registration_number)
        with pg.expect_navigation():
            pg.get_by_role("button", name="查询").click()
        assert "共找到 1 件" in pg.locator("#case-count").inner_text()
        assert no_sideways_scroll(pg)
        shot(pg, f"case-search-{size}")
        with pg.expect_download() as info:
            pg.locator("#case-export").click()
        assert info.value.suggested_filename.endswith(".xlsx")

        log_in(pg, base, people["chief"])
        pg.goto(f"{base}/staff/workflow/supervision/")
        row = pg.locator("#supervision-list tbody tr", has_text=overdue.registration_number)
        assert "已超期" in row.inner_text() and "王承办" in row.inner_text()
        assert no_sideways_scroll(pg)
        if size == "desktop":
            assert_accessible(pg, "督办")
        shot(pg, f"supervision-{size}")
        row.locator("textarea[name=message]").fill(f"请尽快答复（{size}）")
        with pg.expect_navigation():
            row.get_by_role("button", name="催办").click()
        assert "已催办" in pg.content()

    log_in(page, live_server.url, people["handler"])
    page.goto(f"{live_server.url}/staff/notices/notices/")
    assert "【催办】" in page.content() and "请尽快答复（phone）" in page.content()
    shot(page, "notices-desktop")
