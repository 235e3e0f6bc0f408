"""Every character an applicant can type prints in the PDFs: a name with CJK Ext B
(𠮷, 𪚥) and Ext A (䶮) comes out of pdftotext as typed, and no glyph is drawn as an
empty box (WeasyPrint says ".notdef glyph rendered" when a font is missing)."""
import logging
import shutil
import subprocess

import pytest
from django.core.cache import caches

from documents.models import Document
from documents.rendering import CJK_FALLBACK_FONTS
from workflows import services as svc
from workflows.models import DisclosureRequest

from ..portal.helpers import application_data

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")]
NAME = "𠮷䶮𪚥"


def test_an_ext_b_font_is_installed():
    for code in ("20bb7", "2a6a5"):
        families = subprocess.run(["fc-list", f":charset={code}", "family"], capture_output=True, text=True).stdout
        assert "HanaMinB" in families, f"U+{code.upper()} 没有可用字体：请运行 scripts/setup.sh（fonts-hanazono）"
    assert "HanaMinB" in CJK_FALLBACK_FONTS


def test_an_applicant_named_with_ext_b_characters_prints_in_the_receipt(client, agency, people, caplog):
    caches["shared"].clear()  # the rate-limit counters
    page = client.get("/apply/").content.decode()
    assert client.post("/apply/", application_data(agency, page, applicant_name=NAME)).status_code == 302
    case = DisclosureRequest.objects.get()
    assert case.applicant_name == NAME
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        svc.request_register(actor=people["registrar"], case=case)
    docs = [d for d in Document.objects.filter(request=case) if d.pdf]
    assert docs, "登记后应已出具文书"
    for doc in docs:
        text = subprocess.run(["pdftotext", "-", "-"], input=bytes(doc.pdf), capture_output=True).stdout.decode()
        assert "𠮷" in text and "䶮" in text and "𪚥" in text, (doc.kind, text[:500])
    missing = [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert not missing, missing
