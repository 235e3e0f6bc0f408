"""Every task page of an application starts with the same case summary: who applied,
what they asked for in their own words, their files, and the clock (deadline, days
left, paused or extended). Walked through every kind of human task of the flow, on our
step pages and on viewflow's own task pages (detail, claim)."""
import re
from decimal import Decimal

import pytest
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from legal.selectors import local_today
from tests.applications import days_ago, open_tasks, svc
from workflows.demo import disclosed_attachments, sample_pdf
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest
from workflows.nodes import CaseView

pytestmark = pytest.mark.django_db

DESCRIPTION = "2025年石龙区龙兴街片区的征收补偿标准及附图"
WHO = {
    "register": "registrar", "check_completeness": "registrar", "wait_supplement": "registrar", "deliver": "registrar",
    "archive": "registrar", "closure_deliver": "registrar", "approve_extension": "chief", "sign_off": "chief",
    "closure_sign_off": "chief", "confidentiality_review": "secrecy",
}


def apply(agency, people, *, received=None, channel="in_person"):
    import datetime as dt

    from django.utils import timezone

    received = received or local_today()
    case, _code = svc.request_submit(
        actor=people["registrar"], agency=agency, applicant_type="natural", applicant_name="张三", id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", channel=channel, form_wanted="paper",
        delivery_wanted="post", description="申请公开石龙区2025年土地征收补偿方案",
        submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9, 30))),
        items=[{"title": "2025年土地征收补偿方案", "description": DESCRIPTION}], address="石龙区人民路1号",
        attachments=[sample_pdf("身份证复印件")])
    return case


class Walk:
    """Opens every live human task of a case as the person who works it: viewflow's task
    detail page, its claim page while unclaimed, then our step page."""

    def __init__(self, client, people):
        self.client, self.people, self.seen = client, people, {}

    def user_for(self, task):
        if task.owner_id:
            return task.owner
        return self.people[WHO.get(task.flow_task.name, "handler")]

    def visit(self, case):
        for task in open_tasks(case):
            node = task.flow_task
            if not isinstance(node, CaseView):
                continue
            self.client.force_login(self.user_for(task))
            args = [task.process_id, task.pk]
            pages = {"detail": self.client.get(node.reverse("detail", args=args))}
            if task.status == STATUS.NEW:
                pages["assign"] = self.client.get(node.reverse("assign", args=args))
                assert self.client.post(node.reverse("assign", args=args)).status_code == 302
            pages["execute"] = self.client.get(node.reverse("execute", args=args))
            for kind, resp in pages.items():
                assert resp.status_code == 200, (node.name, kind, resp.status_code)
                summary_is_there(resp.content.decode(), f"{node.name} {kind}")
            self.seen[node.name] = set(pages)
        return DisclosureRequest.objects.get(pk=case.pk)


def summary_is_there(page: str, where: str):
    found = re.search(r'<section class="ogi-case-summary".*?</section>\s*</section>|'
                      r'<section class="ogi-case-summary".*?id="case-clock".*?</div>', page, re.S)
    assert found, f"{where}: no case summary"
    summary = found.group(0)
    assert page.count('class="ogi-case-summary"') == 1, f"{where}: the summary twice"
    assert "张三（自然人）" in summary, where
    assert DESCRIPTION in summary, where
    assert "身份证复印件.pdf" in summary and "/applicant-files/" in summary, where
    days = re.search(r'id="case-days-left">([^<]+)<', summary)
    assert days and re.fullmatch(r"剩余\d+个工作日|今日到期|已超期\d+个工作日|已办结", days.group(1)), (where, days)
    assert re.search(r'id="case-due">\d{4}年\d{1,2}月\d{1,2}日<', summary), where


