"""拟写答复: the reply's body is drafted in one full-width editor that starts with the
generated text; the handler edits it there, and the letter carries the edited text once
(no generated paragraph repeated after it). Left as it was, the body is composed anew, so
the files uploaded with it get their 附件 numbers."""
import html
import io
import re

import pytest
from pypdf import PdfReader
from viewflow.workflow.models import Task

from documents.previews import draft_pdf
from tests.applications import accepted, determine_all, svc
from workflows.demo import sample_pdf
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest

pytestmark = pytest.mark.django_db

OPENING = "经审查，现答复如下："


def draft_url(case):
    task = Task.objects.filter(process__in=case.processes.all(), flow_task=Flow.draft_reply).exclude(status="DONE").get()
    return Flow.draft_reply.reverse("execute", args=[task.process_id, task.pk])


def editor_text(page: str) -> str:
    found = re.search(r'<textarea name="text"[^>]*class="ogi-editor"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, "no reply editor"
    return html.unescape(found.group(1)).strip()


def letter_text(case) -> str:
    draft = case.documents.filter(kind="reply", status="draft").order_by("-id").first()
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(draft_pdf(draft))).pages).replace("\n", "")


@pytest.fixture
def drafting(agency, people, land):
    case = determine_all(accepted(agency, people, land), people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case, note="不涉密")
    return DisclosureRequest.objects.get(pk=case.pk)


def test_the_editor_starts_with_the_generated_reply_and_unchanged_it_is_composed_anew(client, drafting, people):
    case = drafting
    client.force_login(people["handler"])
    page = client.get(draft_url(case)).content.decode()
    start = editor_text(page)
    assert start.startswith("本机关于") and OPENING in start and "属于公开范围，本机关予以公开" in start
    assert "现随本答复书一并提供（见附件1）" in start  # the file the step asks for is counted already
    assert "补充说明" not in page and 'id="reply-preview"' not in page  # not a box pasted after a preview
    item = case.items.get()
    resp = client.post(draft_url(case), {"text": start, f"files_{item.pk}": sample_pdf("2025年土地征收补偿方案"),
                                         "provided_form": "paper"})
    assert resp.status_code == 302
    draft = case.documents.get(kind="reply", status="draft")
    assert "body" not in draft.data  # composed from the decisions: the file just uploaded is 附件1
    text = letter_text(case)
    assert text.count(OPENING) == 1 and "现随本答复书一并提供（见附件1）" in text


def test_an_edited_body_replaces_the_generated_one_once(client, drafting, people):
    case = drafting
    client.force_login(people["handler"])
    item = case.items.get()
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=[(item, sample_pdf("补偿方案"))])
    svc.request_sign_off(actor=people["chief"], case=case, approve=False, comments="请写明领取地点")
    case = DisclosureRequest.objects.get(pk=case.pk)
    page = client.get(draft_url(case)).content.decode()
    assert "负责人退回意见" in page and "请写明领取地点" in page
    start = editor_text(page)
    assert "（见附件1）" in start
    edited = start + "\n\n纸质件请于工作日到石龙区政务服务中心一楼3号窗口领取。"
    assert client.post(draft_url(case), {"text": edited, "provided_form": "paper"}).status_code == 302
    text = letter_text(case)
    assert text.count(OPENING) == 1 and text.count("属于公开范围，本机关予以公开") == 1
    assert text.count("一楼3号窗口领取") == 1 and text.count("如对本答复不服") == 1  # the remedy stays, once

    # returned again: the editor starts from the handler's own text, not the generated one
    svc.request_sign_off(actor=people["chief"], case=case, approve=False, comments="再核对一次")
    case = DisclosureRequest.objects.get(pk=case.pk)
    again = editor_text(client.get(draft_url(case)).content.decode())
    assert again.count("一楼3号窗口领取") == 1 and again.count(OPENING) == 1
