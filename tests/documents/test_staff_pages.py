import pytest
from django.urls import reverse

from agencies import roles
from agencies.services import staff_create
from documents import kinds
from documents.models import Document
from documents.selectors import documents_for_applicant
from documents.services import case_document_draft, case_document_issue_now

pytestmark = pytest.mark.django_db


def test_handler_previews_edits_and_chief_signs_and_issues(client, case, handler, chief):
    doc = case_document_draft(actor=handler, request=case, kind=kinds.REPLY)
    client.force_login(handler)
    url = reverse("documents:documents:detail", args=[doc.pk])
    page = client.get(url)
    assert page.status_code == 200 and "政府信息公开申请答复书" in page.content.decode()
    client.post(url, {"action": "save", "note": "附件为电子文件。"})
    assert Document.objects.get(pk=doc.pk).data["note"] == "附件为电子文件。"
    client.force_login(chief)
    client.post(url, {"action": "sign"})
    client.post(url, {"action": "issue"})
    doc.refresh_from_db()
    assert doc.number and doc.sha256
    pdf = client.get(reverse("documents:documents:pdf", args=[doc.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("documents:documents:index")).status_code == 200


def test_pdf_download_is_refused_to_other_agencies(client, case, other_agency):
    doc = case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    outsider = staff_create(actor=None, username="o", password="pw-for-tests-123", full_name="外", agency=other_agency,
                            roles=[roles.PERSON_IN_CHARGE])
    client.force_login(outsider)
    assert client.get(reverse("documents:documents:pdf", args=[doc.pk])).status_code == 404
    assert documents_for_applicant(case).count() == 1


def test_document_list_runs_a_fixed_number_of_queries(client, case, handler, django_assert_max_num_queries):
    for _ in range(3):
        case_document_issue_now(actor=None, request=case, kind=kinds.RECEIPT)
    client.force_login(handler)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("documents:documents:index")).status_code == 200


def test_a_case_in_its_process_is_signed_in_the_flow_not_on_the_document_page(client, case, handler, chief):
    """The document page shows the draft (escaped once into the preview frame) and the PDF
    links; signing and issuing happen in the process's 审签 step, never beside it."""
    from html import unescape

    from workflows.flows import DisclosureRequestFlow
    from workflows.models import RequestProcess

    RequestProcess.objects.create(case=case, flow_class=DisclosureRequestFlow)
    doc = case_document_draft(actor=handler, request=case, kind=kinds.REPLY)
    url = reverse("documents:documents:detail", args=[doc.pk])
    client.force_login(chief)
    page = client.get(url).content.decode()
    assert "审签定稿" not in page and "出具（编号并生成PDF）" not in page
    assert "在办理流程中审签" in page
    srcdoc = page.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert "<" not in srcdoc and "政府信息公开申请答复书" in unescape(srcdoc)
    assert unescape(srcdoc).lstrip().startswith("<!DOCTYPE") or unescape(srcdoc).lstrip().startswith("<")

    client.post(url, {"action": "sign"})
    client.post(url, {"action": "issue"})
    doc.refresh_from_db()
    assert doc.status == "draft" and not doc.number
