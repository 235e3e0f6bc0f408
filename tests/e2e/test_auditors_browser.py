"""An auditor reads a case's story on the auditors' page in a real browser: the events
in words, in order, with the clock ledger and the chain's state."""
import pytest
from django.core.management import call_command

from audit.services import audit_seal
from tests.applications import accepted, determine_all

from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_auditor_reads_a_cases_story(live_server, page, agency, people, land):
    case = determine_all(accepted(agency, people, land), people["handler"])
    audit_seal()
    call_command("audit_verify", stdout=None)

    page.goto(f"{live_server.url}/staff/accounts/login/")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", "pw-for-tests-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/staff/audit/audit_log/")
    assert "记录完好" in page.locator("#chain-state").inner_text()
    page.fill("input[name=case]", case.registration_number)
    page.click("#audit-search")
    page.wait_for_selector("#case-panel")
    shot(page, "auditors-case-story")

    story = list(reversed(page.locator("#audit-events tbody tr").all_inner_texts()))  # oldest first
    said = [" ".join(row.split()) for row in story]
    registered = next(i for i, row in enumerate(said) if "登记申请" in row)
    routed = next(i for i, row in enumerate(said) if "分办" in row)
    determined = next(i for i, row in enumerate(said) if "逐项作出处理决定" in row)
    assert registered < routed < determined
    assert "李登记" in said[registered] and f"登记号：{case.registration_number}" in said[registered]
    assert "状态：已登记，待审查 → 办理中" in said[routed]
    assert "王承办" in said[determined] and "状态：办理中 → 保密审查中" in said[determined]
    assert all("request." not in row and "{" not in row for row in said)
    issued = next(row for row in said if "出具文书" in row)
    assert "状态：已审签 → 已出具" in issued  # a document's status, not the case's
    assert "申请方式：当面" in next(row for row in said if "提交申请" in row)
    assert "起算 20 个工作日" in page.locator("#clock-ledger").inner_text()
