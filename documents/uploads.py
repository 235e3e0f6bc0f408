"""Uploaded files, checked by opening them, not by their name or first bytes: the files the
agency hands out with a reply (the disclosed information, Art. 36(2), Art. 40) and the
files an applicant sends with an application or a supplement. A PDF must parse and have
pages (not more than the limit), an image must decode (not larger than the limit), a Word
or Excel file must unzip to its parts. Anything else, e.g. HTML behind a `%PDF-` line,
is refused."""
from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError

ERR_DISCLOSED_TYPE = "公开的信息只接受 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。"
ERR_DISCLOSED_BROKEN = "文件“{name}”无法打开或已损坏，请重新导出后上传。"
ERR_DISCLOSED_SIZE = "每个文件不得超过 20 MB。"
ERR_TOO_MANY_PAGES = "文件“{name}”有 {pages} 页，超过了 {limit} 页的上限，请拆分后分别上传。"
ERR_IMAGE_TOO_LARGE = "图片“{name}”的像素过多（{width}×{height}），请缩小后上传。"

MAX_DISCLOSED_BYTES = 20 * 1024 * 1024
MAX_DISCLOSED_PAGES = 2000
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a scan
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = len(reader.pages)
    if pages:
        reader.pages[0].extract_text()  # the first page's content stream parses too
    return pages


class _TooLarge(Exception):
    pass


def _opens_as_image(data: bytes) -> str:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        kind = image.format
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise _TooLarge(image.width, image.height)
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


def inspect_upload(f, *, allowed=(PDF, JPEG, PNG, DOCX, XLSX), max_bytes: int = MAX_DISCLOSED_BYTES,
                   max_pages: int = MAX_DISCLOSED_PAGES, err_type: str = ERR_DISCLOSED_TYPE,
                   err_size: str = ERR_DISCLOSED_SIZE) -> str:
    """The real content type of an uploaded file, after opening it; ValidationError (in
    Chinese, naming the file) otherwise."""
    if f.size > max_bytes:
        raise ValidationError(err_size)
    f.seek(0)
    data = f.read()
    f.seek(0)
    name = getattr(f, "name", "")
    found = ""
    try:
        if data.startswith(b"%PDF-"):
            pages = _pdf_pages(data)
            if pages > max_pages:
                raise ValidationError(ERR_TOO_MANY_PAGES.format(name=name, pages=pages, limit=max_pages))
            found = PDF if pages else ""
        elif data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            found = _opens_as_image(data)
        elif data.startswith(b"PK\x03\x04"):
            found = _office_type(data)
            if not found:
                raise ValidationError(err_type)
        else:
            raise ValidationError(err_type)
    except ValidationError:
        raise
    except _TooLarge as exc:
        width, height = exc.args
        raise ValidationError(ERR_IMAGE_TOO_LARGE.format(name=name, width=width, height=height)) from exc
    except Exception as exc:  # any parser error: the file does not open
        raise ValidationError(ERR_DISCLOSED_BROKEN.format(name=name)) from exc
    if not found:
        raise ValidationError(ERR_DISCLOSED_BROKEN.format(name=name))
    if found not in allowed:
        raise ValidationError(err_type)
    return found


def inspect_disclosed_file(f) -> str:
    """A file the agency discloses: PDF, image, Word or Excel that opens."""
    return inspect_upload(f)
