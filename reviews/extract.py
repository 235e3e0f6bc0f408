"""Text of the files the checks read: plain text, HTML, PDF and DOCX.

Each extractor returns (location_prefix, text, is_html) chunks so that a finding's
location means something to the person who opens the file: `line:col` for text and
HTML, `p<page>:line:col` for PDF, `para<n>:col` for DOCX paragraphs (tables follow the
paragraphs as `table<t>:row:col`)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

ERR_UNREADABLE = "无法读取文件“{name}”：{error}"


class Unreadable(ValueError):
    pass


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def chunks_from_bytes(name: str, data: bytes) -> list[tuple[str, str, bool | None]]:
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".pdf" or data[:5] == b"%PDF-":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return [(f"p{i}:", page.extract_text() or "", False) for i, page in enumerate(reader.pages, 1)]
        if suffix == ".docx" or (data[:2] == b"PK" and suffix not in {".xlsx", ".zip"}):
            import docx

            document = docx.Document(io.BytesIO(data))
            out = [("para", "\n".join(p.text for p in document.paragraphs), False)]
            for t, table in enumerate(document.tables, 1):
                rows = ["\t".join(cell.text for cell in row.cells) for row in table.rows]
                out.append((f"table{t}:", "\n".join(rows), False))
            return out
    except Exception as exc:  # a broken file is reported, not crashed on
        raise Unreadable(ERR_UNREADABLE.format(name=name, error=exc)) from exc
    text = _decode(data)
    is_html = True if suffix in {".html", ".htm", ".xhtml"} else None
    return [("", text, is_html)]


def chunks_from_file(path: str) -> list[tuple[str, str, bool | None]]:
    return chunks_from_bytes(path, Path(path).read_bytes())


def chunks_from_upload(f: BinaryIO, name: str) -> list[tuple[str, str, bool | None]]:
    f.seek(0)
    data = f.read()
    f.seek(0)
    return chunks_from_bytes(name, data)
