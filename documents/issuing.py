"""The after-commit half of issuing a document: its number, then its PDF.

Run by the Celery task `documents.tasks.document_issue` once the step that asked for the
document has committed (inline, after commit, when no broker is configured). The number
is taken in its own short transaction; the PDF is rendered with no row locked.
"""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record

from . import kinds
from .models import Document, DocumentCounter, DocumentStatus, RenderStatus
from .rendering import document_html, render_pdf

log = logging.getLogger(__name__)

ERR_NOT_SIGNED = "文书须经审签后才能出具。"


def stored_user(actor):
    """The user to store as author/signer/issuer: None for the system or an unsaved actor."""
    return actor if getattr(actor, "pk", None) else None


def format_number(agency, kind: str, year: int, serial: int) -> str:
    """文号 after GB/T 9704-2012 7.2.4: 机关代字 + 〔年份〕 + 顺序号 + 号 (no 第, no padding)."""
    return f"{agency.short_name}{kinds.KINDS[kind].number_code}〔{year}〕{serial}号"


def _next_serial(agency, kind: str, year: int) -> int:
    """Take the next number under a row lock: unique and gapless because the number
    commits or rolls back together with the issued document."""
    counter, _ = DocumentCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_issue_after_commit(*, document_id: int, actor=None) -> Document:
    """The after-commit half of issuing: the number (its own short transaction), then the
    PDF (no lock held while WeasyPrint runs). Idempotent: safe to run twice."""
    doc = Document.objects.get(pk=document_id)
    if doc.status != DocumentStatus.ISSUED:
        doc = _issue(actor=actor, document=doc)
    return document_render(document_id=doc.pk)


@transaction.atomic
def _issue(*, actor, document: Document) -> Document:
    doc = Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    if doc.status == DocumentStatus.ISSUED:
        return doc
    if doc.status != DocumentStatus.SIGNED:
        raise ValidationError(ERR_NOT_SIGNED)
    today = timezone.localdate()
    doc.year, doc.issued_on = today.year, today
    doc.serial = _next_serial(doc.agency, doc.kind, doc.year)
    doc.number = format_number(doc.agency, doc.kind, doc.year, doc.serial)
    doc.status = DocumentStatus.ISSUED
    doc.issued_at, doc.issued_by = timezone.now(), stored_user(actor)
    doc.html = document_html(doc)
    doc.render_status = RenderStatus.PENDING
    doc.save()
    audit_record(actor=actor, action="document.issued", obj=doc, before={"status": "signed"},
                 after={"status": "issued", "number": doc.number, "kind": doc.kind, "request": doc.request_id})
    return doc


def document_render(*, document_id: int) -> Document:
    """Render the fixed HTML of an issued document to PDF, once, with no lock held while
    WeasyPrint runs; then store it with its SHA-256 in a short transaction. Idempotent:
    a document that already has its PDF is returned unchanged."""
    doc = Document.objects.get(pk=document_id)
    if doc.sha256 or doc.status != DocumentStatus.ISSUED:
        return doc
    try:
        pdf, sha, seconds = render_pdf(doc.html)
    except Exception as exc:
        log.exception("rendering document %s failed", document_id)
        Document.objects.filter(pk=document_id, sha256="").update(render_status=RenderStatus.FAILED,
                                                                  render_error=str(exc)[:2000])
        raise
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document_id)
        if doc.sha256:
            return doc  # another worker stored it first
        doc.pdf, doc.sha256, doc.render_seconds = pdf, sha, seconds
        doc.render_status, doc.render_error, doc.rendered_at = RenderStatus.DONE, "", timezone.now()
        doc.save(update_fields=["pdf", "sha256", "render_seconds", "render_status", "render_error", "rendered_at"])
        audit_record(actor=None, action="document.rendered", obj=doc, after={"sha256": sha, "bytes": len(pdf)})
    return doc
