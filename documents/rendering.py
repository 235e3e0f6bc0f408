"""HTML and PDF rendering. WeasyPrint is imported once per process (≈0.7 s) and
must subset fonts with HarfBuzz (libharfbuzz-subset0): the fontTools fallback takes
~14 s per page of Noto CJK (stack notes), so we check and report it at start-up."""
from __future__ import annotations

import base64
import functools
import hashlib
import time
from pathlib import Path

from django.template.loader import render_to_string

from .content import cn_date, compose

# GB/T 9704-2012 fonts: 仿宋 body, 小标宋 titles/header. The proprietary faces are not
# free; these are (Debian fonts-arphic-ukai, fonts-noto-cjk). AR PL UKai maps some CJK
# Ext A characters to EMPTY glyphs (e.g. U+4DAE 䶮, as in 刘䶮), so fontconfig never falls
# back for them: the body face is declared through @font-face without Ext A, which then
# falls to Noto Sans CJK SC. UKai has no CJK Ext B (𠮷 printed as an empty box) and Noto
# CJK only a few hundred of its characters (𠮷, but not 𪚥): the body face leaves the
# supplementary planes out and 花园明朝 (Debian fonts-hanazono: HanaMinA, HanaMinB for Ext B
# to Ext E) is the last fallback of every stack, so every character an applicant can type prints.
CJK_FALLBACK_FONTS = '"HanaMinA", "HanaMinB"'
BODY_FONTS = f'"OGI Body", "Noto Sans CJK SC", "AR PL UKai CN", "Noto Serif CJK SC", {CJK_FALLBACK_FONTS}, "WenQuanYi Micro Hei", serif'
BODY_FACE = "AR PL UKai CN"
EXT_A = "U+3400-4DBF"
TITLE_FONTS = f'"Noto Serif CJK SC", "AR PL UKai CN", "Noto Sans CJK SC", {CJK_FALLBACK_FONTS}, serif'
NUMBER_FONTS = f'"Noto Serif CJK SC", "DejaVu Serif", {CJK_FALLBACK_FONTS}, serif'
URL_REFUSED = "文书只能引用本系统的字体和图片，已拒绝读取"


@functools.cache
def weasyprint():
    import weasyprint as wp

    return wp


@functools.cache
def _font_config():
    return weasyprint().text.fonts.FontConfiguration()


def harfbuzz_subsetting() -> bool:
    """True when WeasyPrint will subset with HarfBuzz (the fast path)."""
    weasyprint()
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    try:
        return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    except Exception:  # library missing: cffi raises on attribute access
        return False


@functools.cache
def font_face_css() -> str:
    """@font-face for the body face, minus CJK Ext A (see BODY_FONTS)."""
    import subprocess

    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", BODY_FACE], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        path = ""
    if not path or "ukai" not in path.lower():
        return '@font-face { font-family: "OGI Body"; src: local("AR PL UKai CN"); }'
    return (f'@font-face {{ font-family: "OGI Body"; src: url("file://{path}"); '
            f'unicode-range: U+0000-33FF, U+4DC0-FFFF; }}')


def seal_uri(agency) -> str:
    """The agency's seal as a data URI, fixed into the issued HTML; "" leaves the space blank."""
    data = getattr(agency, "seal_png", None)
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode() if data else ""


def document_html(document, *, preview: bool = False) -> str:
    composed = compose(document.kind, document.data, document.agency)
    return render_to_string("documents/pdf/document.html", {
        "doc": document, "c": composed, "agency": document.agency, "seal_uri": seal_uri(document.agency),
        "number": document.number, "date": cn_date(document.issued_on) if document.issued_on else "",
        "preview": preview, "font_face": font_face_css(), "body_fonts": BODY_FONTS, "title_fonts": TITLE_FONTS, "number_fonts": NUMBER_FONTS,
    })


def _allowed_roots() -> list[Path]:
    """Where a document may take files from: the project's static files and the fonts."""
    from django.apps import apps
    from django.conf import settings

    roots = [Path(settings.STATIC_ROOT), *map(Path, getattr(settings, "STATICFILES_DIRS", []))]
    roots += [Path(app.path) / "static" for app in apps.get_app_configs()
              if Path(app.path).is_relative_to(settings.BASE_DIR)]
    roots += map(Path, settings.DOCUMENTS_FONT_DIRS)
    return [r.resolve() for r in roots]


def url_fetcher():
    """WeasyPrint fetches only data: URIs and files under the project's static and font
    directories: never the network (http, https, ftp), never another file (file:///etc/passwd,
    the media of other cases). A refused URL leaves its image or font out of the PDF."""
    return _fetcher_class()(timeout=5, allow_redirects=False)  # one per render: a fetcher keeps per-request state


@functools.cache
def _fetcher_class():
    from urllib.parse import unquote, urlsplit

    weasyprint()
    from weasyprint.urls import URLFetcher

    class ProjectFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and urlsplit(url).netloc in ("", "localhost"):
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in _allowed_roots()):
                    return super().fetch(url, headers)
            raise ValueError(f"{URL_REFUSED}：{url[:200]}")

    return ProjectFilesOnly


def html_to_pdf(html: str) -> bytes:
    wp = weasyprint()
    return wp.HTML(string=html, url_fetcher=url_fetcher()).write_pdf(font_config=_font_config())


def render_pdf(html: str) -> tuple[bytes, str, float]:
    """PDF bytes, their SHA-256 and the seconds it took."""
    t0 = time.perf_counter()
    pdf = html_to_pdf(html)
    return pdf, hashlib.sha256(pdf).hexdigest(), time.perf_counter() - t0
