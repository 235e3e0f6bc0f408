"""Rules of the regulation on the application's path, one test per rule, with real dates."""
import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.timers import fire_due_timers

from documents.services import case_document_issue, case_document_sign
from legal import fees as fee_rules
from legal import outcomes
from legal.calendar import WorkingCalendar, statutory_holidays
from legal.dates import date_words
from legal.selectors import clock_state, get_calendar, local_today
from legal.services import ERR_EXTENSION_LATE
from notifications.models import Message
from tests.applications import accepted, determine_all, open_steps, submit, svc, task_of, workdays
from workflows.demo import disclosed_attachments
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest
from workflows.reminders import reminders_sweep
from workflows.services import decision, fees, handling, receipts
from workflows.services.receipts import request_notice_receipt

OLD_RECEIPT = dt.date(2026, 10, 9)  # Friday after National Day; Sat 10-10 is a make-up working day


def overdue_case(agency, people, land):
    case, _ = submit(agency, people["registrar"], channel="post", received=OLD_RECEIPT)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=OLD_RECEIPT)
    return svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])


def pdf_text(document) -> str:
    with pdfplumber.open(io.BytesIO(bytes(document.pdf))) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")


# --- Art. 33(2): an extension only within the current answer period ---------------------

def test_extension_cannot_be_asked_for_after_the_deadline_has_passed(agency, people, land):
    case = overdue_case(agency, people, land)
    due = clock_state(case.clock).due_date
    assert due == dt.date(2026, 11, 5) and local_today() > due
    with pytest.raises(ValidationError) as exc:
        svc.request_extension_ask(actor=people["handler"], case=case, days=10, reason="需调取档案")
    assert exc.value.messages == [ERR_EXTENSION_LATE.format(due="2026年11月5日")]
    assert open_steps(case) == ["handle"] and not case.extensions.exists()


def test_extension_approved_after_the_deadline_is_refused_on_the_due_day_it_is_in_time(agency, people, land):
    case = accepted(agency, people, land)
    due = clock_state(case.clock).due_date
    svc.request_extension_ask(actor=people["handler"], case=case, days=10, reason="需调取档案")
    with pytest.raises(ValidationError) as exc:
        svc.request_extension_decide(actor=people["chief"], case=case, approve=True, comment="同意",
                                     on=due + dt.timedelta(days=1))
    assert exc.value.messages == [ERR_EXTENSION_LATE.format(due=date_words(due))]
    assert open_steps(case) == ["approve_extension"] and not case.documents.filter(kind="extension_notice").exists()
    svc.request_extension_decide(actor=people["chief"], case=case, approve=True, comment="同意", on=due)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.clock.due_date == workdays(due, 10)
    assert case.documents.get(kind="extension_notice").data["new_due_date"] == workdays(due, 10).isoformat()


# --- Art. 42 and 国办函〔2020〕109号 -----------------------------------------------------

