"""Art. 36(2), Art. 40: the information is provided in the form asked for (or another, with
the reason); the disclosed files are attached by the handler, listed in the reply as 附件,
delivered with it and kept in the case file. "（见附件）" only when there is one."""
import io
import time
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.casefile import case_file_build
from documents.uploads import ERR_DISCLOSED_BROKEN, ERR_DISCLOSED_TYPE
from tests.applications import accepted, svc
from workflows.demo import sample_pdf
from workflows.models import DisclosureRequest
from workflows.services import decision

pytestmark = pytest.mark.django_db

ITEMS = ("2025年土地征收补偿方案", "2025年征地听证笔录")


def pdf_text(document) -> str:
    with pdfplumber.open(io.BytesIO(bytes(document.pdf))) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")


def decided(agency, people, land):
    """Item 1 disclosed, item 2 does not exist (4.1); cleared by the confidentiality review."""
    case = accepted(agency, people, land, items=ITEMS)
    first, second = case.items.order_by("position")
    svc.request_determine(actor=people["handler"], case=case, decisions=[
        {"item": first.pk, "outcome": "1", "reasoning": ""},
        {"item": second.pk, "outcome": "4.1", "reasoning": "经检索档案室2025年全部案卷，未找到该听证笔录"},
    ])
    svc.request_confidentiality_clear(actor=people["secrecy"], case=case)
    return DisclosureRequest.objects.get(pk=case.pk), first, second


def issued_reply(case, people):
    svc.request_sign_off(actor=people["chief"], case=case, approve=True)
    return case.documents.get(kind="reply", status="issued")


def test_a_disclosing_reply_cannot_be_drafted_without_the_information(agency, people, land):
    case, first, _ = decided(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        svc.request_reply_draft(actor=people["handler"], case=case)
    assert exc.value.messages == [decision.ERR_DISCLOSED_FILE_MISSING.format(n=1, title=ITEMS[0])]


def test_the_reply_lists_its_attachments_and_points_to_them_only_where_one_exists(agency, people, land):
    case, first, _ = decided(agency, people, land)
    svc.request_reply_draft(actor=people["handler"], case=case,
                            attachments=[(first, sample_pdf("石龙区2025年土地征收补偿方案"))])
    text = pdf_text(issued_reply(case, people))
    assert f"您申请获取的“{ITEMS[0]}”属于公开范围，本机关予以公开，现随本答复书一并提供（见附件1）。" in text
    assert "未找到该听证笔录" in text and text.count("见附件") == 1
    assert "上述信息按照您要求的纸质形式提供。" in text
    assert "附件：石龙区2025年土地征收补偿方案" in text
    assert text.index("附件：") < text.rindex("平顶山市石龙区人民政府办公室")  # before the signature


def test_another_form_than_asked_needs_its_reason_and_cites_article_40(agency, people, land):
    case, first, _ = decided(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        svc.request_reply_draft(actor=people["handler"], case=case, provided_form="electronic",
                                attachments=[(first, sample_pdf("补偿方案"))])
    assert exc.value.messages == [decision.ERR_PROVIDED_FORM_REASON.format(wanted="纸质")]
    svc.request_reply_draft(actor=people["handler"], case=case, provided_form="electronic",
                            provided_form_reason="该方案为300页的图册，纸质复制成本过高",
                            attachments=[(first, sample_pdf("补偿方案"))])
    text = pdf_text(issued_reply(case, people))
    assert ("您要求以纸质形式获取，因该方案为300页的图册，纸质复制成本过高，依据《政府信息公开条例》第四十条，"
            "本机关以电子文件形式提供上述信息。") in text


def test_inspection_needs_no_file_and_says_where_to_come(agency, people, land):
    case, _, _ = decided(agency, people, land)
    svc.request_reply_draft(actor=people["handler"], case=case, provided_form="inspection",
                            provided_form_reason="原件为历史档案，不宜复制")
    text = pdf_text(issued_reply(case, people))
    assert "见附件" not in text and "附件：" not in text
    assert "查阅、抄录上述信息" in text and "河南省平顶山市石龙区龙兴街1号" in text


@pytest.mark.parametrize("name, content, message", [
    ("方案.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", ERR_DISCLOSED_BROKEN.format(name="方案.pdf")),
    ("方案.pdf", b"<html><body>not a pdf</body></html>", ERR_DISCLOSED_TYPE),
    ("方案.docx", b"PK\x03\x04broken zip", ERR_DISCLOSED_BROKEN.format(name="方案.docx")),
])
def test_a_file_that_does_not_open_is_refused_and_nothing_is_kept(agency, people, land, name, content, message):
    case, first, _ = decided(agency, people, land)
    with pytest.raises(ValidationError) as exc:
        svc.request_reply_draft(actor=people["handler"], case=case,
                                attachments=[(first, SimpleUploadedFile(name, content))])
    assert exc.value.messages == [message]
    assert not case.disclosed_files.exists()


def test_the_applicant_downloads_the_attachment_after_the_reply_and_staff_of_others_cannot(
        client, agency, other_agency, people, land):
    from agencies import roles
    from agencies.services import staff_create

    case, first, _ = decided(agency, people, land)
    original = sample_pdf("补偿方案")
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=[(first, original)])
    f = case.disclosed_files.get()
    session = client.session
    now = int(time.time())
    session["portal_cases"] = {str(case.pk): [now, now]}  # as the look-up grants it (portal.views._grant)
    session.save()
    portal_url = reverse("portal:disclosed_file", args=[case.tracking_number, f.pk])
    assert client.get(portal_url).status_code == 404  # not before the reply is issued
    issued_reply(case, people)
    page = client.get(reverse("portal:case", args=[case.tracking_number])).content.decode()
    assert "附件1：补偿方案.pdf" in page
    response = client.get(portal_url)
    original.seek(0)
    assert response.status_code == 200 and b"".join(response.streaming_content) == original.read()

    staff_url = reverse("workflow:disclosed_file", args=[case.pk, f.pk])
    outsider = staff_create(actor=None, username="outsider", password="pw-for-tests-123", full_name="外机关",
                            agency=other_agency, roles=[roles.HANDLER])
    client.force_login(outsider)
    assert client.get(staff_url).status_code == 404
    client.force_login(people["handler"])
    assert client.get(staff_url).status_code == 200
    assert "补偿方案.pdf" in client.get(reverse("workflow:case_detail", args=[case.pk])).content.decode()


def test_the_case_file_keeps_the_attachments_as_delivered(agency, people, land):
    case, first, _ = decided(agency, people, land)
    svc.request_reply_draft(actor=people["handler"], case=case, attachments=[(first, sample_pdf("补偿方案"))])
    issued_reply(case, people)
    cf = case_file_build(actor=people["handler"], request=case)
    with zipfile.ZipFile(io.BytesIO(bytes(cf.zip))) as zf:
        assert "答复附件/01-补偿方案.pdf" in zf.namelist()
    assert "答复附件/01-补偿方案.pdf" in [a["file"] for a in __import__("json").loads(
        zipfile.ZipFile(io.BytesIO(bytes(cf.zip))).read("manifest.json"))["attachments"]]
