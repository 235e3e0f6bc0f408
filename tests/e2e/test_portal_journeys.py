"""An applicant's key journeys in a real browser."""

import pytest
from django.core.cache import caches

from tests.applications import determine_all, svc
from tests.portal.helpers import VALID_ID
from workflows.demo import disclosed_attachments
from workflows.models import DisclosureRequest, RequestStatus

from .conftest import assert_accessible, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def clear_cache():
    caches["shared"].clear()  # the rate-limit counters


def answer_challenge(pg) -> None:
    from captcha.models import CaptchaStore

    key = pg.locator("input[name=captcha_0]").input_value()
    pg.get_by_label("验证码").fill(CaptchaStore.objects.get(hashkey=key).challenge)


def fill_application(pg, agency, *, id_number=VALID_ID):
    pg.get_by_label("受理机关").select_option(str(agency.pk))
    pg.get_by_label("姓名或名称").fill("张三")
    pg.get_by_label("证件号码").fill(id_number)
    pg.get_by_label("联系电话").fill("13800138000")
    pg.get_by_label("电子邮箱").fill("zhangsan@example.com")
    pg.locator("#id_items-0-title").fill("2025年石龙区土地征收补偿方案")
    answer_challenge(pg)


def test_apply_supplement_reply_and_download(live_server, page, agency, people, land):
    base = live_server.url
    # 1. The applicant applies online; a first attempt with a wrong ID number is corrected in place.
    page.goto(f"{base}/apply/")
    shot(page, "apply-desktop")
    fill_application(page, agency, id_number="110105194912310021")
    page.get_by_role("button", name="提交申请").click()
    assert page.locator("#form-errors").is_visible()
    assert "校验位不正确" in page.locator(".field.has-error").first.inner_text()
    assert page.get_by_label("姓名或名称").input_value() == "张三"  # nothing typed is lost
    assert page.locator("#id_items-0-title").input_value() == "2025年石龙区土地征收补偿方案"
    shot(page, "apply-errors-desktop")
    page.get_by_label("证件号码").fill(VALID_ID)
    answer_challenge(page)
    page.get_by_role("button", name="提交申请").click()
    tracking = page.locator("#tracking-number").inner_text()
    code = page.locator("#access-code").inner_text()
    shot(page, "submitted-desktop")
    case = DisclosureRequest.objects.get(tracking_number=tracking)

    # 2. Staff see it in the queue.
    page.goto(f"{base}/staff/accounts/login/")
    page.locator("input[name=username]").fill("registrar")
    page.locator("input[name=password]").fill("pw-for-tests-123")
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    page.goto(f"{base}/staff/workflow/queue/")
    shot(page, "staff-queue")
    assert tracking in page.content(), page.inner_text("body")[:2000]
    page.context.clear_cookies()

    # 3. Staff ask for a supplement (through the services the staff pages call).
    case = svc.request_register(actor=people["registrar"], case=case)
    svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的年份和范围", days=10)

    # 4. The applicant looks the case up and supplements.
    page.goto(f"{base}/track/")
    page.get_by_label("查询号").fill(tracking)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    assert "需要您补正申请" in page.locator("#case-status").inner_text()
    page.get_by_label("补正内容").fill("所需信息为2025年度全年的补偿方案及标准。")
    page.get_by_role("button", name="提交补正").click()
    assert "补正材料已提交" in page.content()
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.REGISTERED and case.supplement.content.startswith("所需信息为2025")

    # 5. The reply is decided, reviewed, signed and issued.
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    case = determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.ISSUED

    # 6. The applicant downloads the reply PDF.
    page.reload()
    assert "已作出答复" in page.locator("#case-status").inner_text()
    shot(page, "case-issued-desktop")
    link = page.locator("#documents a", has_text="答复").first
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_wrong_code_gets_one_generic_error(live_server, page, agency):
    page.goto(f"{live_server.url}/track/")
    page.get_by_label("查询号").fill("NOSUCHCASE")
    page.get_by_label("查询码").fill("WRONG")
    page.get_by_role("button", name="查询").click()
    assert page.locator("#track-error").inner_text() == "查询号或查询码不正确。"
    assert_accessible(page, "the track page with its error")
    shot(page, "track-error-desktop")


def test_phone_width_and_older_users(live_server, phone_page, agency):
    pg = phone_page
    pg.goto(f"{live_server.url}/apply/")
    # no horizontal scrolling on a phone
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # every visible input has a label a screen reader can announce
    unlabelled = pg.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map(el => el.name)""")
    assert unlabelled == []
    shot(pg, "apply-phone")
    # large-type mode by keyboard alone
    pg.keyboard.press("Tab")  # skip link
    for _ in range(6):
        if pg.evaluate("document.activeElement.id") == "large-type-toggle":
            break
        pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.id") == "large-type-toggle"
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert "large" in pg.evaluate("document.documentElement.className")
    assert pg.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 24
    shot(pg, "apply-phone-large")
    pg.goto(f"{live_server.url}/")
    assert_accessible(pg, "the portal's home page in large type")
    shot(pg, "home-phone")