def test_fee_notice_only_within_the_answer_period(agency, people, land):
    case = overdue_case(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        svc.request_fee_notice(actor=people["handler"], case=case, method=fee_rules.PER_APPLICATION, quantity=11)
    assert exc.value.messages == [fees.ERR_FEE_LATE.format(due="2026年11月5日")]


def test_per_application_is_an_jian_and_by_volume_is_an_liang():
    assert dict(fee_rules.METHODS)[fee_rules.PER_APPLICATION].startswith("按件计收")
    assert dict(fee_rules.METHODS)[fee_rules.PER_PAGE].startswith("按量计收")
    assert fee_rules.fee_standard_text(fee_rules.PER_PAGE).startswith("按量计收：30页以下")
    assert fee_rules.fee_for(fee_rules.PER_APPLICATION, 11) == Decimal(100)
    assert fee_rules.fee_for(fee_rules.PER_PAGE, 31) == Decimal(10)


def test_fee_notice_names_the_rule_and_shows_basis_standard_quantity_amount_and_last_day(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_fee_notice(actor=people["handler"], case=case, method=fee_rules.PER_APPLICATION, quantity=11,
                           sent_via="email")
    case = DisclosureRequest.objects.get(pk=case.pk)
    notice = case.documents.get(kind="fee_notice")
    text = pdf_text(notice)
    due = case.fee_due
    for expected in ["《政府信息公开信息处理费管理办法》", "按件计收", "本月第11件申请", "人民币100元",
                     "缴费截止日期", f"{due.year}年{due.month}月{due.day}日", "收到本通知的次日起20个工作日内"]:
        assert expected in text, expected
    assert "《政府信息处理费管理办法》" not in text


# --- Art. 30: 4.3 only after a supplement ------------------------------------------------

def test_still_unclear_after_supplement_needs_a_supplement_asked_for_and_received(agency, people, land):
    case = accepted(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        determine_all(case, people["handler"], outcome=outcomes.UNCLEAR_AFTER_SUPPLEMENT, reasoning="仍不明确")
    assert exc.value.messages == [decision.ERR_UNCLEAR_NEEDS_SUPPLEMENT]
    assert open_steps(case) == ["handle"]


# --- one row per case in table 三 --------------------------------------------------------

@pytest.mark.parametrize("codes,row", [
    (["5.1", "3.4"], "3.4"), (["3.4", "5.1"], "3.4"),
    (["6.3", "4.1", "5.3"], "4.1"), (["5.3", "6.3", "4.1"], "4.1"),
    (["not_this_agency", "4.1"], "4.1"), (["4.1", "not_this_agency"], "4.1"),
])
def test_mixed_refusals_count_in_one_row_whatever_the_order_of_the_items(codes, row):
    outcome = outcomes.case_outcome(codes)
    assert outcome.row == row and outcome.code == outcomes.case_outcome(list(reversed(codes))).code


def test_anything_disclosed_beside_a_refusal_is_partial_disclosure():
    assert outcomes.case_outcome(["3.4", "1"]).code == "2"
    assert outcomes.case_outcome(["1", "already_public"]).code == "1"


# --- provisional years: a holiday falling on another is not lost --------------------------

def test_mid_autumn_on_a_national_day_holiday_moves_to_the_next_free_day():
    days = statutory_holidays(2028)  # 中秋 2028-10-03 falls on 国庆's third day
    assert days[dt.date(2028, 10, 3)] == "国庆节" and days[dt.date(2028, 10, 4)] == "中秋节"
    assert list(days.values()).count("中秋节") == 1 and list(days.values()).count("国庆节") == 3
    cal = WorkingCalendar({}, official_years=set())
    assert not cal.is_workday(dt.date(2028, 10, 4))
    assert cal.is_provisional(dt.date(2028, 10, 4))
    # 2031: 中秋 on 10-01 itself
    assert statutory_holidays(2031)[dt.date(2031, 10, 4)] == "中秋节"


# --- Art. 31(3): an online application nobody confirms ----------------------------------

def test_online_application_unconfirmed_for_a_working_day_alerts_the_person_in_charge(client, agency, people):
    submitted = dt.date(2026, 11, 27)  # a Friday; working days have passed since
    case, _ = submit(agency, people["registrar"], channel="online", received=submitted)
    reminders_sweep()
    alert = Message.objects.get(to_user=people["chief"], channel=Message.INAPP, object_id=str(case.pk))
    assert "待确认" in alert.subject and "第三十一条" in alert.body
    reminders_sweep()
    assert Message.objects.filter(to_user=people["chief"], channel=Message.INAPP, object_id=str(case.pk)).count() == 1
    client.force_login(people["registrar"])
    queue = client.get("/staff/workflow/queue/").content.decode()
    waited = get_calendar().workdays_between(submitted, local_today())
    row = queue.split(case.tracking_number, 1)[1][:600]
    assert "等待确认" in queue and f">{waited} 个工作日<" in row


def test_a_confirmed_online_application_raises_no_alert(agency, people):
    case, _ = submit(agency, people["registrar"], channel="online", received=dt.date(2026, 11, 27))
    svc.request_register(actor=people["registrar"], case=case)
    reminders_sweep()
    assert not Message.objects.filter(subject__contains="待确认").exists()



# --- Art. 32: the time not counted ends with the answer or the 15 working days -----------

def _consulting_since(agency, people, land, letter_on, signed_on="same day"):
    """The letter is posted on `letter_on`; the third party signs for it on `signed_on`."""
    case, _ = submit(agency, people["registrar"], channel="post", received=letter_on)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=letter_on)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    tp = svc.request_third_party_consult(actor=people["handler"], case=case, third_party="平顶山某建材有限公司",
                                         matter="环评报告涉及企业商业秘密", on=letter_on, sent_via="post")
    if signed_on:
        signed_on = letter_on if signed_on == "same day" else signed_on
        tp = request_notice_receipt(actor=people["handler"], case=case, notice=tp, received_on=signed_on,
                                    proof="邮件签收回执")
    return tp


def test_silence_recorded_late_does_not_stretch_the_pause(agency, people, land):
    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12))
    assert tp.reply_due == dt.date(2026, 11, 2)  # 15 working days after Mon 12 October 2026
    svc.request_third_party_opinion(actor=people["handler"], case=tp.request, opinion="silent",
                                    received_on=dt.date(2026, 11, 20))
    pause = tp.request.clock.segments.get(kind="pause")
    assert pause.end_date == dt.date(2026, 11, 2)
    assert clock_state(tp.request.clock).paused_days == 15


