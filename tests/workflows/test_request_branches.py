"""The optional branches of the process: supplement, third party, 会商, extension, fee,
and every outcome code."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from legal import outcomes
from legal.dates import date_words
from legal.selectors import clock_state, local_today
from tests.applications import (
    accepted,
    actions,
    days_ago,
    determine_all,
    ledger,
    open_steps,
    open_tasks,
    registered,
    reply_to_archive,
    submit,
    svc,
    task_of,
    workdays,
)
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus
from workflows.services import completeness, decision, fees, handling

pytestmark = pytest.mark.django_db


def test_supplement_then_reply_restarts_the_clock(agency, people, land):
    case = registered(agency, people)
    svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的文号", days=10,
                                  sent_via="email")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.AWAITING_SUPPLEMENT
    assert case.supplement_due == workdays(local_today(), 10)
    assert open_steps(case) == ["wait_supplement", "wait_supplement__timeout"]
    timer = task_of(case, Flow.instance.node("wait_supplement__timeout"))
    from django.utils import timezone

    assert timer.status == STATUS.SCHEDULED
    assert timezone.localtime(timer.scheduled).date() == case.supplement_due + dt.timedelta(days=1)
    assert fire_due_timers() == 0
    case = svc.request_supplement_receive(actor=people["registrar"], case=case, note="申请人补充了文号")
    assert case.status == RequestStatus.REGISTERED
    assert ledger(case) == [("start", ""), ("restart", "")]
    assert task_of(case, Flow.instance.node("wait_supplement__timeout")).status == STATUS.CANCELED
    with pytest.raises(ValidationError) as exc:
        svc.request_supplement_notice(actor=people["registrar"], case=case, what="再补正一次")
    assert exc.value.messages == [completeness.ERR_SUPPLEMENT_ONCE]
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    case = determine_all(case, people["handler"])
    case = reply_to_archive(case, people)
    assert case.status == RequestStatus.ARCHIVED
    assert "request.supplement_requested" in actions(case) and "request.supplement_received" in actions(case)


def test_supplement_notice_must_come_within_seven_working_days(agency, people):
    received = days_ago(30)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    with pytest.raises(ValidationError) as exc:
        svc.request_supplement_notice(actor=people["registrar"], case=case, what="补正", days=5)
    assert completeness.ERR_SUPPLEMENT_LATE.format(due=date_words(workdays(received, 7))) in exc.value.messages
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.REGISTERED
    assert not case.documents.filter(kind="supplement_notice").exists()


def test_supplement_lapsed_closes_the_case_as_other_1(agency, people):
    received = days_ago(20)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    svc.request_supplement_notice(actor=people["registrar"], case=case, what="请补充身份证明", days=3,
                                  on=received + dt.timedelta(days=1), sent_via="email")
    assert fire_due_timers() == 1
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.CLOSED and case.outcome == outcomes.LAPSED_SUPPLEMENT
    assert outcomes.OUTCOMES[case.outcome].row == "6.1"
    assert set(case.items.values_list("outcome", flat=True)) == {"6.1"}
    assert task_of(case, Flow.wait_supplement).status == STATUS.CANCELED
    assert ledger(case) == [("start", ""), ("stop", "")]
    assert "request.supplement_lapsed" in actions(case)
    # the lapse is told in writing: signed, issued and served like a reply
    assert open_steps(case) == ["closure_sign_off"]
    tell_the_closure(case, people)
    assert open_tasks(case) == [] and case.processes.get().status == "DONE"
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.CLOSED


def tell_the_closure(case, people):
    svc.request_closure_sign_off(actor=people["chief"], case=case)
    svc.request_closure_delivery(actor=people["registrar"], case=case, method="post", delivered_on=local_today(),
                                 tracking_number="1190012345679")
    notice = case.documents.get(kind="reply")
    assert notice.status == "issued" and notice.data["closure"] == case.outcome
    assert case.documents.filter(kind="service_proof").exists()


def test_third_party_consultation_pauses_the_clock(agency, people, land):
    case = accepted(agency, people, land)
    due_before = case.clock.due_date
    tp = svc.request_third_party_consult(actor=people["handler"], case=case, third_party="平顶山某置业有限公司",
                                         matter="补偿协议涉及企业商业秘密", sent_via="email")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.CONSULTING and case.clock.paused
    assert tp.reply_due == workdays(local_today(), 15)
    assert open_steps(case) == ["third_party_opinion"]
    assert case.documents.filter(kind="third_party_letter").exists()
    with pytest.raises(ValidationError) as exc:  # silence only counts after 15 working days
        svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="silent")
    assert exc.value.messages == [handling.ERR_THIRD_PARTY_NOT_DUE.format(due=date_words(tp.reply_due))]
    with pytest.raises(ValidationError):
        svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="consent",
                                        public_interest_override=True, override_reasons="公共利益")
    svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="object", opinion_text="涉及商业秘密",
                                    public_interest_override=True, override_reasons="涉及公共资金使用，不公开将严重影响公共利益")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.IN_PROGRESS and not case.clock.paused
    assert ledger(case) == [("start", ""), ("pause", "third_party")]
    assert case.clock.segments.get(kind="pause").end_date == local_today()
    assert case.clock.due_date == due_before
    assert case.documents.filter(kind="public_interest_notice").exists()
    assert open_steps(case) == ["handle"] and task_of(case, Flow.handle).owner == people["handler"]
    assert actions(case)[-2:] == ["request.third_party_consulted", "request.third_party_opinion"]


def test_third_party_pause_moves_the_due_date(agency, people, land):
    received = days_ago(14)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    letter = received + dt.timedelta(days=1)
    svc.request_third_party_consult(actor=people["handler"], case=case, third_party="某公司", matter="商业秘密", on=letter)
    svc.request_third_party_opinion(actor=people["handler"], case=case, opinion="consent", received_on=local_today())
    case = DisclosureRequest.objects.get(pk=case.pk)
    state = clock_state(case.clock)
    from legal.selectors import get_calendar

    paused = get_calendar().workdays_between(letter, local_today())
    assert state.paused_days == paused
    assert case.clock.due_date == workdays(received, 20 + paused)


def test_consultation_with_three_participants(agency, people, land):
    case = accepted(agency, people, land)
    trio = [people["legal"], people["secrecy"], people["ogi_handler"]]
    with pytest.raises(ValidationError):
        svc.request_consultation_convene(actor=people["handler"], case=case, participants=[people["handler"]],
                                         question="是否属于过程性信息")
    svc.request_consultation_convene(actor=people["handler"], case=case, participants=trio, question="是否属于过程性信息")
    opinion_tasks = [t for t in open_tasks(case) if t.flow_task == Flow.consult_opinion]
    assert sorted(t.owner.username for t in opinion_tasks) == ["legal", "ogi_handler", "secrecy"]
    assert all(t.status == STATUS.ASSIGNED for t in opinion_tasks)
    with pytest.raises(ValidationError):
        svc.request_consultation_opinion(actor=people["chief"], case=case, opinion="我也说两句")
    # the other department's handler was invited, so may read and answer
    for person, text in zip(trio, ["属于过程性信息", "不涉密", "建议部分公开"]):
        assert "consult_decide" not in open_steps(case)
        svc.request_consultation_opinion(actor=person, case=case, opinion=text)
    assert open_steps(case) == ["consult_decide"]
    svc.request_consultation_decide(actor=people["handler"], case=case, decision="部分公开")
    consultation = case.consultations.get()
    assert [o.opinion for o in consultation.opinions.order_by("id")] == ["属于过程性信息", "不涉密", "建议部分公开"]
    assert consultation.decision == "部分公开"
    assert case.documents.filter(kind="consultation_record").exists()
    assert open_steps(case) == ["handle"]
    assert actions(case).count("request.consultation_opinion") == 3


def test_extension_approved_extends_the_clock(agency, people, land):
    case = accepted(agency, people, land)
    due = case.clock.due_date
    with pytest.raises(ValidationError):
        svc.request_extension_ask(actor=people["handler"], case=case, days=21, reason="数量大")
    svc.request_extension_ask(actor=people["handler"], case=case, days=15, reason="需调取档案")
    assert open_steps(case) == ["approve_extension"]
    with pytest.raises(Exception):
        svc.request_extension_decide(actor=people["handler"], case=case, approve=True)
    svc.request_extension_decide(actor=people["chief"], case=case, approve=True, comment="同意")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert ledger(case) == [("start", ""), ("extension", "")]
    assert case.clock.due_date == workdays(due, 15)
    assert case.documents.filter(kind="extension_notice").exists()
    assert open_steps(case) == ["handle"]
    with pytest.raises(ValidationError) as exc:  # at most 20 working days in all
        svc.request_extension_ask(actor=people["handler"], case=case, days=6, reason="还不够")
    assert exc.value.messages == [handling.ERR_EXTENSION_DAYS]
    assert "request.extension_approved" in actions(case)


def test_extension_refused_keeps_the_due_date(agency, people, land):
    case = accepted(agency, people, land)
    due = case.clock.due_date
    svc.request_extension_ask(actor=people["handler"], case=case, days=10, reason="需调取档案")
    with pytest.raises(ValidationError):
        svc.request_extension_decide(actor=people["chief"], case=case, approve=False)
    svc.request_extension_decide(actor=people["chief"], case=case, approve=False, comment="期限内可以办结")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert ledger(case) == [("start", "")] and case.clock.due_date == due
    assert not case.documents.filter(kind="extension_notice").exists()
    assert case.extensions.get().approved is False
    assert "request.extension_refused" in actions(case)
    assert open_steps(case) == ["handle"]


def test_fee_notice_pauses_and_payment_resumes(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_fee_notice(actor=people["handler"], case=case, amount=Decimal("100"), basis="按件计收，第11件起每件100元")
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.AWAITING_FEE and case.clock.paused
    assert case.fee_due == workdays(local_today(), 20)
    svc.request_fee_paid(actor=people["handler"], case=case)
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.IN_PROGRESS and not case.clock.paused
    assert ledger(case) == [("start", ""), ("pause", "fee")]


def test_fee_lapsed_closes_as_other_2(agency, people, land):
    received = days_ago(60)
    case, _ = submit(agency, people["registrar"], channel="post", received=received)
    case = svc.request_register(actor=people["registrar"], case=case, signed_for_on=received)
    case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    svc.request_fee_notice(actor=people["handler"], case=case, amount=Decimal("200"), basis="按页计收",
                           on=received + dt.timedelta(days=1), sent_via="email")
    assert fire_due_timers() == 1
    case = DisclosureRequest.objects.get(pk=case.pk)
    assert case.status == RequestStatus.CLOSED and case.outcome == outcomes.LAPSED_FEE
    assert open_steps(case) == ["closure_sign_off"]
    tell_the_closure(case, people)
    assert open_tasks(case) == [] and case.processes.get().status == "DONE"


EXTRA = {
    "2": {"withheld_parts": "第3页涉及个人隐私"},
    "not_this_agency": {"right_agency": "平顶山市自然资源和规划局"},
    "already_public": {"where_published": "石龙区人民政府门户网站"},
}


@pytest.mark.parametrize("code", [c for c, _ in outcomes.CHOOSABLE if c != outcomes.REPEAT])
def test_each_outcome_reaches_the_reply(agency, people, land, code):
    if code == outcomes.UNCLEAR_AFTER_SUPPLEMENT:  # only after a supplement (Art. 30)
        case = registered(agency, people)
        svc.request_supplement_notice(actor=people["registrar"], case=case, what="请写明所需信息的名称", days=10)
        case = svc.request_supplement_receive(actor=people["registrar"], case=case, note="补正后仍未写明")
        case = svc.request_accept(actor=people["registrar"], case=case, department=land, handler=people["handler"])
    else:
        case = accepted(agency, people, land)
    if code == outcomes.UNREASONABLE_VOLUME:  # only after reasons were asked for and found unreasonable (Art. 35)
        svc.request_volume_reasons_ask(actor=people["handler"], case=case, question="请说明本月申请40件的理由")
        svc.request_volume_decide(actor=people["handler"], case=case, reasons="研究需要", decision="unreasonable")
    case = determine_all(case, people["handler"], outcome=code, **EXTRA.get(code, {}))
    assert case.outcome == code and case.status == RequestStatus.CONFIDENTIALITY_REVIEW
    assert case.items.get().outcome_rule.row == outcomes.OUTCOMES[code].row
    case = reply_to_archive(case, people)
    assert case.status == RequestStatus.ARCHIVED


def test_outcomes_need_their_reasons(agency, people, land):
    case = accepted(agency, people, land)
    for code, extra, message in [
        ("3.4", {"reasoning": ""}, decision.ERR_OUTCOME_REASON.format(label=outcomes.OUTCOMES["3.4"].label)),
        ("2", {}, decision.ERR_PARTIAL_REASON),
        ("not_this_agency", {}, decision.ERR_RIGHT_AGENCY),
        ("already_public", {}, decision.ERR_WHERE_PUBLISHED),
        ("6.1", {}, decision.ERR_OUTCOME_NOT_CHOOSABLE.format(label=outcomes.OUTCOMES["6.1"].label)),
        ("5.2", {}, decision.ERR_REPEAT_CASE),
    ]:
        with pytest.raises(ValidationError) as exc:
            determine_all(case, people["handler"], outcome=code, **extra)
        assert exc.value.messages == [message]
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.IN_PROGRESS
    assert open_steps(case) == ["handle"]


def test_mixed_items_give_partial_disclosure(agency, people, land):
    case = accepted(agency, people, land, items=("征收补偿方案", "被征收人名单"))
    first, second = case.items.all()
    case = svc.request_determine(actor=people["handler"], case=case, decisions=[
        {"item": first.pk, "outcome": "1"}, {"item": second.pk, "outcome": "3.4", "reasoning": "涉及个人隐私"}])
    assert case.outcome == "2"


def test_repeat_application_links_the_earlier_answered_case(agency, people, land):
    earlier = reply_to_archive(determine_all(accepted(agency, people, land), people["handler"]), people)
    other_person = accepted(agency, people, land, id_number="410402198001015678")
    case = accepted(agency, people, land)
    from workflows.selectors import similar_answered_cases

    assert [c.pk for c in similar_answered_cases(case)] == [earlier.pk]
    assert similar_answered_cases(other_person) == []
    with pytest.raises(ValidationError):
        determine_all(case, people["handler"], outcome="5.2", repeat_of=other_person)
    case = determine_all(case, people["handler"], outcome="5.2", repeat_of=earlier)
    assert case.outcome == "5.2" and case.repeat_of == earlier


def test_fee_amount_follows_the_bands_and_a_wrong_amount_is_refused(agency, people, land):
    case = accepted(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        svc.request_fee_notice(actor=people["handler"], case=case, method="per_page", quantity=150, amount=Decimal("1000"))
    assert exc.value.messages == [fees.ERR_FEE_MISMATCH.format(amount=Decimal(1700))]
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.IN_PROGRESS  # nothing changed
    notice = svc.request_fee_notice(actor=people["handler"], case=case, method="per_page", quantity=150)
    assert notice.amount == Decimal(1700) and "国办函〔2020〕109号" in notice.basis
    assert "101至200页每页20元" in case.documents.get(kind="fee_notice").data["fee_standard"]  # its own row


def test_applicant_declines_the_fee_closes_as_other_2(agency, people, land):
    case = accepted(agency, people, land)
    svc.request_fee_notice(actor=people["handler"], case=case, method="per_application", quantity=11)
    case = svc.request_fee_decline(actor=None, case=DisclosureRequest.objects.get(pk=case.pk))
    assert case.status == RequestStatus.CLOSED and case.outcome == outcomes.LAPSED_FEE
    assert open_tasks(case) == [] and actions(case)[-1] == "request.fee_declined"
