"""The annual report and the statistics page in a real browser: the charts are drawn
from the offline ECharts file (screenshots under var/screenshots)."""
import pytest

from tests.applications import accepted, determine_all, reply_to_archive

from .conftest import assert_accessible, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base, username):
    page.goto(f"{base}/staff/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_person_in_charge_reads_the_report_and_the_charts(live_server, page, agency, people, land):
    reply_to_archive(determine_all(accepted(agency, people, land), people["handler"]), people)
    accepted(agency, people, land, channel="online")
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    log_in(page, live_server.url, "chief")

    page.goto(f"{live_server.url}/staff/reports/")
    assert page.locator('#table3 tr[data-row="new"] td').all_inner_texts()[-1] == "2"
    assert "全部相符" in page.locator("#checks").inner_text()
    assert_accessible(page, "the annual report")
    shot(page, "report-table3")

    page.goto(f"{live_server.url}/staff/reports/statistics/")
    for chart in ("chart-volume", "chart-ontime", "chart-outcomes"):
        page.wait_for_selector(f'#{chart}[data-rendered="1"] canvas')
    received = page.locator("#figures div").first.inner_text()
    assert received.startswith("本年收到申请") and "2" in received
    assert_accessible(page, "the statistics")
    shot(page, "report-statistics")
    assert outside == [], "the page loads nothing from outside the server"