def test_an_answer_within_the_period_ends_the_pause_on_its_day(agency, people, land):
    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12))
    svc.request_third_party_opinion(actor=people["handler"], case=tp.request, opinion="consent",
                                    received_on=dt.date(2026, 10, 20))
    assert tp.request.clock.segments.get(kind="pause").end_date == dt.date(2026, 10, 20)


def test_silence_before_the_period_has_run_cannot_be_recorded(agency, people, land):
    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12))
    with pytest.raises(ValidationError) as exc:
        svc.request_third_party_opinion(actor=people["handler"], case=tp.request, opinion="silent",
                                        received_on=dt.date(2026, 10, 30))
    assert exc.value.messages == [handling.ERR_THIRD_PARTY_NOT_DUE.format(due="2026年11月2日")]


# --- Art. 32: the public-interest notice goes out before the reply that discloses --------

def test_reply_waits_for_the_public_interest_notice_to_the_third_party(agency, people, land):
    tp = _consulting_since(agency, people, land, local_today())
    case = tp.request
    svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="object", opinion_text="涉及商业秘密",
                                    public_interest_override=True,
                                    override_reasons="涉及周边居民健康，不公开将对公共利益造成重大影响")
    determine_all(case, people["handler"], outcome="1")
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    with pytest.raises(ValidationError) as exc:
        svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    assert exc.value.messages == [decision.ERR_PUBLIC_INTEREST_NOTICE_FIRST]
    assert open_steps(case) == ["sign_off"]
    assert not case.documents.filter(kind="reply", status="issued").exists()

    notice = case.documents.get(kind="public_interest_notice")
    assert notice.status == "draft"
    case_document_issue(actor=people["chief"], document=case_document_sign(actor=people["chief"], document=notice))
    case = svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    assert case.documents.get(kind="reply").status == "issued"
    notice, reply = (case.documents.get(kind=k) for k in ("public_interest_notice", "reply"))
    assert notice.issued_at < reply.issued_at


# --- a lapse is told (其他处理 1): the 终止处理告知书 --------------------------------------

def test_a_lapsed_supplement_is_told_by_a_signed_notice_with_reason_article_and_remedy(agency, people):
    received = dt.date(2026, 11, 2)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    supplement = svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的文号",
                                               days=5, on=dt.date(2026, 11, 3), sent_via="direct")
    request_notice_receipt(actor=people["registrar"], case=case, notice=supplement, received_on=dt.date(2026, 11, 3),
                           proof="申请人当面签收送达回证")
    assert fire_due_timers() == 1
    draft = case.documents.get(kind="reply")
    assert draft.status == "draft"  # drafted at the lapse, waiting for the person in charge
    svc.request_closure_sign_off(actor=people["chief"], case=case)
    svc.request_closure_delivery(actor=people["registrar"], case=case, method="direct", delivered_on=local_today(),
                                 proof="申请人当面签收")
    text = pdf_text(case.documents.get(kind="reply"))
    for expected in ["政府信息公开申请终止处理告知书", "2026年11月10日前补正", "视为放弃申请", "第三十条",
                     "申请行政复议", "提起行政诉讼"]:
        assert expected in text, expected
    assert open_steps(case) == []


