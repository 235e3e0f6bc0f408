"""One application from the portal to the reply, every role clicking through its own pages in
a real browser: the applicant applies; the registrar claims, registers and routes it; the
handler asks for an extension, which the person in charge approves; the handler convenes a
会商, two colleagues give opinions and the handler records the conclusion; the handler decides
the item; the confidentiality reviewer clears it; the handler drafts the reply; the person
in charge signs it; the registrar records the delivery; the applicant reads the outcome.

Each decision page is checked for what the decision rests on, each page for serious
accessibility violations (axe-core), and a screenshot of each goes to var/screenshots/."""
import re

import pytest
from django.core.cache import caches

from legal.selectors import get_calendar
from workflows.demo import sample_pdf
from workflows.models import DisclosureRequest, RequestStatus

from .conftest import assert_accessible, shot
from .conftest import log_in as staff_log_in
from .test_portal_journeys import fill_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ITEM = "2025年石龙区土地征收补偿方案"
EXTENSION_REASON = "需调取2025年度征收档案并逐件核对，工作量较大"
QUESTION = "补偿方案中是否含有被征收户的个人信息，是否需要区分处理？"
OPINIONS = {"legal": "补偿方案为公开文件，可以公开；附表中的户主姓名应当去除。",
            "handler2": "同意公开，附表已由征收办去除个人信息。"}
CONCLUSION = "经会商，补偿方案予以公开，附表去除个人信息后提供。"
REASONING = "该补偿方案属于本机关制作的政府信息，依法予以公开"
SECRECY_OPINION = "经审查，补偿方案不涉及国家秘密，同意答复"
REMARK = "如需纸质文本，可到石龙区人民政府办公室政务公开科领取"


@pytest.fixture(autouse=True)
def clear_cache():
    caches["shared"].clear()  # the rate-limit counters


def log_in(pg, base, username):
    staff_log_in(pg, base, username)
    assert pg.url.endswith("/staff/workflow/inbox/"), pg.url


def open_step(pg, base, case, title, *, claim_shot=None):
    """From the case page, the step's 认领 (then the claim page's 认领并继续) or 办理 link."""
    pg.goto(f"{base}/staff/workflow/cases/{case.pk}/")
    row = pg.locator("#case-tasks tbody tr", has_text=title).filter(
        has=pg.locator("a.ogi-claim, a.ogi-execute")).last
    claim = row.locator("a.ogi-claim")
    if claim.count():
        with pg.expect_navigation():
            claim.click()
        # the claim page says which application is taken
        body = pg.inner_text("body")
        assert case.applicant_name in body and case.registration_number in body, body[:1500]
        if claim_shot:
            shot(pg, claim_shot)
        with pg.expect_navigation():
            pg.get_by_role("button", name="认领并继续").click()
    else:
        with pg.expect_navigation():
            row.locator("a.ogi-execute").click()
    assert "/execute/" in pg.url, pg.url


def submit(pg):
    with pg.expect_navigation():
        pg.locator("form.ogi-step-form button[type=submit]").click()
    errors = pg.locator(".errorlist, .ogi-form-errors")
    assert not errors.count() or not errors.first.is_visible(), errors.all_inner_texts()


def choose(select, text):
    """Pick the option of a <select> whose label contains `text`."""
    value = select.evaluate("(el, text) => [...el.options].find(o => o.label.includes(text)).value", text)
    select.select_option(value)


def date_words(d):
    return f"{d.year}年{d.month}月{d.day}日"


