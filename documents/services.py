"""Everything that writes documents: draft, edit, sign, issue, render, correct, case file.

The interface other apps code against:
    case_document_draft(actor=, request=, kind=, data=None) -> Document
    case_document_sign(actor=, document=) -> Document
    case_document_issue(actor=, document=) -> Document
    case_document_issue_now(actor=, request=, kind=, data=None) -> Document
`actor=None` means the system. Each call checks the actor's permission and agency and
writes its audit event in the same transaction as the change.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from audit.models import AuditChainHead
from audit.services import audit_record
from workflows import clock as clock_rules

from . import kinds
from .content import case_snapshot
from .models import Document, DocumentCounter, DocumentStatus, RenderStatus
from .rendering import document_html, render_pdf

log = logging.getLogger(__name__)

ERR_UNKNOWN_KIND = "未知的文书种类。"
ERR_NO_PERMISSION = "您没有办理此文书的权限。"
ERR_OTHER_AGENCY = "只能办理本机关受理的申请的文书。"
ERR_NOT_DRAFT = "只有草稿可以修改或审签。"
ERR_NOT_SIGNED = "文书须经审签后才能出具。"
ERR_ALREADY_ISSUED = "文书已出具，不能再次出具。"
ERR_NOT_EDITABLE = "该部分不可修改：{fields}。"
ERR_CORRECT_ISSUED_ONLY = "只能更正已出具的文书。"

DRAFT_PERMS = ("documents.draft_document", "workflows.handle_request", "workflows.register_request")
SIGN_PERMS = ("documents.sign_document", "workflows.approve_request")
ISSUE_PERMS = ("documents.issue_document",)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _require(actor, request, perms: tuple[str, ...]) -> None:
    """actor None = the system. Otherwise: a permission from `perms`, same agency."""
    if actor is None or actor.is_superuser:
        return
    if not any(actor.has_perm(p) for p in perms):
        raise PermissionDenied(ERR_NO_PERMISSION)
    profile = getattr(actor, "staff_profile", None)
    if profile is None or profile.agency_id != request.agency_id:
        raise PermissionDenied(ERR_OTHER_AGENCY)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def format_number(agency, kind: str, year: int, serial: int) -> str:
    """文号 after GB/T 9704-2012 7.2.4: 机关代字 + 〔年份〕 + 顺序号 + 号 (no 第, no padding)."""
    return f"{agency.short_name}{kinds.KINDS[kind].number_code}〔{year}〕{serial}号"


def _next_serial(agency, kind: str, year: int) -> int:
    """Take the next number under a row lock: unique and gapless because the number
    commits or rolls back together with the issued document.

    Lock order: every audited transaction holds the audit chain head until it commits
    (audit_record), and callers often audit before issuing. Taking the head first here
    keeps the order head -> counter everywhere, so two issuers cannot deadlock."""
    AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    counter, _ = DocumentCounter.objects.get_or_create(agency=agency, kind=kind, year=year)
    counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def case_document_draft(*, actor, request, kind: str, data: dict | None = None, corrects: Document | None = None) -> Document:
    """A draft document of `kind` filled from the case plus `data` (free text and the
    step's facts, see documents/README.md for the keys per kind)."""
    if kind not in kinds.KINDS:
        raise ValidationError(ERR_UNKNOWN_KIND)
    _require(actor, request, DRAFT_PERMS)
    data = kinds.normalise(kind, _jsonable(dict(data or {})))
    extra = []
    if kind == kinds.EXTENSION_NOTICE and request.clock_id and not data.get("new_due_date"):
        # The notice may be drafted before the extension is entered on the clock:
        # show the due date as it will be once it is.
        if not request.clock.segments.filter(kind=clock_rules.EXTENSION).exists():
            extra = [clock_rules.Seg(kind=clock_rules.EXTENSION, start_date=timezone.localdate(),
                                     days=int(data.get("extension_days") or clock_rules.MAX_EXTENSION_DAYS))]
    data["case"] = case_snapshot(request, extra_segments=extra)
    doc = Document(request=request, agency=request.agency, kind=kind, data=data, created_by=_user(actor),
                   corrects=corrects)
    doc.full_clean()
    doc.save()
    audit_record(actor=actor, action="document.drafted", obj=doc, agency=request.agency,
                 after={"kind": kind, "request": request.pk, "corrects": corrects.pk if corrects else None})
    return doc


@transaction.atomic
def case_document_update(*, actor, document: Document, changes: dict) -> Document:
    """Staff edit the free-text parts of a draft (kinds.Kind.editable)."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _require(actor, doc.request, DRAFT_PERMS)
    if doc.status != DocumentStatus.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT)
    bad = set(changes) - set(doc.kind_info.editable)
    if bad:
        raise ValidationError(ERR_NOT_EDITABLE.format(fields="、".join(sorted(bad))))
    before = {k: doc.data.get(k) for k in changes}
    doc.data = {**doc.data, **_jsonable(changes)}
    doc.save(update_fields=["data"])
    audit_record(actor=actor, action="document.edited", obj=doc, before=before, after=changes)
    return doc


@transaction.atomic
def case_document_sign(*, actor, document: Document) -> Document:
    """Sign-off (审签): freezes the content. Kinds that need no separate sign-off are
    finalised by whoever may draft them."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _require(actor, doc.request, SIGN_PERMS if doc.kind_info.needs_sign_off else DRAFT_PERMS + SIGN_PERMS)
    if doc.status != DocumentStatus.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT)
    doc.status = DocumentStatus.SIGNED
    doc.signed_at, doc.signed_by = timezone.now(), _user(actor)
    doc.save(update_fields=["status", "signed_at", "signed_by"])
    audit_record(actor=actor, action="document.signed", obj=doc, before={"status": "draft"}, after={"status": "signed"})
    return doc