def test_the_closure_steps_are_claimed_and_done_in_the_staff_pages(client, agency, people):
    received = dt.date(2026, 11, 2)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明文号", days=5,
                                  on=dt.date(2026, 11, 3), sent_via="email")
    fire_due_timers()
    task = task_of(case, Flow.closure_sign_off)
    client.force_login(people["chief"])
    assign = Flow.closure_sign_off.reverse("assign", args=[task.process_id, task.pk])
    execute = Flow.closure_sign_off.reverse("execute", args=[task.process_id, task.pk])
    assert client.post(assign).status_code == 302
    page = client.get(execute).content.decode()
    assert "政府信息公开申请终止处理告知书" in page and "视为放弃申请" in page
    assert client.post(execute, {"confirm": "on"}).status_code == 302
    assert case.documents.get(kind="reply").status == "issued"
    assert open_steps(case) == ["closure_deliver"]


# --- Art. 34: other agencies ----------------------------------------------------------------

def _consulting_agency_since(agency, people, land, letter_on):
    case, _ = submit(agency, people["registrar"], channel="post", received=letter_on)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=letter_on)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    oc = svc.request_other_agency_consult(actor=people["handler"], case=case, other_agency="平顶山市自然资源和规划局",
                                          matter="2025年土地征收补偿方案由两机关联合制作", on=letter_on)
    return request_notice_receipt(actor=people["handler"], case=case, notice=oc, received_on=letter_on,
                                  proof="机要交换签收单")


def test_other_agency_letter_pauses_the_clock_and_silence_after_15_working_days_is_consent(agency, people, land):
    oc = _consulting_agency_since(agency, people, land, dt.date(2026, 10, 12))
    case = DisclosureRequest.objects.get(pk=oc.request_id)
    assert case.status == "consulting" and case.clock.paused and oc.reply_due == dt.date(2026, 11, 2)
    assert open_steps(case) == ["other_agency_opinion"]
    letter = case.documents.get(kind="other_agency_letter")
    text = pdf_text(letter)
    assert "第三十四条" in text and "视为同意公开" in text and "自收到本函之日起15个工作日内" in text
    assert "张三" not in text and "410402199001011234" not in text  # the applicant is not named to the other agency
    with pytest.raises(ValidationError) as exc:
        svc.request_other_agency_answer(actor=people["handler"], case=case, answer="silent",
                                        received_on=dt.date(2026, 11, 2))
    assert exc.value.messages == [handling.ERR_OTHER_AGENCY_NOT_DUE.format(due="2026年11月2日")]
    svc.request_other_agency_answer(actor=people["handler"], case=case, answer="silent",
                                    received_on=dt.date(2026, 11, 20))
    case = DisclosureRequest.objects.get(pk=case.pk)
    pause = case.clock.segments.get(kind="pause")
    assert (pause.pause_reason, pause.end_date) == ("other_agency", dt.date(2026, 11, 2))
    assert case.status == "in_progress" and open_steps(case) == ["handle"]
    assert case.other_agency_consultations.get().get_answer_display() == "逾期未答复，视为同意"


def test_other_agency_answer_in_time_ends_the_pause_on_its_day(agency, people, land):
    oc = _consulting_agency_since(agency, people, land, dt.date(2026, 10, 12))
    svc.request_other_agency_answer(actor=people["handler"], case=oc.request, answer="consent", answer_text="同意公开",
                                    received_on=dt.date(2026, 10, 21))
    assert oc.request.clock.segments.get(kind="pause").end_date == dt.date(2026, 10, 21)
    assert clock_state(oc.request.clock).paused_days == 7


# --- Art. 35: a volume beyond reason -------------------------------------------------------

