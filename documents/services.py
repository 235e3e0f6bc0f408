"""Everything that writes documents: draft, edit, sign, issue, render, correct.

The interface other apps code against:
    case_document_draft(actor=, request=, kind=, data=None) -> Document
    case_document_sign(actor=, document=) -> Document
    case_document_issue(actor=, document=) -> Document          (numbered and rendered after commit)
    case_document_issue_now(actor=, request=, kind=, data=None) -> Document
`data` holds the kind's keys (documents/README.md) and `case`, the facts of the case
frozen by the step that decided the document (`request.document_facts()` when absent).
`actor=None` means the system. Each call checks the actor's permission and agency and
writes its audit event in the same transaction as the change.

Issuing is asked for inside the caller's transaction and done after it commits (a
Celery task; inline after commit without a broker): the number is taken in its own
short transaction, and the PDF is rendered with no row locked at all, so a slow render
never holds a case, a counter or the audit chain.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from audit.services import audit_record

from . import kinds
from .content import compose, missing_fields
from .issuing import ERR_NOT_SIGNED, stored_user
from .models import Document, DocumentStatus, RenderStatus
from .tasks import document_issue

log = logging.getLogger(__name__)

ERR_UNKNOWN_KIND = "未知的文书种类。"
ERR_NO_PERMISSION = "您没有办理此文书的权限。"
ERR_OTHER_AGENCY = "只能办理本机关受理的申请的文书。"
ERR_NOT_DRAFT = "只有草稿可以修改或审签。"
ERR_ALREADY_ISSUED = "文书已出具，不能再次出具。"
ERR_NOT_EDITABLE = "该部分不可修改：{fields}。"
ERR_CORRECT_ISSUED_ONLY = "只能更正已出具的文书。"
ERR_INCOMPLETE = "文书尚缺必要内容，不能签发：{fields}。"

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


@transaction.atomic
def case_document_draft(*, actor, request, kind: str, data: dict | None = None, corrects: Document | None = None) -> Document:
    """A draft document of `kind` filled from the case plus `data` (free text and the
    step's facts, see documents/README.md for the keys per kind)."""
    if kind not in kinds.KINDS:
        raise ValidationError(ERR_UNKNOWN_KIND)
    _require(actor, request, DRAFT_PERMS)
    data = _jsonable(dict(data or {}))
    data["case"] = data.get("case") or _jsonable(request.document_facts())
    owner = {"correction": request} if request._meta.model_name == "correctionrequest" else {"request": request}
    doc = Document(**owner, agency=request.agency, kind=kind, data=data, created_by=stored_user(actor),
                   corrects=corrects)
    doc.full_clean()
    doc.save()
    audit_record(actor=actor, action="document.drafted", obj=doc, agency=request.agency,
                 after={"kind": kind, "request": request.pk, "corrects": corrects.pk if corrects else None,
                        "subject": request._meta.model_name})
    return doc


@transaction.atomic
def case_document_update(*, actor, document: Document, changes: dict) -> Document:
    """Staff edit the free-text parts of a draft (kinds.Kind.editable)."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _require(actor, doc.subject, DRAFT_PERMS)
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
    _require(actor, doc.subject, SIGN_PERMS if doc.kind_info.needs_sign_off else DRAFT_PERMS + SIGN_PERMS)
    if doc.status != DocumentStatus.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT)
    missing = missing_fields(compose(doc.kind, doc.data, doc.agency))
    if missing:
        raise ValidationError(ERR_INCOMPLETE.format(fields="；".join(missing)))
    doc.status = DocumentStatus.SIGNED
    doc.signed_at, doc.signed_by = timezone.now(), stored_user(actor)
    doc.save(update_fields=["status", "signed_at", "signed_by"])
    audit_record(actor=actor, action="document.signed", obj=doc, before={"status": "draft"}, after={"status": "signed"})
    return doc


def case_document_issue(*, actor, document: Document) -> Document:
    """Ask for a signed document to be issued: checked now, in the caller's transaction;
    numbered and rendered once that transaction has committed (documents.issuing).
    Returns the document as it stands after this call (issued already when the call
    was its own transaction and no broker is configured)."""
    return Document.objects.get(pk=_issue_request(actor=actor, document=document).pk)


@transaction.atomic
def _issue_request(*, actor, document: Document) -> Document:
    doc = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
    _require(actor, doc.subject, ISSUE_PERMS)
    if doc.status == DocumentStatus.ISSUED or doc.render_status == RenderStatus.PENDING:
        raise ValidationError(ERR_ALREADY_ISSUED)
    if doc.status != DocumentStatus.SIGNED:
        raise ValidationError(ERR_NOT_SIGNED)
    doc.render_status = RenderStatus.PENDING
    doc.save(update_fields=["render_status"])
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: document_issue.delay(doc.pk, actor_id))
    return doc


def case_document_issue_now(*, actor, request, kind: str, data: dict | None = None) -> Document:
    """Draft, finalise and ask for issuing in the caller's transaction, for notices
    without a separate sign-off; numbered and rendered after commit.

    The same checks and records as `case_document_draft`, `case_document_sign` and
    `case_document_issue` one after the other, in one pass: the document is written once,
    already signed and waiting to be issued (a step that issues a notice does not read
    back what it has just written)."""
    if kind not in kinds.KINDS:
        raise ValidationError(ERR_UNKNOWN_KIND)
    info = kinds.KINDS[kind]
    _require(actor, request, DRAFT_PERMS)
    _require(actor, request, SIGN_PERMS if info.needs_sign_off else DRAFT_PERMS + SIGN_PERMS)
    _require(actor, request, ISSUE_PERMS)
    data = _jsonable(dict(data or {}))
    data["case"] = data.get("case") or _jsonable(request.document_facts())
    missing = missing_fields(compose(kind, data, request.agency))
    if missing:
        raise ValidationError(ERR_INCOMPLETE.format(fields="；".join(missing)))
    owner = {"correction": request} if request._meta.model_name == "correctionrequest" else {"request": request}
    signer = stored_user(actor)
    doc = Document(**owner, agency=request.agency, kind=kind, data=data, created_by=signer,
                   status=DocumentStatus.SIGNED, signed_at=timezone.now(), signed_by=signer,
                   render_status=RenderStatus.PENDING)
    doc.full_clean(validate_constraints=False, exclude=["request", "correction", "agency", "created_by",
                                                        "signed_by", "corrects"])  # the objects in hand
    with transaction.atomic(savepoint=False):  # the caller's step, or a transaction of its own
        doc.save(force_insert=True)
        audit_record(actor=actor, action="document.drafted", obj=doc, agency=request.agency,
                     after={"kind": kind, "request": request.pk, "corrects": None,
                            "subject": request._meta.model_name})
        audit_record(actor=actor, action="document.signed", obj=doc, before={"status": "draft"},
                     after={"status": "signed"})
        actor_id = getattr(actor, "pk", None)
        issued = []

        def issue():
            document_issue.delay(doc.pk, actor_id)
            issued.append(doc.pk)

        transaction.on_commit(issue)
    # issued already when nothing was left to wait for; otherwise (the caller's step has
    # not committed) the row is as written here
    return Document.objects.get(pk=doc.pk) if issued else doc


def case_document_correct(*, actor, document: Document, data: dict | None = None) -> Document:
    """A correction is a new draft of the same kind that names the old document."""
    if document.status != DocumentStatus.ISSUED:
        raise ValidationError(ERR_CORRECT_ISSUED_ONLY)
    base = {k: v for k, v in document.data.items() if k != "case"}
    return case_document_draft(actor=actor, request=document.subject, kind=document.kind,
                               data={**base, **(data or {})}, corrects=document)