def case_document_issue(*, actor, document: Document) -> Document:
    """Assign the number, fix the HTML, render the PDF once (inline without Redis, in a
    Celery worker with it), store it with its SHA-256. Never changes afterwards."""
    doc = _issue(actor=actor, document=document)
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return document_render(document_id=doc.pk)
    from .tasks import document_render as task

    transaction.on_commit(lambda: task.delay(doc.pk))
    return doc


@transaction.atomic
def _issue(*, actor, document: Document) -> Document:
    doc = Document.objects.select_for_update(of=("self",)).select_related("agency").get(pk=document.pk)
    _require(actor, doc.request, ISSUE_PERMS)
    if doc.status == DocumentStatus.ISSUED:
        raise ValidationError(ERR_ALREADY_ISSUED)
    if doc.status != DocumentStatus.SIGNED:
        raise ValidationError(ERR_NOT_SIGNED)
    today = timezone.localdate()
    doc.year, doc.issued_on = today.year, today
    doc.serial = _next_serial(doc.agency, doc.kind, doc.year)
    doc.number = format_number(doc.agency, doc.kind, doc.year, doc.serial)
    doc.status = DocumentStatus.ISSUED
    doc.issued_at, doc.issued_by = timezone.now(), _user(actor)
    doc.html = document_html(doc)
    doc.render_status = RenderStatus.PENDING
    doc.save()
    audit_record(actor=actor, action="document.issued", obj=doc, before={"status": "signed"},
                 after={"status": "issued", "number": doc.number, "kind": doc.kind, "request": doc.request_id})
    return doc


def case_document_issue_now(*, actor, request, kind: str, data: dict | None = None) -> Document:
    """Draft, finalise and issue in one transaction, for notices without a separate sign-off."""
    with transaction.atomic():
        doc = case_document_draft(actor=actor, request=request, kind=kind, data=data)
        doc = case_document_sign(actor=actor, document=doc)
        doc = _issue(actor=actor, document=doc)
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        return document_render(document_id=doc.pk)
    from .tasks import document_render as task

    transaction.on_commit(lambda: task.delay(doc.pk))
    return doc


def case_document_correct(*, actor, document: Document, data: dict | None = None) -> Document:
    """A correction is a new draft of the same kind that names the old document."""
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError(ERR_CORRECT_ISSUED_ONLY)
    base = {k: v for k, v in document.data.items() if k != "case"}
    return case_document_draft(actor=actor, request=document.request, kind=document.kind,
                               data={**base, **(data or {})}, corrects=document)


def document_render(*, document_id: int) -> Document:
    """Render the fixed HTML of an issued document to PDF, once. Idempotent: a document
    that already has its PDF is returned unchanged."""
    try:
        with transaction.atomic():
            doc = Document.objects.select_for_update().get(pk=document_id)
            if doc.sha256 or doc.status != DocumentStatus.ISSUED:
                return doc
            pdf, sha, seconds = render_pdf(doc.html)
            doc.pdf, doc.sha256, doc.render_seconds = pdf, sha, seconds
            doc.render_status, doc.render_error, doc.rendered_at = RenderStatus.DONE, "", timezone.now()
            doc.save(update_fields=["pdf", "sha256", "render_seconds", "render_status", "render_error", "rendered_at"])
            audit_record(actor=None, action="document.rendered", obj=doc, after={"sha256": sha, "bytes": len(pdf)})
            return doc
    except Exception as exc:
        log.exception("rendering document %s failed", document_id)
        Document.objects.filter(pk=document_id, sha256="").update(render_status=RenderStatus.FAILED,
                                                                  render_error=str(exc)[:2000])
        raise
