"""The seal (GB/T 9704-2012 7.3.5.1): an agency's own PNG pressed on the signature and
date of issued documents; without one, the space is left blank for a hand stamp."""
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image, ImageDraw
from pypdf import PdfReader

from agencies import roles
from agencies.services import ERR_SEAL_NO_TRANSPARENCY, ERR_SEAL_NOT_PNG, agency_seal_set
from documents import kinds
from documents.services import case_document_issue_now

from .conftest import make_case

pytestmark = pytest.mark.django_db


def seal_png(mode="RGBA", fmt="PNG") -> bytes:
    image = Image.new(mode, (300, 300), (0, 0, 0, 0) if mode == "RGBA" else (255, 255, 255))
    ImageDraw.Draw(image).ellipse((10, 10, 290, 290), outline=(200, 0, 0, 255) if mode == "RGBA" else (200, 0, 0),
                                  width=12)
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def images_and_text(doc) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(bytes(doc.pdf)))
    return sum(len(page.images) for page in reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_without_a_seal_the_space_is_left_blank(agency, department):
    doc = case_document_issue_now(actor=None, request=make_case(agency, department=department), kind=kinds.RECEIPT)
    images, text = images_and_text(doc)
    assert images == 0 and "印章位置" not in text


def test_the_agencys_seal_is_pressed_on_issued_documents(agency, department, make_staff):
    admin = make_staff(roles.ADMINISTRATOR)
    agency_seal_set(actor=admin, agency=agency, data=seal_png())
    doc = case_document_issue_now(actor=None, request=make_case(agency, department=department), kind=kinds.RECEIPT)
    images, _text = images_and_text(doc)
    assert images >= 1  # the image (and its transparency mask)


@pytest.mark.parametrize("data,message", [
    (lambda: seal_png(mode="RGB"), ERR_SEAL_NO_TRANSPARENCY),
    (lambda: seal_png(mode="RGB", fmt="JPEG"), ERR_SEAL_NOT_PNG),
    (lambda: b"<svg onload=alert(1)>", ERR_SEAL_NOT_PNG),
])
def test_a_seal_upload_is_checked_by_parsing_it(agency, make_staff, data, message):
    with pytest.raises(ValidationError) as exc:
        agency_seal_set(actor=make_staff(roles.ADMINISTRATOR), agency=agency, data=data())
    assert exc.value.messages == [message]


def test_only_an_administrator_sets_the_seal(agency, make_staff):
    with pytest.raises(PermissionDenied):
        agency_seal_set(actor=make_staff(roles.HANDLER), agency=agency, data=seal_png())


def test_a_draft_carries_no_seal(agency, department, make_staff):
    from documents.rendering import document_html
    from documents.services import case_document_draft

    agency_seal_set(actor=make_staff(roles.ADMINISTRATOR), agency=agency, data=seal_png())
    draft = case_document_draft(actor=None, request=make_case(agency, department=department), kind=kinds.REPLY)
    assert "data:image/png" not in document_html(draft, preview=True)
