import io
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied

from agencies import roles
from agencies.services import staff_create
from documents import kinds
from documents.casefile import case_file_build
from documents.services import case_document_issue_now
from tests.applications import accepted, determine_all, reply_to_archive

pytestmark = pytest.mark.django_db


def test_case_file_bundles_documents_clock_and_audit_with_contents(case, handler):
    receipt = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    reply = case_document_issue_now(actor=None, request=case, kind=kinds.REPLY)
    cf = case_file_build(actor=handler, request=case)
    with pdfplumber.open(io.BytesIO(bytes(cf.pdf))) as pdf:
        first = pdf.pages[0].extract_text().replace(" ", "")
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
    assert "卷宗目录" in first and "法定期限记录" in first and "审计事件记录" in first
    assert receipt.number in text and reply.number in text
    assert "答复期限" in text and "document.issued" in text
    names = zipfile.ZipFile(io.BytesIO(bytes(cf.zip))).namelist()
    assert "manifest.json" in names and any(receipt.kind in n for n in names)
    originals = [m for m in cf.contents if m["sha256"] == reply.sha256]
    assert originals, "the reply is bundled byte for byte"


def test_other_agency_staff_cannot_build_the_case_file(case, other_agency):
    outsider = staff_create(actor=None, username="x", password="pw-for-tests-123", full_name="外", agency=other_agency,
                            roles=[roles.AUDITOR])
    with pytest.raises(PermissionDenied):
        case_file_build(actor=outsider, request=case)


def test_archiving_builds_the_case_file(agency, people, land, django_capture_on_commit_callbacks):
    from documents.selectors import case_file_for

    case = determine_all(accepted(agency, people, land), people["handler"])
    with django_capture_on_commit_callbacks(execute=True):
        case = reply_to_archive(case, people)
    case_file = case_file_for(case)
    assert case_file is not None and bytes(case_file.pdf)[:5] == b"%PDF-"
