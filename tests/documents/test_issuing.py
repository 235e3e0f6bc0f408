"""Draft -> signed -> issued: numbers, freezing, permissions, corrections, audit."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies import roles
from agencies.services import staff_create
from audit.selectors import audit_events_for
from documents import kinds
from documents.models import Document, DocumentStatus, RenderStatus
from documents.selectors import documents_for_applicant
from documents.services import (
    ERR_NOT_SIGNED,
    case_document_correct,
    case_document_draft,
    case_document_issue,
    case_document_issue_now,
    case_document_sign,
    case_document_update,
)

from .conftest import make_case

pytestmark = pytest.mark.django_db


def test_reply_goes_draft_signed_issued_and_gets_the_next_number(case, handler, chief):
    doc = case_document_draft(actor=handler, request=case, kind=kinds.REPLY, data={"note": "特此答复。"})
    assert doc.status == DocumentStatus.DRAFT and doc.number == ""
    assert doc.data["case"]["applicant_name"] == "张三"
    with pytest.raises(ValidationError, match=ERR_NOT_SIGNED):
        case_document_issue(actor=chief, document=doc)
    doc = case_document_sign(actor=chief, document=doc)
    assert doc.status == DocumentStatus.SIGNED
    doc = case_document_issue(actor=chief, document=doc)
    year = timezone.localdate().year
    assert doc.number == f"石龙政办依申复〔{year}〕1号"
    assert doc.render_status == RenderStatus.DONE
    assert bytes(doc.pdf).startswith(b"%PDF") and len(doc.sha256) == 64
    second = case_document_issue_now(actor=None, request=case, kind=kinds.REPLY)
    assert second.serial == 2
    actions = [e.action for e in audit_events_for(doc)]
    assert actions == ["document.drafted", "document.signed", "document.issued", "document.rendered"]


def test_numbers_are_per_kind_and_per_agency(case, other_agency):
    a = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    b = case_document_issue_now(actor=None, request=case, kind=kinds.SUPPLEMENT_NOTICE,
                                data={"supplement_items": ["请写明文件名称"], "supplement_due": "2026-03-20"})
    other = make_case(other_agency, number="安岳依申〔2026〕1号", tracking="T-OTHER-1")
    c = case_document_issue_now(actor=None, request=other, kind=kinds.RECEIPT)
    assert (a.serial, b.serial, c.serial) == (1, 1, 1)
    assert "依申登" in a.number and "依申补" in b.number and c.number.startswith("安府办")


def test_staff_edit_free_text_only_while_draft(case, handler, chief):
    doc = case_document_draft(actor=handler, request=case, kind=kinds.REPLY)
    doc = case_document_update(actor=handler, document=doc, changes={"note": "如需纸质件，请来电。"})
    assert doc.data["note"] == "如需纸质件，请来电。"
    with pytest.raises(ValidationError):
        case_document_update(actor=handler, document=doc, changes={"case": {}})
    case_document_sign(actor=chief, document=doc)
    with pytest.raises(ValidationError):
        case_document_update(actor=handler, document=doc, changes={"note": "改"})


def test_issued_document_never_changes(case):
    doc = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    doc.data = {**doc.data, "note": "改动"}
    with pytest.raises(ValidationError):
        doc.save()
    with pytest.raises(ValidationError):
        case_document_issue(actor=None, document=Document.objects.get(pk=doc.pk))


def test_a_correction_is_a_new_document_naming_the_old(case):
    old = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    new = case_document_correct(actor=None, document=old, data={"note": "更正登记号。"})
    new = case_document_issue(actor=None, document=case_document_sign(actor=None, document=new))
    assert new.corrects == old and new.number != old.number
    assert Document.objects.get(pk=old.pk).sha256 == old.sha256


def test_handler_cannot_sign_a_reply_and_other_agencies_cannot_touch_it(case, handler, make_staff, other_agency):
    doc = case_document_draft(actor=handler, request=case, kind=kinds.REPLY)
    with pytest.raises(PermissionDenied):
        case_document_sign(actor=handler, document=doc)
    outsider = staff_create(actor=None, username="outsider", password="pw-for-tests-123", full_name="外机关",
                            agency=other_agency, roles=[roles.PERSON_IN_CHARGE])
    with pytest.raises(PermissionDenied):
        case_document_sign(actor=outsider, document=doc)
    auditor = make_staff(roles.AUDITOR)
    with pytest.raises(PermissionDenied):
        case_document_draft(actor=auditor, request=case, kind=kinds.RECEIPT)


def test_registrar_issues_a_receipt_at_once(case, make_staff):
    registrar = make_staff(roles.REGISTRAR)
    doc = case_document_issue_now(actor=registrar, request=case, kind=kinds.RECEIPT)
    assert doc.status == DocumentStatus.ISSUED and doc.issued_by == registrar


def test_applicant_sees_only_issued_outward_documents(case, handler):
    case_document_draft(actor=handler, request=case, kind=kinds.REPLY)
    receipt = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    case_document_issue_now(actor=None, request=case, kind=kinds.APPROVAL_SHEET, data={"approval": "同意签发。"})
    assert list(documents_for_applicant(case)) == [receipt]