def test_every_kind_of_task_starts_with_the_case_summary(client, agency, people, land):
    walk = Walk(client, people)
    p = people
    case = walk.visit(apply(agency, people))                                   # 登记
    svc.request_register(actor=p["registrar"], case=case)
    case = walk.visit(case)                                                    # 审查申请内容
    svc.request_supplement_notice(actor=p["registrar"], case=case, what="请写明文号", days=10, sent_via="email")
    case = walk.visit(case)                                                    # 等待补正
    svc.request_supplement_receive(actor=p["registrar"], case=case, note="已补充")
    case = walk.visit(case)
    svc.request_accept(actor=p["registrar"], case=case, department=land, handler=p["handler"])
    case = walk.visit(case)                                                    # 承办
    svc.request_third_party_consult(actor=p["handler"], case=case, third_party="某置业有限公司", matter="商业秘密",
                                    sent_via="email")
    case = walk.visit(case)                                                    # 记录第三方意见
    svc.request_third_party_opinion(actor=p["handler"], case=case, opinion="consent", received_on=local_today())
    svc.request_other_agency_consult(actor=p["handler"], case=case, other_agency="平顶山市自然资源和规划局",
                                     matter="共同制作的补偿方案")
    case = walk.visit(case)                                                    # 记录其他机关意见
    svc.request_other_agency_answer(actor=p["handler"], case=case, answer="consent", received_on=local_today())
    svc.request_volume_reasons_ask(actor=p["handler"], case=case, question="请说明本月申请40件的理由")
    case = walk.visit(case)                                                    # 认定申请人说明的理由
    svc.request_volume_decide(actor=p["handler"], case=case, reasons="研究需要", decision="longer", longer_days=10)
    svc.request_consultation_convene(actor=p["handler"], case=case, participants=[p["legal"], p["secrecy"]],
                                     question="是否属于过程性信息")
    case = walk.visit(case)                                                    # 出具会商意见
    svc.request_consultation_opinion(actor=p["legal"], case=case, opinion="不属于过程性信息")
    svc.request_consultation_opinion(actor=p["secrecy"], case=case, opinion="不涉密")
    case = walk.visit(case)                                                    # 记录会商结论
    svc.request_consultation_decide(actor=p["handler"], case=case, decision="予以公开")
    svc.request_extension_ask(actor=p["handler"], case=case, days=10, reason="需调取档案")
    case = walk.visit(case)                                                    # 审批延期
    svc.request_extension_decide(actor=p["chief"], case=case, approve=True, comment="同意")
    case = walk.visit(case)
    assert "经批准已延长10个工作日" in client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    svc.request_fee_notice(actor=p["handler"], case=case, amount=Decimal("100"), basis="按件计收")
    case = walk.visit(case)                                                    # 等待缴费
    fee_page = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    state = re.search(r'id="case-clock-state">([^<]+)<', fee_page).group(1)
    assert "暂停计时" in state and "等待缴纳信息处理费，暂停期间不计入答复期限" in state
    svc.request_fee_paid(actor=p["handler"], case=case)
    svc.request_determine(actor=p["handler"], case=case, decisions=[
        {"item": i.pk, "outcome": "1", "reasoning": "依法予以公开"} for i in case.items.all()])
    case = walk.visit(case)                                                    # 保密审查
    svc.request_confidentiality_clear(actor=p["secrecy"], case=case, note="不涉密")
    case = walk.visit(case)                                                    # 拟写答复
    svc.request_reply_draft(actor=p["handler"], case=case, attachments=disclosed_attachments(case))
    case = walk.visit(case)                                                    # 审签
    svc.request_sign_off(actor=p["chief"], case=case, approve=True)
    case = walk.visit(case)                                                    # 送达
    svc.request_delivery_record(actor=p["registrar"], case=case, method="post", delivered_on=local_today(),
                                tracking_number="1190012345678")
    case = walk.visit(case)                                                    # 归档

    # a supplement never given: the lapse is signed and served
    lapsed = apply(agency, people, received=days_ago(20), channel="post")
    lapsed = svc.request_register(actor=p["registrar"], case=lapsed, signed_for_on=days_ago(20))
    svc.request_supplement_notice(actor=p["registrar"], case=lapsed, what="请补充身份证明", days=3,
                                  on=days_ago(19), sent_via="email")
    assert fire_due_timers() == 1
    lapsed = walk.visit(lapsed)                                                # 签发终止处理告知书
    svc.request_closure_sign_off(actor=p["chief"], case=lapsed)
    walk.visit(lapsed)                                                         # 送达终止处理告知书

    human = {n.name for n in Flow.instance.nodes() if isinstance(n, CaseView)}
    assert set(walk.seen) == human, human - set(walk.seen)
    assert all("detail" in kinds and "execute" in kinds for kinds in walk.seen.values())
    assert any("assign" in kinds for kinds in walk.seen.values())


def test_a_task_page_of_another_process_has_no_case_summary(client, agency, people):
    """The summary belongs to applications; the shared viewflow frame stays as it was for
    publications (no empty box, no error)."""
    from django.template import Context, Template

    html = Template("{% load case_summary %}{% case_summary thing %}").render(Context({"thing": object()}))
    assert html.strip() == ""
