"""Archiving answers at once: the case file (卷宗) is built after commit, beside the
request (a thread without a broker, a Celery worker with one), and the case page says
正在生成卷宗 and asks until it is there, then links it for those who may open it."""
import pytest
from viewflow.workflow.models import Task

from documents.models import CaseFile
from legal.selectors import local_today
from tests.applications import accepted, determine_all, svc
from workflows.demo import disclosed_attachments
from workflows.flows import DisclosureRequestFlow as Flow

pytestmark = pytest.mark.django_db


def delivered(agency, p, land):
    case = determine_all(accepted(agency, p, land), p["handler"])
    svc.request_confidentiality_clear(actor=p["secrecy"], case=case)
    svc.request_reply_draft(actor=p["handler"], case=case, attachments=disclosed_attachments(case))
    svc.request_sign_off(actor=p["chief"], case=case, approve=True)
    svc.request_delivery_record(actor=p["registrar"], case=case, method="post", delivered_on=local_today(),
                                tracking_number="1190012345678")
    return case


def test_archiving_does_not_wait_for_the_case_file_and_the_page_shows_its_progress(client, agency, people, land,
                                                                                 settings, monkeypatch):
    settings.CASE_FILE_BUILD_IN_BACKGROUND = True  # the embedded default: no broker
    started = []
    monkeypatch.setattr("documents.tasks.start_thread", lambda target, *args: started.append(args))
    case = delivered(agency, people, land)
    client.force_login(people["registrar"])
    task = Task.objects.filter(process__in=case.processes.all(), flow_task=Flow.archive).get()
    client.post(Flow.archive.reverse("assign", args=[task.process_id, task.pk]))
    resp = client.post(Flow.archive.reverse("execute", args=[task.process_id, task.pk]), {"confirm": "on"}, follow=True)
    page = resp.content.decode()
    assert "卷宗正在生成" in page  # the message after archiving
    assert len(started) == 1 and not CaseFile.objects.filter(request=case).exists()  # handed off, not built inline
    progress = page.split('id="case-file"')[1].split("</section>")[0]
    assert "正在生成卷宗…" in progress and f"/staff/workflow/cases/{case.pk}/case-file-status/" in progress
    assert client.get(f"/staff/workflow/cases/{case.pk}/case-file-status/").json() == {
        "ready": False, "pending": True, "label": "正在生成卷宗…"}

    from documents.tasks import case_file_build

    case_file_build.apply(args=started[0], throw=True)  # what the thread runs
    assert client.get(f"/staff/workflow/cases/{case.pk}/case-file-status/").json()["ready"] is True
    page = client.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    section = page.split('id="case-file"')[1].split("</section>")[0]
    assert "下载卷宗（PDF）" in section and f"/staff/documents/documents/case/{case.pk}/casefile.pdf" in section
    assert "正在生成" not in section
