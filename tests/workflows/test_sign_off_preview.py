"""审签 shows the reply as it will be printed (the draft PDF's pages as an image, and the
PDF itself) and every opinion given before it, by name; the confidentiality reviewer sees
the same preview of the reply composed from the decisions. Each viewing is on record and
nobody who may not see the case gets it."""
import io

import pytest
from PIL import Image
from viewflow.workflow.models import Task

from audit.models import AuditEvent
from tests.applications import accepted, determine_all, svc
from workflows.demo import disclosed_attachments
from workflows.flows import DisclosureRequestFlow as Flow

pytestmark = pytest.mark.django_db


def page_of(client, user, case, node):
    client.force_login(user)
    task = Task.objects.filter(process__in=case.processes.all(), flow_task=node).exclude(status="DONE").get()
    if task.status == "NEW":
        client.post(node.reverse("assign", args=[task.process_id, task.pk]))
    return client.get(node.reverse("execute", args=[task.process_id, task.pk])).content.decode()


def viewings(case):
    return [e.after.get("what") for e in AuditEvent.objects.filter(action="document.viewed", object_id=str(case.pk))]


def test_the_person_in_charge_reads_the_reply_as_printed_and_every_opinion(client, agency, people, land):
    p = people
    case = accepted(agency, p, land)
    svc.request_consultation_convene(actor=p["handler"], case=case, participants=[p["legal"], p["ogi_handler"]],
                                     question="第3页是否涉及个人隐私")
    svc.request_consultation_opinion(actor=p["legal"], case=case, opinion="不涉及个人隐私，可以公开")
    svc.request_consultation_opinion(actor=p["ogi_handler"], case=case, opinion="建议公开")
    svc.request_consultation_decide(actor=p["handler"], case=case, decision="予以公开")
    case = determine_all(case, p["handler"])

    # the confidentiality reviewer: the reply as it would go out, before anyone drafts it
    page = page_of(client, p["secrecy"], case, Flow.confidentiality_review)
    assert f'/staff/workflow/cases/{case.pk}/reply-preview.png' in page
    assert "答复书（按逐项处理决定生成，尚未拟稿）" in page and "周法制" in page and "不涉及个人隐私，可以公开" in page
    png = client.get(f"/staff/workflow/cases/{case.pk}/reply-preview.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert "答复书草稿预览（PNG）" in viewings(case)

    svc.request_confidentiality_clear(actor=p["secrecy"], case=case, note="不涉密，同意公开")
    svc.request_reply_draft(actor=p["handler"], case=case, attachments=disclosed_attachments(case))
    page = page_of(client, p["chief"], case, Flow.sign_off)
    opinions = page.split('id="opinions-before"')[1].split("</section>")[0]
    for expected in ["保密审查意见</strong> 孙保密", "不涉密，同意公开", "会商意见</strong> 周法制", "不涉及个人隐私，可以公开",
                     "会商意见</strong> 钱承办", "建议公开", "会商结论</strong> 王承办", "予以公开"]:
        assert expected in opinions, expected
    assert 'id="reply-print-preview"' in page and "在新窗口打开 PDF" in page

    png = client.get(f"/staff/workflow/cases/{case.pk}/reply-preview.png")
    image = Image.open(io.BytesIO(png.content))
    assert image.height > image.width * 1.3  # at least one A4 page, upright
    pdf = client.get(f"/staff/workflow/cases/{case.pk}/reply-preview.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("inline")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "本机关予以公开" in text.replace("\n", "") and "草稿" in text
    assert viewings(case).count("答复书草稿预览（PNG）") == 2 and "答复书草稿预览（PDF）" in viewings(case)


def test_nobody_else_sees_the_draft(client, agency, people, land, make_staff):
    from agencies import roles
    from agencies.services import department_create

    case = determine_all(accepted(agency, people, land), people["handler"])
    other_department = department_create(actor=None, agency=agency, name="住房和城乡建设局", code="housing")
    stranger = make_staff(roles.HANDLER, username="stranger", full_name="郑其他", department_=other_department)
    client.force_login(stranger)
    for fmt in ("png", "pdf"):
        assert client.get(f"/staff/workflow/cases/{case.pk}/reply-preview.{fmt}").status_code == 404
    client.force_login(people["handler"])
    fresh = accepted(agency, people, land)  # nothing decided yet: nothing to preview
    assert client.get(f"/staff/workflow/cases/{fresh.pk}/reply-preview.png").status_code == 404
