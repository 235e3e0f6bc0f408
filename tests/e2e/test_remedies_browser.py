"""Legal staff record a lawsuit against a reply in a real browser: the form, the answer
deadline the law gives (calendar days, moved past the National Day holiday), the papers,
the answer and the result, then the case's own page telling it."""
import pytest
from django.urls import reverse

from tests.applications import accepted
from workflows.demo import sample_pdf

from .conftest import log_in, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_legal_staff_record_a_lawsuit_from_complaint_to_judgment(live_server, page, phone_page, agency, people, land,
                                                                   settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = accepted(agency, people, land)
    log_in(page, live_server.url, "legal")

    page.goto(f"{live_server.url}{reverse('workflow:remedies:index')}")
    page.click("#remedy-new")
    page.check("input[name=kind][value=litigation]")
    page.fill("input[name=case_ref]", case.registration_number)
    page.fill("input[name=case_number]", "（2026）豫0411行初45号")
    page.fill("input[name=applicant]", "张三")
    page.fill("input[name=received_on]", "2026-09-20")
    with page.expect_navigation():
        page.click("#remedy-form button[type=submit]")

    title = page.locator("#remedy-title").inner_text()
    assert "行政诉讼" in title and "（2026）豫0411行初45号" in title and "张三" in title
    facts = page.locator(".ogi-facts").inner_text()
    # 15 calendar days from 20 September end on 5 October, a holiday: the next working day
    assert "2026年10月8日" in facts and "第六十七条" in facts
    assert "平顶山市湛河区人民法院" in facts  # the agency's court, from its settings
    assert "未经复议直接起诉" in facts
    assert case.registration_number in facts

    pdf = tmp_path / "起诉状副本.pdf"
    pdf.write_bytes(sample_pdf("起诉状副本").read())
    page.fill("#remedy-document-form input[name=title]", "起诉状副本")
    page.set_input_files("#remedy-document-form input[name=file]", str(pdf))
    with page.expect_navigation():
        page.click("#remedy-document-form button[type=submit]")
    assert "起诉状副本" in page.locator("#remedy-documents").inner_text()

    page.fill("#remedy-answer-form input[name=answered_on]", "2026-09-30")
    with page.expect_navigation():
        page.click("#remedy-answer-form button[type=submit]")
    assert "2026年9月30日" in page.locator(".ogi-facts").inner_text()

    page.check("#remedy-result-form input[name=result][value=upheld]")
    page.fill("#remedy-result-form input[name=result_on]", "2026-11-20")
    with page.expect_navigation():
        page.click("#remedy-result-form button[type=submit]")
    assert page.locator("#remedy-result").inner_text() == "维持"
    story = page.locator("#remedy-events").inner_text()
    for said in ("周法制", "登记", "收存", "结果"):
        assert said in story, said
    shot(page, "remedy-lawsuit-desktop")

    # the case's own page tells the proceeding; the list shows it with its result
    page.goto(f"{live_server.url}{reverse('workflow:case_detail', args=[case.pk])}")
    body = page.locator("body").inner_text()
    assert "行政诉讼" in body and "（2026）豫0411行初45号" in body
    page.goto(f"{live_server.url}{reverse('workflow:remedies:index')}")
    assert "（2026）豫0411行初45号" in page.locator("body").inner_text()

    log_in(phone_page, live_server.url, "legal")
    phone_page.goto(f"{live_server.url}{reverse('workflow:remedies:index')}")
    phone_page.click("#remedy-answered a:has-text(\"（2026）豫0411行初45号\")")
    assert phone_page.locator("#remedy-result").inner_text() == "维持"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width} px wide on a 390 px phone"
    shot(phone_page, "remedy-lawsuit-phone")