def test_unreasonable_volume_is_refused_only_after_reasons_were_asked_and_found_unreasonable(agency, people, land):
    case = accepted(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        determine_all(case, people["handler"], outcome=outcomes.UNREASONABLE_VOLUME, reasoning="数量过大")
    assert exc.value.messages == [decision.ERR_VOLUME_NOT_ASSESSED]
    svc.request_volume_reasons_ask(actor=people["handler"], case=case, question="请说明本月提出40件申请的理由")
    assert open_steps(case) == ["volume_decide"]
    notice = case.documents.get(kind="volume_reasons_notice")
    assert "第三十五条" in pdf_text(notice) and "请说明本月提出40件申请的理由" in pdf_text(notice)
    svc.request_volume_decide(actor=people["handler"], case=case, reasons="未说明理由", decision="unreasonable")
    case = determine_all(case, people["handler"], outcome=outcomes.UNREASONABLE_VOLUME, reasoning="经要求说明理由，理由不合理")
    assert case.outcome == "5.4" and outcomes.OUTCOMES[case.outcome].row == "5.4"


def test_reasonable_but_large_sets_a_longer_period_and_tells_the_applicant(agency, people, land):
    case = accepted(agency, people, land)
    due = clock_state(case.clock).due_date
    svc.request_volume_reasons_ask(actor=people["handler"], case=case, question="请说明申请理由")
    with pytest.raises(ValidationError) as exc:
        svc.request_volume_decide(actor=people["handler"], case=case, reasons="课题研究", decision="longer")
    assert exc.value.messages == [handling.ERR_VOLUME_LONGER]
    svc.request_volume_decide(actor=people["handler"], case=case, reasons="课题研究需要全部资料", decision="longer",
                              longer_days=30)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.clock.due_date == workdays(due, 30)
    assert [s.kind for s in case.clock.segments.order_by("id")] == ["start", "longer"]
    text = pdf_text(case.documents.get(kind="longer_period_notice"))
    new_due = case.clock.due_date
    assert "延迟答复的合理期限为30个工作日" in text and f"{new_due.year}年{new_due.month}月{new_due.day}日" in text
    assert open_steps(case) == ["handle"]


# --- an accepted withdrawal is confirmed in writing (其他处理 3) -------------------------------

def test_a_withdrawal_is_confirmed_in_writing(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_withdraw(actor=people["registrar"], case=case, reason="申请人书面撤回")
    confirmation = case.documents.get(kind="withdrawal_confirmation")
    assert confirmation.status == "issued" and confirmation.number
    text = pdf_text(confirmation)
    today = local_today()
    assert "政府信息公开申请撤回确认书" in text and f"{today.year}年{today.month}月{today.day}日申请撤回" in text
    assert "不再处理" in text


def test_an_applicant_withdrawing_online_gets_the_confirmation_too(agency, people, land, django_user_model):
    applicant = django_user_model.objects.create_user(username="zhangsan", password="pw-for-tests-123")
    case, _ = svc.request_submit(
        actor=applicant, agency=agency, applicant_type="natural", applicant_name="张三", id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", channel="online", form_wanted="electronic",
        delivery_wanted="online", items=[{"title": "2025年土地征收补偿方案"}], applicant_user=applicant)
    svc.request_withdraw(actor=applicant, case=case)
    assert case.documents.get(kind="withdrawal_confirmation").status == "issued"


def test_a_reassignment_carries_the_open_other_agency_step_to_the_new_handler(agency, people, land):
    oc = _consulting_agency_since(agency, people, land, dt.date(2026, 10, 12))
    svc.request_reassign(actor=people["chief"], case=oc.request, to_user=people["handler2"], reason="原承办人休假")
    assert task_of(oc.request, Flow.other_agency_opinion).owner == people["handler2"]


# --- periods that run from a notice's receipt (Art. 30, 32, 34; 109号) ------------------

def test_third_party_period_runs_from_the_day_it_signed_for_the_letter(agency, people, land):
    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12), signed_on=None)
    assert tp.provisional and tp.reply_due == dt.date(2026, 11, 2)  # counted from the posting day, for now
    with pytest.raises(ValidationError) as exc:
        svc.request_third_party_opinion(actor=people["handler"], case=tp.request, opinion="silent",
                                        received_on=dt.date(2026, 11, 20))
    assert exc.value.messages == [receipts.ERR_RECEIPT_UNKNOWN.format(what="征求意见书")]
    tp = request_notice_receipt(actor=people["handler"], case=tp.request, notice=tp,
                                received_on=dt.date(2026, 10, 14), proof="EMS 回执 1234567890")
    assert not tp.provisional and tp.reply_due == dt.date(2026, 11, 4)  # 15 working days after Wed 14 October
    svc.request_third_party_opinion(actor=people["handler"], case=tp.request, opinion="silent",
                                    received_on=dt.date(2026, 11, 20))
    assert tp.request.clock.segments.get(kind="pause").end_date == dt.date(2026, 11, 4)