def test_an_application_from_the_portal_to_the_reply(live_server, page, agency, people, land):
    base, pg = live_server.url, page

    # --- the applicant applies --------------------------------------------------------------
    pg.goto(f"{base}/apply/")
    assert_accessible(pg, "the application form")
    fill_application(pg, agency)
    pg.locator("#id_items-0-description").fill("2025年度，石龙区范围内")
    pg.get_by_role("button", name="提交申请").click()
    tracking = pg.locator("#tracking-number").inner_text()
    code = pg.locator("#access-code").inner_text()
    assert_accessible(pg, "the submitted page")
    case = DisclosureRequest.objects.get(tracking_number=tracking)

    # --- the registrar registers and routes it ----------------------------------------------
    log_in(pg, base, "registrar")
    assert "我的待办" in pg.inner_text("body")
    assert_accessible(pg, "the registrar's inbox")
    pg.get_by_role("link", name=re.compile("待认领")).first.click()
    pg.wait_for_url("**/queue/")
    assert tracking in pg.locator("table.vf-list__table").inner_text()
    assert_accessible(pg, "the queue of unclaimed steps")
    shot(pg, "journey-registrar-queue")
    pg.goto(f"{base}/staff/workflow/cases/")
    pg.get_by_label("申请人").fill("张三")
    with pg.expect_navigation():
        pg.get_by_role("button", name="查询").click()
    assert tracking in pg.locator("#case-list").inner_text()
    assert_accessible(pg, "the case search")
    shot(pg, "journey-case-search")

    # registration: the case has no registration number yet; the claim page names the applicant
    pg.goto(f"{base}/staff/workflow/cases/{case.pk}/")
    assert_accessible(pg, "the case page")
    with pg.expect_navigation():
        pg.locator("#case-tasks tbody tr", has_text="登记").first.locator("a.ogi-claim").click()
    assert "张三" in pg.inner_text("body")
    shot(pg, "journey-claim-register")
    with pg.expect_navigation():
        pg.get_by_role("button", name="认领并继续").click()
    assert ITEM in pg.inner_text("body")
    shot(pg, "journey-register")
    submit(pg)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.REGISTERED and case.registration_number

    open_step(pg, base, case, "审查申请内容")
    pg.get_by_label("内容明确，分送承办").check()
    choose(pg.get_by_label("承办部门"), "自然资源局")
    choose(pg.get_by_label("承办人（可不选，由部门认领）"), "王承办")
    assert_accessible(pg, "the completeness step")
    shot(pg, "journey-completeness")
    submit(pg)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.IN_PROGRESS and case.handler == people["handler"]

    # --- the handler asks for more time -----------------------------------------------------
    log_in(pg, base, "handler")
    rows = pg.locator("table.vf-list__table tbody tr", has_text=case.registration_number)
    assert "承办" in rows.first.inner_text()
    assert_accessible(pg, "the handler's inbox")
    shot(pg, "journey-handler-inbox")
    open_step(pg, base, case, "承办")
    assert ITEM in pg.inner_text("body") and "张三" in pg.inner_text("body")
    pg.get_by_label("申请延期").check()
    assert pg.get_by_label("延期理由").is_visible() and not pg.get_by_label("会商事项").is_visible()
    assert_accessible(pg, "the handler's step")
    shot(pg, "journey-handle-extension")
    pg.get_by_label("延长工作日数").fill("10")
    pg.get_by_label("延期理由").fill(EXTENSION_REASON)
    submit(pg)

    # --- the person in charge approves it, seeing days, reason and both deadlines ----------
    case = DisclosureRequest.objects.get(pk=case.pk)
    due = case.clock.due_date
    log_in(pg, base, "chief")
    open_step(pg, base, case, "审批延期", claim_shot="journey-claim-extension")
    box = pg.locator("#extension").inner_text()
    assert "10 个工作日" in box and EXTENSION_REASON in box and "王承办" in box
    # the deadline now and the one after the extension
    assert date_words(due) in box and date_words(get_calendar().add_workdays(due, 10)) in box
    assert_accessible(pg, "the extension approval")
    shot(pg, "journey-extension-approval")
    pg.get_by_label("同意", exact=True).check()
    pg.get_by_label("意见").fill("同意延期10个工作日")
    submit(pg)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.clock.due_date == get_calendar().add_workdays(due, 10)

    # --- 会商: the handler convenes two colleagues -------------------------------------------
    log_in(pg, base, "handler")
    open_step(pg, base, case, "承办")
    pg.get_by_label("发起会商").check()
    participants = pg.locator("#id_participants")
    labels = participants.inner_text()
    assert "周法制" in labels and "赵承办" in labels and "legal" not in labels  # names, not log-ins
    participants.get_by_label(re.compile("周法制")).check()
    participants.get_by_label(re.compile("赵承办")).check()
    pg.get_by_label("会商事项").fill(QUESTION)
    shot(pg, "journey-handle-consult")
    submit(pg)

    for username, name in (("legal", "周法制"), ("handler2", "赵承办")):
        log_in(pg, base, username)
        assert case.registration_number in pg.locator("table.vf-list__table").inner_text()
        open_step(pg, base, case, "出具会商意见")
        assert QUESTION in pg.locator("#consultation").inner_text()
        if username == "legal":
            assert_accessible(pg, "the 会商 opinion step")
            shot(pg, "journey-consult-opinion")
        pg.get_by_label("会商意见").fill(OPINIONS[username])
        submit(pg)

    log_in(pg, base, "handler")
    open_step(pg, base, case, "记录会商结论")
    box = pg.locator("#consultation").inner_text()
    assert QUESTION in box
    for username, name in (("legal", "周法制"), ("handler2", "赵承办")):
        assert f"{name}：{OPINIONS[username]}" in box, box
    assert_accessible(pg, "the 会商 conclusion step")
    shot(pg, "journey-consult-conclusion")
    pg.get_by_label("会商结论").fill(CONCLUSION)
    submit(pg)

    # --- the handler decides the item ----------------------------------------------------------
    open_step(pg, base, case, "承办")
    pg.get_by_label("作出处理决定（逐项）").check()
    item = case.items.get()
    pg.locator(f"#id_item_{item.pk}_outcome").select_option(label="予以公开")
    pg.locator(f"#id_item_{item.pk}_reasoning").fill(REASONING)
    shot(pg, "journey-handle-determine")
    submit(pg)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.CONFIDENTIALITY_REVIEW

    # --- the confidentiality reviewer sees the items, outcomes and reasons --------------------
    log_in(pg, base, "secrecy")
    open_step(pg, base, case, "保密审查", claim_shot="journey-claim-confidentiality")
    body = pg.inner_text("body")
    assert ITEM in body and "予以公开" in body and REASONING in body, body[:3000]
    assert_accessible(pg, "the confidentiality review")
    shot(pg, "journey-confidentiality")
    pg.get_by_label("通过，可以公开/答复").check()
    pg.get_by_label("意见或退回理由").fill(SECRECY_OPINION)
    submit(pg)

    # --- the handler drafts the reply, with the file disclosed ----------------------------------
    log_in(pg, base, "handler")
    open_step(pg, base, case, "拟写答复")
    editor = pg.locator("textarea[name=text]")  # one editor, starting with the generated body
    assert ITEM in editor.input_value() and "予以公开" in editor.input_value()
    pdf = sample_pdf(ITEM)
    pg.locator(f"#id_files_{item.pk}").set_input_files(
        {"name": "2025年石龙区土地征收补偿方案.pdf", "mimeType": "application/pdf", "buffer": pdf.read()})
    editor.fill((editor.input_value().rstrip() + "\n" + REMARK).lstrip())
    assert_accessible(pg, "the reply draft")
    shot(pg, "journey-draft-reply")
    submit(pg)

    # --- the person in charge signs, reading the reply and the confidentiality opinion ---------
    log_in(pg, base, "chief")
    open_step(pg, base, case, "审签", claim_shot="journey-claim-sign-off")
    body = pg.inner_text("body")
    assert ITEM in body, body[:3000]
    # the reply as it will be printed (an image of its pages), its text a click away
    assert pg.locator("#reply-print-preview img").is_visible()
    assert REMARK in pg.locator("#reply-preview-text").text_content()
    assert SECRECY_OPINION in body and "孙保密" in body
    assert "2025年石龙区土地征收补偿方案.pdf" in body  # the attachment that goes with it
    assert_accessible(pg, "the sign-off")
    shot(pg, "journey-sign-off")
    pg.get_by_label("同意签发").check()
    submit(pg)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.ISSUED

    # --- the registrar records the delivery --------------------------------------------------
    log_in(pg, base, "registrar")
    open_step(pg, base, case, "送达")
    pg.get_by_label("送达方式").select_option(label="网上送达")  # applied online, reply fetched online
    shot(pg, "journey-delivery")
    submit(pg)
    story = pg.inner_text("body")
    assert "领取了“审查申请内容”任务" in story and "Check Completeness" not in story  # steps by their Chinese names
    assert_accessible(pg, "the case page after delivery")
    shot(pg, "journey-case-page")

    # --- the applicant reads the outcome ------------------------------------------------------
    pg.context.clear_cookies()
    pg.goto(f"{base}/track/")
    pg.get_by_label("查询号").fill(tracking)
    pg.get_by_label("查询码").fill(code.lower())  # codes are case-insensitive
    pg.get_by_role("button", name="查询").click()
    assert "已送达答复" in pg.locator("#case-status").inner_text()
    body = pg.inner_text("body")
    assert f"{ITEM}：予以公开" in body and "延长答复期限" in body
    assert "2025年石龙区土地征收补偿方案.pdf" in body and "答复书" in pg.locator("#documents").inner_text()
    assert_accessible(pg, "the applicant's case page")
    shot(pg, "journey-applicant-outcome")
