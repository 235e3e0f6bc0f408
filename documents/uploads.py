"""Files the agency hands out with a reply (the disclosed information, Art. 36(2), Art. 40):
checked by opening them, not by their name or first bytes. A PDF must parse and have pages,
an image must decode, a Word or Excel file must unzip to its parts."""
from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError

ERR_DISCLOSED_TYPE = "公开的信息只接受 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。"
ERR_DISCLOSED_BROKEN = "文件“{name}”无法打开或已损坏，请重新导出后上传。"
ERR_DISCLOSED_SIZE = "每个文件不得超过 20 MB。"

MAX_DISCLOSED_BYTES = 20 * 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def _opens_as_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data), strict=False).pages) > 0


def _opens_as_image(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        image.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # verify() does not decode the pixels
    return {"JPEG": JPEG, "PNG": PNG}.get(kind, "")


def _office_type(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            return ""
        for content_type, part in _PARTS.items():
            if part in names:
                archive.read(part)  # a part that does not inflate raises
                return content_type
    return ""


def inspect_disclosed_file(f) -> str:
    """The real content type of an uploaded file, after opening it; ValidationError otherwise."""
    if f.size > MAX_DISCLOSED_BYTES:
        raise ValidationError(ERR_DISCLOSED_SIZE)
    f.seek(0)
    data = f.read()
    f.seek(0)
    name = getattr(f, "name", "")
    try:
        if data.startswith(b"%PDF-"):
            if _opens_as_pdf(data):
                return PDF
        elif data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            found = _opens_as_image(data)
            if found:
                return found
        elif data.startswith(b"PK\x03\x04"):
            found = _office_type(data)
            if found:
                return found
            raise ValidationError(ERR_DISCLOSED_TYPE)
        else:
            raise ValidationError(ERR_DISCLOSED_TYPE)
    except ValidationError:
        raise
    except Exception as exc:  # any parser error: the file does not open
        raise ValidationError(ERR_DISCLOSED_BROKEN.format(name=name)) from exc
    raise ValidationError(ERR_DISCLOSED_BROKEN.format(name=name))
