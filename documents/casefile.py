"""The case file (卷宗): one bundle per case, built on archiving.

One PDF: a table of contents, the application and its items, the opinions recorded on
the case, every issued document (its original PDF pages, unchanged), the clock ledger and
the audit events. Plus a ZIP of the originals with a manifest of SHA-256 digests.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import READ_ACTIONS, audit_record
from legal.selectors import clock_state

from .content import cn_date
from .models import CaseFile, Document, DocumentStatus
from .rendering import BODY_FONTS, TITLE_FONTS, font_face_css, html_to_pdf
from .selectors import staff_can_see_request

ERR_CASE_FILE_DENIED = "只有本机关有权查看该案件的工作人员可以生成卷宗。"


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _section(title: str, body_template: str, **ctx) -> bytes:
    html = render_to_string("documents/casefile/section.html", {
        "title": title, "body": body_template, "font_face": font_face_css(), "body_fonts": BODY_FONTS,
        "title_fonts": TITLE_FONTS, **ctx})
    return html_to_pdf(html)


def _opinions(request) -> list[tuple[str, str]]:
    """Whatever opinions exist on the case: item reasoning and any related model rows
    with an `opinion`/`comment`/`note` field (reviews, consultations, sign-off)."""
    rows = []
    for item in request.items.all():
        if item.reasoning or item.withheld_parts:
            rows.append((f"事项{item.position}“{item.title}”", f"{item.get_outcome_display()}；{item.reasoning} {item.withheld_parts}".strip()))
    for rel in request._meta.related_objects:
        if rel.one_to_many and rel.related_model._meta.app_label != "documents":
            fields = {f.name for f in rel.related_model._meta.fields}
            text_field = next((f for f in ("opinion_text", "opinion", "comments", "comment", "decision", "note", "reasons")
                               if f in fields), None)
            if not text_field:
                continue
            try:
                objs = list(getattr(request, rel.get_accessor_name()).all()[:50])
            except Exception:  # noqa: BLE001 - an unrelated model shape must not break archiving
                continue
            for obj in objs:
                value = getattr(obj, text_field, "")
                if value:
                    rows.append((str(rel.related_model._meta.verbose_name), str(value)))
    return rows


def _audit_events(request, documents):
    keys = [(request._meta.label_lower, str(request.pk))]
    if request.clock_id:
        keys.append((request.clock._meta.label_lower, str(request.clock_id)))
    keys += [("documents.document", str(d.pk)) for d in documents]
    from django.db.models import Q

    q = Q()
    for t, i in keys:
        q |= Q(object_type=t, object_id=i)
    return list(AuditEvent.objects.filter(q).exclude(action__in=READ_ACTIONS).order_by("id"))


def case_file_build(*, actor, request) -> CaseFile:
    """Build (or rebuild) the case file of `request`."""
    if actor is not None and not staff_can_see_request(actor, request):
        raise PermissionDenied(ERR_CASE_FILE_DENIED)
    from pypdf import PdfWriter

    documents = list(Document.objects.filter(request=request, status=DocumentStatus.ISSUED)
                     .exclude(sha256="").order_by("issued_at", "id"))
    case = request.document_facts()
    parts: list[tuple[str, bytes, str]] = []  # (title, pdf, file name in the ZIP)
    parts.append(("政府信息公开申请及申请事项", _section("政府信息公开申请及申请事项", "application", case=case,
                                                cn_received=cn_date(case.get("received_on"))), "01-申请.pdf"))
    opinions = _opinions(request)
    parts.append(("办理意见", _section("办理意见", "opinions", opinions=opinions), "02-办理意见.pdf"))
    for n, doc in enumerate(documents, 3):
        parts.append((f"{doc.kind_label}（{doc.number}）", bytes(doc.pdf), f"{n:02d}-{doc.kind}-{doc.number}.pdf"))
    n = len(parts) + 1
    explanation = clock_state(request.clock).explanation if request.clock_id else ["（无法定期限记录）"]
    parts.append(("法定期限记录", _section("法定期限记录", "clock", lines=explanation), f"{n:02d}-法定期限记录.pdf"))
    events = _audit_events(request, documents)
    parts.append(("审计事件记录", _section("审计事件记录", "audit", events=events), f"{n + 1:02d}-审计事件记录.pdf"))

    def toc(toc_pages: int) -> bytes:
        start, rows = toc_pages + 1, []
        for title, pdf, _name in parts:
            rows.append((title, start))
            start += _pages(pdf)
        return _section("卷宗目录", "toc", rows=rows, case=case, built=cn_date(timezone.localdate()))

    toc_pdf = toc(1)
    if _pages(toc_pdf) != 1:
        toc_pdf = toc(_pages(toc_pdf))
    writer = PdfWriter()
    for pdf in [toc_pdf] + [p for _t, p, _n in parts]:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    bundle = out.getvalue()

    manifest = []
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("00-卷宗目录.pdf", toc_pdf)
        for title, pdf, name in parts:
            zf.writestr(name, pdf)
            manifest.append({"file": name, "title": title, "sha256": hashlib.sha256(pdf).hexdigest(), "pages": _pages(pdf)})
        # the information provided with the reply (答复附件), kept as delivered
        attachments = []
        files = request.disclosed_files.all() if hasattr(request, "disclosed_files") else []
        for n, f in enumerate(files, 1):
            with f.file.open("rb") as fh:
                data = fh.read()
            name = f"答复附件/{n:02d}-{f.original_name}"
            zf.writestr(name, data)
            attachments.append({"file": name, "title": f.original_name, "sha256": hashlib.sha256(data).hexdigest(),
                                "recorded_sha256": f.sha256})
        zf.writestr("manifest.json", json.dumps({"request": request.registration_number or request.tracking_number,
                                                 "files": manifest, "attachments": attachments},
                                                ensure_ascii=False, indent=2))
    zbytes = zbuf.getvalue()

    with transaction.atomic():
        cf, _ = CaseFile.objects.select_for_update().get_or_create(request=request)
        cf.pdf, cf.pdf_sha256 = bundle, hashlib.sha256(bundle).hexdigest()
        cf.zip, cf.zip_sha256 = zbytes, hashlib.sha256(zbytes).hexdigest()
        cf.contents, cf.built_at = manifest, timezone.now()
        cf.built_by = actor if getattr(actor, "pk", None) else None
        cf.save()
        audit_record(actor=actor, action="case_file.built", obj=request, agency=request.agency,
                     after={"pdf_sha256": cf.pdf_sha256, "zip_sha256": cf.zip_sha256, "documents": len(documents)})
    return cf