def test_posted_supplement_notice_is_provisional_and_never_lapses_before_it_is_signed_for(agency, people):
    received = dt.date(2026, 11, 2)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    supplement = svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的文号",
                                               days=5, on=dt.date(2026, 11, 3), sent_via="post")
    assert supplement.provisional
    text = pdf_text(case.documents.get(kind="supplement_notice"))
    assert "自收到本告知书之日起5个工作日内补正" in text and "2026年11月10日" not in text
    assert fire_due_timers() == 0  # a month later, but nobody knows when the applicant got the notice
    assert "wait_supplement" in open_steps(case)
    request_notice_receipt(actor=people["registrar"], case=case, notice=supplement, received_on=dt.date(2026, 11, 6),
                           proof="EMS 签收 2026年11月6日")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.supplement_due == dt.date(2026, 11, 13)  # 5 working days after Fri 6 November
    assert fire_due_timers() == 1
    assert case.documents.get(kind="reply").status == "draft"  # the 终止处理告知书, for signing


def test_fee_period_counts_from_the_day_after_the_applicant_signs_for_the_notice(agency, people, land):
    case, _ = submit(agency, people["registrar"], channel="post", received=dt.date(2026, 11, 16))
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=dt.date(2026, 11, 16))
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    on = dt.date(2026, 11, 17)
    notice = svc.request_fee_notice(actor=people["handler"], case=case, method=fee_rules.PER_APPLICATION,
                                    quantity=11, on=on, sent_via="post")
    assert notice.provisional
    text = pdf_text(case.documents.get(kind="fee_notice"))
    assert "收到本通知的次日起第20个工作日" in text and "（即" not in text
    signed = workdays(on, 2)
    notice = request_notice_receipt(actor=people["handler"], case=case, notice=notice, received_on=signed)
    assert DisclosureRequest.objects.get(pk=case.pk).fee_due == notice.due_on == workdays(signed, 20)


def test_notices_through_the_portal_or_by_email_are_received_the_day_they_are_sent(agency, people, land):
    case = accepted(agency, people, land)
    notice = svc.request_fee_notice(actor=people["handler"], case=case, method=fee_rules.PER_APPLICATION,
                                    quantity=11, sent_via="email")
    assert not notice.provisional and notice.due_on == workdays(notice.notice_on, 20)
    with pytest.raises(ValidationError) as exc:
        request_notice_receipt(actor=people["handler"], case=case, notice=notice, received_on=local_today())
    assert exc.value.messages == [receipts.ERR_RECEIPT_NOT_NEEDED.format(method="电子邮件")]


def test_a_receipt_before_the_notice_was_sent_is_refused(agency, people, land):
    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12), signed_on=None)
    with pytest.raises(ValidationError) as exc:
        request_notice_receipt(actor=people["handler"], case=tp.request, notice=tp, received_on=dt.date(2026, 10, 9))
    assert exc.value.messages == [receipts.ERR_RECEIPT_DATE.format(sent="2026年10月12日")]


def test_staff_record_the_signed_receipt_on_the_case_page(client, agency, other_agency, people, land, make_staff):
    from django.urls import reverse

    from agencies import roles

    tp = _consulting_since(agency, people, land, dt.date(2026, 10, 12), signed_on=None)
    url = reverse("workflow:notice_receipt", args=[tp.request_id, "third_party", tp.pk])
    from agencies.services import staff_create

    stranger = staff_create(actor=None, username="stranger", password="pw-for-tests-123", full_name="外机关承办",
                            agency=other_agency, roles=[roles.HANDLER])
    client.force_login(stranger)
    assert client.post(url, {"received_on": "2026-10-14"}).status_code == 404
    client.force_login(people["handler"])
    page = client.get(reverse("workflow:case_detail", args=[tp.request_id])).content.decode()
    assert "文书送达与期限" in page and "待登记签收" in page and "2026年11月2日（暂计）" in page
    response = client.post(url, {"received_on": "2026-10-14", "proof": "EMS 1190012345679 签收"}, follow=True)
    page = response.content.decode()
    assert "已登记签收日期，期限至 2026年11月4日" in page
    assert "2026年11月4日" in page and "（暂计）" not in page
    tp.refresh_from_db()
    assert (tp.receipt_on, tp.reply_due, tp.receipt_proof) == (dt.date(2026, 10, 14), dt.date(2026, 11, 4),
                                                               "EMS 1190012345679 签收")
