"""A step decides its document inside its transaction; the number and the PDF come after
the step has committed, so WeasyPrint never runs while the case row or the audit chain is
locked. These tests commit for real (transactional_db)."""
import pytest
from django.db import transaction

import documents.issuing
from audit.models import AuditEvent
from documents.models import Document, DocumentStatus, RenderStatus
from tests.applications import accepted, determine_all, svc
from workflows.demo import disclosed_attachments
from workflows.models import DisclosureRequest, RequestStatus


def _spy_on_rendering(monkeypatch, case):
    seen = []
    render = documents.issuing.render_pdf

    def spy(html):
        seen.append({
            "open_transaction": transaction.get_connection().in_atomic_block,
            "case_status": DisclosureRequest.objects.get(pk=case.pk).status,
            "reply_issued_recorded": AuditEvent.objects.filter(
                action="request.reply_issued", object_id=str(case.pk)).exists(),
        })
        return render(html)

    monkeypatch.setattr(documents.issuing, "render_pdf", spy)
    return seen


@pytest.mark.django_db(transaction=True)
def test_issuing_a_reply_renders_its_pdf_after_the_step_has_committed(agency, people, land, monkeypatch):
    case = accepted(agency, people, land)
    determine_all(case, people["handler"])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=disclosed_attachments(case))
    seen = _spy_on_rendering(monkeypatch, case)

    svc.request_sign_off(actor=people["chief"], case=case, approve=True)

    # The reply and the 办理审批单, each rendered once with no transaction open: the case
    # was already issued and its audit event written, both committed, when WeasyPrint started.
    assert seen == [{"open_transaction": False, "case_status": RequestStatus.ISSUED,
                     "reply_issued_recorded": True}] * 2
    reply = Document.objects.get(request=case, kind="reply")
    assert reply.status == DocumentStatus.ISSUED and reply.number and reply.render_status == RenderStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_a_step_that_fails_leaves_no_document_behind(agency, people, land, monkeypatch):
    """The document is decided in the step's transaction: if the step rolls back, no
    draft, number or PDF remains, and nothing was rendered."""
    case, _code = svc.request_submit(
        actor=people["registrar"], agency=agency, applicant_type="natural", applicant_name="张三",
        id_type="resident_id", id_number="410402199001011234", phone="13800000000", channel="in_person",
        form_wanted="paper", delivery_wanted="post", items=[{"title": "2025年土地征收补偿方案"}])
    seen = _spy_on_rendering(monkeypatch, case)

    def fail_after_the_receipt(*args, **kwargs):
        raise RuntimeError("the viewflow task could not be completed")

    monkeypatch.setattr("workflows.services._step.Step.complete", fail_after_the_receipt)
    with pytest.raises(RuntimeError):
        svc.request_register(actor=people["registrar"], case=case)

    assert seen == []
    assert not Document.objects.filter(request=case).exists()
    assert DisclosureRequest.objects.get(pk=case.pk).status == RequestStatus.SUBMITTED
