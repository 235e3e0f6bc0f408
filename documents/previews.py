"""A draft as it will be printed, for the people who decide on it (审签, 保密审查): the
PDF rendered from the draft's HTML, and its pages as one PNG (pdftoppm, Poppler), which
reads on a phone where an embedded PDF does not. Both are cached by the HTML they come
from, so a page viewed again costs nothing and a changed draft is rendered anew."""
from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

from django.core.cache import cache

from .rendering import document_html, html_to_pdf

PREVIEW_DPI = 100  # A4 at 100 dpi is 827 px wide: sharp when a phone zooms in, light enough to load
CACHE_SECONDS = 600


def _key(html: str, what: str) -> str:
    return f"draft-preview:{what}:{hashlib.sha256(html.encode()).hexdigest()}"


def draft_pdf(document) -> bytes:
    """The draft (or an unsaved document built for a preview) as the PDF it will print as."""
    html = document_html(document, preview=True)
    key = _key(html, "pdf")
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def pdf_pages_png(pdf: bytes, *, dpi: int = PREVIEW_DPI) -> bytes:
    """Every page of `pdf`, one under the other with a grey gap, as one PNG."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "draft.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(Path(tmp) / "page")],
                       check=True, capture_output=True, timeout=60)
        pages = [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("page*.png"))]
    gap = 12
    width = max(p.width for p in pages)
    sheet = Image.new("RGB", (width, sum(p.height for p in pages) + gap * (len(pages) - 1)), (200, 200, 200))
    y = 0
    for page in pages:
        sheet.paste(page, (0, y))
        y += page.height + gap
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draft_png(document) -> bytes:
    html = document_html(document, preview=True)
    key = _key(html, "png")
    png = cache.get(key)
    if png is None:
        png = pdf_pages_png(draft_pdf(document))
        cache.set(key, png, CACHE_SECONDS)
    return png
