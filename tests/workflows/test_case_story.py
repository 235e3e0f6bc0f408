"""The case page tells the story of the case in words: who did what and when (by the
part they play and their name), the clock with how its deadline was derived, every
document as a link, and the case file (卷宗) for those who may open it."""
import re

import pytest

from tests.applications import accepted, determine_all, reply_to_archive, svc

pytestmark = pytest.mark.django_db


def test_the_case_page_reads_as_the_story_of_the_case(client, agency, people, land):
    case = accepted(agency, people, land)
    svc.request_extension_ask(actor=people["handler"], case=case, days=5, reason="需调取档案")
    svc.request_extension_decide(actor=people["chief"], case=case, approve=True, comment="同意")
    case = determine_all(case, people["handler"])
    client.force_login(people["secrecy"])  # claimed on the page: the step by its name in the story
    from viewflow.workflow.models import Task

    from workflows.flows import DisclosureRequestFlow as Flow

    task = Task.objects.get(process__in=case.processes.all(), flow_task=Flow.confidentiality_review)
    assert client.post(Flow.confidentiality_review.reverse("assign", args=[task.process_id, task.pk])).status_code == 302
    case = reply_to_archive(case, people)
    client.force_login(people["registrar"])
    page = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()

    story = page.split('id="case-audit"')[1].split("</section>")[0]
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 登记人员李登记录入申请人张三当面提交的申请", story), story
    for sentence in [f"登记人员李登记确认收到申请并登记（登记号 {case.registration_number}）",
                     "登记人员李登记审查申请内容明确，交承办部门办理",
                     "承办人王承办申请延长答复期限：需调取档案", "负责人吴负责同意延长答复期限：同意",
                     "承办人王承办逐项作出处理决定", "保密审查人员孙保密审查通过，同意公开", "承办人王承办拟写答复书",
                     "负责人吴负责审签同意出具答复书", "登记人员李登记送达答复书", "登记人员李登记归档，案件办结"]:
        assert sentence in story, sentence
    assert "孙保密领取了“保密审查”任务" in story
    lines = re.findall(r"<li>(.*?)</li>", story, re.S)
    assert lines and not [line for line in lines if re.search(r"[A-Za-z]{2,}", line)]  # words, no codes

    clock = page.split('id="case-clock"')[1].split("</div>")[0]
    assert "<details open>" in clock and "收到，自次日起计算 20 个工作日" in clock
    assert "经负责人同意延长 5 个工作日" in clock and "经批准已延长5个工作日" in clock

    documents = page.split('id="case-documents"')[1].split("</section>")[0]
    reply = case.documents.get(kind="reply")
    assert f'href="/staff/documents/documents/{reply.pk}/"' in documents and "答复书" in documents

    case_file = page.split('id="case-file"')[1].split("</section>")[0]
    assert f"/staff/documents/documents/case/{case.pk}/casefile.pdf" in case_file and "下载卷宗（PDF）" in case_file
