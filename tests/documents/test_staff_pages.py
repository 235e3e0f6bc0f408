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
