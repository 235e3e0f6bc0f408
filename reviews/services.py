"""Everything that writes proactive-disclosure data. Each public function is one
transaction: permission check, state change, audit event (conventions §2)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed
from viewflow.workflow.status import STATUS

from agencies.roles import AGENCY_WIDE_ROLES, user_roles
from agencies.selectors import staff_profile
from audit.services import audit_record
from legal import publication as period
from legal.selectors import local_today
from legal.services import clock_open, clock_stop

from . import catalogue as cat
from . import checks
from .extract import Unreadable, chunks_from_upload
from .models import Attachment, CatalogueItem, Finding, Publication, ReviewRecord, SensitiveWord

ERR_NOT_ALLOWED = "您没有执行该操作的权限。"
ERR_OTHER_AGENCY = "该信息属于其他机关。"
ERR_OTHER_DEPARTMENT = "只能起草或修改本部门的信息。"
ERR_ATTRIBUTE_REASON = "依申请公开或不予公开的信息，必须写明理由和法律依据（国办发〔2016〕80号）。"
ERR_NOT_PROACTIVE = "只有公开属性为“主动公开”的信息才能进入发布审核。"
ERR_NOT_EDITABLE = "该信息正在审核或已发布，不能修改；请由审核人退回后再修改。"
ERR_INTERPRETER = "政策解读须由政策起草部门负责（谁起草、谁解读）。"
ERR_INTERPRETS_POLICY = "只能为“政策文件”类信息添加解读。"
ERR_ALREADY_INTERPRETED = "该政策已有解读材料。"
ERR_INTERPRETATION_SUBMITTED_WITH_POLICY = "政策解读随政策文件一并提交审核，请提交政策文件。"
ERR_OPEN_FINDINGS = "自动检查仍有 {n} 项未处理的发现：请修改正文后重新检查，或逐项说明保留理由，然后再审核通过。"
ERR_JUSTIFICATION_REQUIRED = "请填写保留理由。"
ERR_COMMENT_REQUIRED = "退回时必须填写审核意见。"
ERR_WRONG_STATE = "当前状态（{state}）不能执行该操作。"
ERR_NO_INTERPRETATION = "政策文件没有经审核的解读材料：须由负责人说明无需解读的理由，方可签发。"
ERR_INTERPRETATION_NOT_READY = "政策解读尚未完成审核，不能签发。"
ERR_WITHDRAW_REASON = "撤回必须说明理由。"
ERR_REPEAL_FORM = "只有规章或行政规范性文件才能登记废止。"
ERR_REPEAL_STATE = "只有已发布、尚未废止的文件才能登记废止。"
ERR_REPEAL_DATE = "废止日期不能早于发布日期，也不能晚于今天。"
ERR_REPEAL_REASON = "请写明废止的依据（如废止决定的文号），不超过300字。"
ERR_NOT_DUE = "计划发布日期（{date}）未到。"
ERR_WORD_EMPTY = "敏感词不能为空。"
ERR_CATALOGUE_IMPORT = "导入失败：{errors}"
ERR_TASK_TAKEN = "该任务已被认领或已办结。"
ERR_NOT_YOUR_TASK = "只能退回本人认领、尚未办理的任务。"
ERR_OWN_ITEM = "起草人不能审核本人起草的信息，请由其他审核人员办理。"

STEP_PERMS = {
    ReviewRecord.FIRST: "reviews.review_first",
    ReviewRecord.SECOND: "reviews.review_second",
    ReviewRecord.FINAL: "reviews.review_final",
}


# --- helpers ---------------------------------------------------------------------------------

def _require(actor, perm: str, agency=None) -> None:
    if actor is None:
        return  # the system (scheduled publication, demo seeding)
    if not actor.has_perm(perm):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if agency is not None and not actor.is_superuser:
        profile = staff_profile(actor)
        if profile is None or profile.agency_id != agency.pk:
            raise PermissionDenied(ERR_OTHER_AGENCY)


def _require_drafter(actor, publication_or_department) -> None:
    department = getattr(publication_or_department, "department", publication_or_department)
    _require(actor, "reviews.change_publication", department.agency)
    if actor is None or actor.is_superuser or (user_roles(actor) & AGENCY_WIDE_ROLES):
        return
    profile = staff_profile(actor)
    if profile.department_id != department.pk:
        raise PermissionDenied(ERR_OTHER_DEPARTMENT)


def drafter_departments(actor, agency):
    """The departments `actor` may draft for: the own one, or every department of the agency
    for agency-wide roles (the same rule as `_require_drafter`)."""
    qs = agency.departments.all()
    if actor is None or actor.is_superuser or (user_roles(actor) & AGENCY_WIDE_ROLES):
        return qs
    profile = staff_profile(actor)
    return qs.filter(pk=getattr(profile, "department_id", None))


def may_review(actor, publication: Publication) -> bool:
    """Four eyes: nobody reviews (初审, 复审) an item they drafted themselves."""
    return actor is None or publication.author_id is None or publication.author_id != actor.pk


def _recheck(p: Publication, *, actor) -> None:
    """After a change to a checked item, its findings are run again so none is stale."""
    if p.checked_at is not None:
        _run_checks(p, actor=actor)


def _snapshot(p: Publication) -> dict:
    return {"state": p.state, "title": p.title, "attribute": p.attribute, "document_number": p.document_number,
            "created_on": p.created_on, "publish_on": p.publish_on}


def _record(p: Publication, *, actor, step: str, decision: str, comment: str = "") -> ReviewRecord:
    return ReviewRecord.objects.create(publication=p, step=step, decision=decision, comment=comment,
                                       actor=actor if getattr(actor, "pk", None) else None)


def _lock(p: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=p.pk)


def _move(p: Publication, transition_name: str) -> str:
    """Fire a django_fsm transition; a wrong state is a user-facing error, not a crash."""
    method = getattr(p, transition_name)
    if not can_proceed(method):
        raise ValidationError(ERR_WRONG_STATE.format(state=p.get_state_display()))
    before = p.state
    method()
    return before


# --- catalogue -------------------------------------------------------------------------------

@transaction.atomic
def catalogue_seed(*, actor, agency) -> int:
    """Give the agency the 26-domain catalogue (idempotent: adds only missing items)."""
    _require(actor, "reviews.manage_catalogue", agency)
    return _catalogue_upsert(actor=actor, agency=agency, rows=cat.seed_rows(), source="26个试点领域标准目录")


def _catalogue_upsert(*, actor, agency, rows: list[dict], source: str) -> int:
    created = updated = 0
    for row in rows:
        key = {"agency": agency, "domain": row["domain"], "item_level1": row["item_level1"], "item_level2": row.get("item_level2", "")}
        values = {k: v for k, v in row.items() if k not in key and v != ""}
        item = CatalogueItem.objects.filter(**key).first()
        if item is None:
            item = CatalogueItem(**key, **values)
            item.full_clean()
            item.save()
            created += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(item, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(item, k, v)
                item.full_clean()
                item.save()
                updated += 1
    if created or updated:
        audit_record(actor=actor, action="catalogue.imported", object_type="reviews.catalogueitem", object_id=str(agency.pk),
                     object_repr=f"{agency.short_name}标准目录", agency=agency,
                     after={"created": created, "updated": updated, "source": source})
    return created + updated


@transaction.atomic
def catalogue_import(*, actor, agency, data: bytes) -> int:
    """Import an .xlsx in the export format. All or nothing: any bad row rejects the file."""
    _require(actor, "reviews.manage_catalogue", agency)
    rows, errors = cat.xlsx_to_rows(data)
    if errors:
        raise ValidationError(ERR_CATALOGUE_IMPORT.format(errors="；".join(errors)))
    return _catalogue_upsert(actor=actor, agency=agency, rows=rows, source="表格导入")


@transaction.atomic
def sensitive_word_add(*, actor, agency, word: str, note: str = "") -> SensitiveWord:
    _require(actor, "reviews.manage_catalogue", agency)
    word = (word or "").strip()
    if not word:
        raise ValidationError(ERR_WORD_EMPTY)
    obj, created = SensitiveWord.objects.get_or_create(agency=agency, word=word, defaults={"note": note})
    if created:
        audit_record(actor=actor, action="sensitive_word.added", obj=obj, agency=agency, after={"word": word, "note": note})
    return obj


@transaction.atomic
def sensitive_word_delete(*, actor, word: SensitiveWord, reason: str = "") -> None:
    _require(actor, "reviews.manage_catalogue", word.agency)
    audit_record(actor=actor, action="sensitive_word.deleted", obj=word, agency=word.agency, before={"word": word.word}, reason=reason)
    word.delete()


# --- drafting --------------------------------------------------------------------------------

EDITABLE_FIELDS = {"title", "body", "document_number", "catalogue_item", "attribute", "attribute_reason",
                   "attribute_ground", "created_on", "qa", "video_url", "department", "legal_form"}


def _validate_attribute(attribute: str, reason: str, ground: str) -> None:
    if attribute != Publication.PROACTIVE and not (reason.strip() and ground.strip()):
        raise ValidationError({"attribute_reason": ERR_ATTRIBUTE_REASON})


def _open_clock(p: Publication, *, actor, reason: str) -> None:
    p.clock = clock_open(actor=actor, label=period.clock_label(p.title), received_on=p.created_on, agency=p.agency,
                         days=period.PUBLICATION_DAYS, basis=period.BASIS, reason=reason)


@transaction.atomic
def publication_create(*, actor, department, title: str, created_on: dt.date, body: str = "", kind: str = Publication.DOCUMENT,
                       document_number: str = "", catalogue_item=None, attribute: str = Publication.PROACTIVE,
                       attribute_reason: str = "", attribute_ground: str = "", interprets: Publication | None = None,
                       qa: str = "", video_url: str = "", legal_form: str = "") -> Publication:
    """Draft a publication. Its attribute is decided now (公开属性源头认定); a proactive
    item starts the Art. 26 clock of 20 working days from the day it was created."""
    _require(actor, "reviews.add_publication", department.agency)
    _require_drafter(actor, department)
    _validate_attribute(attribute, attribute_reason, attribute_ground)
    if interprets is not None:
        kind = Publication.INTERPRETATION
        if interprets.kind != Publication.POLICY:
            raise ValidationError(ERR_INTERPRETS_POLICY)
        if interprets.department_id != department.pk:
            raise ValidationError(ERR_INTERPRETER)
        if Publication.objects.filter(interprets=interprets).exists():
            raise ValidationError(ERR_ALREADY_INTERPRETED)
        if interprets.state not in (Publication.DRAFT, Publication.RETURNED):
            raise ValidationError(ERR_NOT_EDITABLE)
    p = Publication(agency=department.agency, department=department, kind=kind, title=title, body=body,
                    document_number=document_number, catalogue_item=catalogue_item, attribute=attribute,
                    attribute_reason=attribute_reason, attribute_ground=attribute_ground, created_on=created_on,
                    interprets=interprets, qa=qa, video_url=video_url, legal_form=legal_form,
                    author=actor or _system_author(department))
    p.full_clean(exclude=["state"])
    if attribute == Publication.PROACTIVE:
        _open_clock(p, actor=actor, reason=period.OPENED_REASON)
    p.save()
    audit_record(actor=actor, action="publication.created", obj=p, after=_snapshot(p) | {"kind": kind})
    return p


def _system_author(department):
    from django.contrib.auth import get_user_model

    profile = department.staff.select_related("user").first()
    return profile.user if profile else get_user_model().objects.filter(is_superuser=True).first()


@transaction.atomic
def publication_update(*, actor, publication: Publication, **fields) -> Publication:
    """Edit a draft or a returned item. A new 形成或变更日期 restarts the Art. 26 period."""
    p = _lock(publication)
    _require_drafter(actor, p)
    if p.state not in (Publication.DRAFT, Publication.RETURNED, Publication.CHECKING):
        raise ValidationError(ERR_NOT_EDITABLE)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = _snapshot(p)
    old_created, old_attribute = p.created_on, p.attribute
    for k, v in fields.items():
        setattr(p, k, v)
    if p.kind == Publication.INTERPRETATION and p.interprets and p.department_id != p.interprets.department_id:
        raise ValidationError(ERR_INTERPRETER)
    _validate_attribute(p.attribute, p.attribute_reason, p.attribute_ground)
    p.full_clean(exclude=["state"])
    if p.attribute == Publication.PROACTIVE and (p.clock is None or p.created_on != old_created or old_attribute != p.attribute):
        if p.clock is not None and p.clock.stopped_on is None:
            clock_stop(actor=actor, clock=p.clock, on=max(local_today(), p.clock.segments.first().start_date),
                       reason="信息变更，公开期限重新起算")
        _open_clock(p, actor=actor, reason=period.REOPENED_REASON)
    elif p.attribute != Publication.PROACTIVE and p.clock is not None and p.clock.stopped_on is None:
        clock_stop(actor=actor, clock=p.clock, on=max(local_today(), p.created_on), reason="公开属性改为非主动公开")
    p.save()
    audit_record(actor=actor, action="publication.updated", obj=p, before=before, after=_snapshot(p))
    _recheck(p, actor=actor)
    return p


@transaction.atomic
def attachment_add(*, actor, publication: Publication, file, name: str = "", role: str = Attachment.ATTACHMENT) -> Attachment:
    p = _lock(publication)
    _require_drafter(actor, p)
    if p.state not in (Publication.DRAFT, Publication.RETURNED, Publication.CHECKING):
        raise ValidationError(ERR_NOT_EDITABLE)
    a = Attachment(publication=p, role=role, name=name or getattr(file, "name", "附件"))
    a.file.save(a.name, file, save=False)
    a.save()
    audit_record(actor=actor, action="publication.attachment_added", obj=p, after={"attachment": a.name, "role": role})
    _recheck(p, actor=actor)
    return a


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    p = _lock(attachment.publication)
    _require_drafter(actor, p)
    if p.state not in (Publication.DRAFT, Publication.RETURNED, Publication.CHECKING):
        raise ValidationError(ERR_NOT_EDITABLE)
    audit_record(actor=actor, action="publication.attachment_deleted", obj=p, before={"attachment": attachment.name})
    attachment.delete()
    _recheck(p, actor=actor)


@transaction.atomic
def publication_apply_deidentification(*, actor, publication: Publication, names: Iterable[str] = ()) -> checks.Deidentified:
    """Replace the body with its de-identified text (个人信息保护法 Art. 73)."""
    p = _lock(publication)
    _require_drafter(actor, p)
    if p.state not in (Publication.DRAFT, Publication.RETURNED, Publication.CHECKING):
        raise ValidationError(ERR_NOT_EDITABLE)
    result = checks.deidentify(p.body, names=names)
    if result.masked != p.body:
        p.body = result.masked
        p.save(update_fields=["body", "updated_at"])
        audit_record(actor=actor, action="publication.deidentified", obj=p,
                     after={"replacements": len(result.replacements)})
        _recheck(p, actor=actor)
    return result


# --- checks ----------------------------------------------------------------------------------

def allowed_hosts_for(agency) -> list[str]:
    from urllib.parse import urlsplit

    hosts = list(getattr(settings, "REVIEWS_ALLOWED_LINK_HOSTS", ["gov.cn"]))
    if agency.website:
        host = urlsplit(agency.website).hostname
        if host:
            hosts.append(host)
    return hosts


def findings_for(p: Publication, *, probe=None) -> list[checks.Finding]:
    words = list(SensitiveWord.objects.filter(agency=p.agency_id).values_list("word", flat=True))
    hosts = allowed_hosts_for(p.agency)
    out = checks.check_text(p.title, source="标题", sensitive_words=words, allowed_hosts=hosts, probe=probe, is_html=False)
    out += checks.check_text(p.body, source="正文", sensitive_words=words, allowed_hosts=hosts, probe=probe)
    if p.qa:
        out += checks.check_text(p.qa, source="问答", sensitive_words=words, allowed_hosts=hosts, probe=probe, is_html=False)
    if p.video_url:
        out += checks.check_text(p.video_url, source="视频链接", allowed_hosts=hosts, probe=probe, is_html=False)
    for a in p.attachments.all():
        try:
            with a.file.open("rb") as fh:
                chunks = chunks_from_upload(fh, a.name)
        except (Unreadable, OSError) as exc:
            out.append(checks.Finding("link", "-", a.name, f"附件无法读取，请重新上传：{exc}", a.name, "附件无法读取"))
            continue
        for prefix, text, is_html in chunks:
            out += checks.check_text(text, source=a.name, sensitive_words=words, allowed_hosts=hosts, probe=probe,
                                     is_html=is_html, location_prefix=prefix)
    return out


def _run_checks(p: Publication, *, actor) -> int:
    """Record a new run of findings; earlier open findings that no longer occur are fixed,
    earlier justifications carry over to the same finding. Returns the open count."""
    run = (p.findings.order_by("-run").values_list("run", flat=True).first() or 0) + 1
    previous = list(p.findings.exclude(status=Finding.FIXED).filter(run=run - 1))
    justified = {(f.kind, f.source, f.matched): f for f in previous if f.status == Finding.JUSTIFIED}
    now = timezone.now()
    new = []
    for f in findings_for(p):
        key = (f.kind, f.source, f.matched[:300])
        prior = justified.get(key)
        new.append(Finding(publication=p, run=run, kind=f.kind, source=f.source[:200], location=f.location[:50],
                           matched=f.matched[:300], detail=f.detail, suggestion=f.suggestion,
                           status=Finding.JUSTIFIED if prior else Finding.OPEN,
                           justification=prior.justification if prior else "",
                           resolved_by=prior.resolved_by if prior else None, resolved_at=prior.resolved_at if prior else None))
    Finding.objects.bulk_create(new)
    still = {(f.kind, f.source, f.matched) for f in new}
    for f in previous:
        if f.status == Finding.OPEN and (f.kind, f.source, f.matched) not in still:
            f.status, f.resolved_at = Finding.FIXED, now
            f.resolved_by = actor if getattr(actor, "pk", None) else None
            f.save(update_fields=["status", "resolved_at", "resolved_by"])
    open_count = sum(1 for f in new if f.status == Finding.OPEN)
    Publication.objects.filter(pk=p.pk).update(checked_at=now)
    p.checked_at = now
    audit_record(actor=actor, action="publication.checked", obj=p,
                 after={"run": run, "findings": len(new), "open": open_count})
    return open_count


def open_findings(p: Publication):
    last = p.findings.order_by("-run").values_list("run", flat=True).first()
    return p.findings.filter(run=last or 0, status=Finding.OPEN)


@transaction.atomic
def publication_run_checks(*, actor, publication: Publication) -> int:
    """Run the checks again (after the text was fixed) without moving the state."""
    p = _lock(publication)
    if actor is not None and not (actor.has_perm("reviews.change_publication") or any(actor.has_perm(x) for x in STEP_PERMS.values())):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    _require(actor, "reviews.view_publication", p.agency)
    return _run_checks(p, actor=actor)


@transaction.atomic
def finding_justify(*, actor, finding: Finding, justification: str) -> Finding:
    """Let a finding stand, with the reason on record (e.g. a penalty notice that must name
    the party, or a hotline number that is an office number)."""
    p = finding.publication
    _require(actor, "reviews.view_publication", p.agency)
    if not (actor is None or actor.has_perm("reviews.change_publication") or any(actor.has_perm(x) for x in STEP_PERMS.values())):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if not (justification or "").strip():
        raise ValidationError(ERR_JUSTIFICATION_REQUIRED)
    f = Finding.objects.select_for_update().get(pk=finding.pk)
    if f.status != Finding.OPEN:
        return f
    f.status, f.justification, f.resolved_at = Finding.JUSTIFIED, justification.strip(), timezone.now()
    f.resolved_by = actor if getattr(actor, "pk", None) else None
    f.save(update_fields=["status", "justification", "resolved_at", "resolved_by"])
    audit_record(actor=actor, action="finding.justified", obj=p,
                 after={"finding": f.pk, "kind": f.kind, "matched": f.matched}, reason=f.justification)
    return f


# --- the review steps (called by the flow) ---------------------------------------------------

@transaction.atomic
def publication_submit(*, actor, publication: Publication) -> Publication:
    """Check a draft may enter review (the flow starts right after, in this transaction)."""
    p = _lock(publication)
    _require_drafter(actor, p)
    if p.kind == Publication.INTERPRETATION:
        raise ValidationError(ERR_INTERPRETATION_SUBMITTED_WITH_POLICY)
    for item in p.package:
        if item.attribute != Publication.PROACTIVE:
            raise ValidationError(ERR_NOT_PROACTIVE)
        if item.state != Publication.DRAFT:
            raise ValidationError(ERR_WRONG_STATE.format(state=item.get_state_display()))
    audit_record(actor=actor, action="publication.submitted", obj=p, after={"package": [x.pk for x in p.package]})
    return p


@transaction.atomic
def publication_enter_checks(*, actor, publication: Publication) -> bool:
    """Automated checks on entering review. True when nothing stands (goes on to 初审)."""
    p = _lock(publication)
    before = _move(p, "enter_checks")
    open_count = _run_checks(p, actor=actor)
    if open_count == 0:
        p.checks_passed()
    p.save(update_fields=["state", "updated_at"])
    _record(p, actor=actor, step=ReviewRecord.CHECKS, decision=ReviewRecord.NOTE,
            comment=f"自动检查：{open_count} 项待处理" if open_count else "自动检查通过")
    audit_record(actor=actor, action="publication.state", obj=p, before={"state": before}, after={"state": p.state})
    return open_count == 0


@transaction.atomic
def publication_resubmit(*, actor, publication: Publication, comment: str = "") -> Publication:
    """The drafter hands a fixed or returned item back (the flow then re-runs the checks)."""
    p = _lock(publication)
    _require_drafter(actor, p)
    if p.state not in (Publication.CHECKING, Publication.RETURNED):
        raise ValidationError(ERR_WRONG_STATE.format(state=p.get_state_display()))
    _record(p, actor=actor, step=ReviewRecord.RESUBMIT, decision=ReviewRecord.NOTE, comment=comment)
    audit_record(actor=actor, action="publication.resubmitted", obj=p, after={"state": p.state}, reason=comment)
    return p


_STEP_FROM_TO = {
    ReviewRecord.FIRST: (Publication.FIRST_REVIEW, "approve_first"),
    ReviewRecord.SECOND: (Publication.SECOND_REVIEW, "approve_second"),
}


@transaction.atomic
def publication_review(*, actor, publication: Publication, step: str, approve: bool, comment: str = "") -> Publication:
    """初审 or 复审 of one item. Approval is refused while an automated finding stands."""
    p = _lock(publication)
    _require(actor, STEP_PERMS[step], p.agency)
    if not may_review(actor, p):
        raise PermissionDenied(ERR_OWN_ITEM)
    source, transition = _STEP_FROM_TO[step]
    if p.state != source:
        raise ValidationError(ERR_WRONG_STATE.format(state=p.get_state_display()))
    if approve:
        n = open_findings(p).count()
        if n:
            raise ValidationError(ERR_OPEN_FINDINGS.format(n=n))
        before = _move(p, transition)
    else:
        if not comment.strip():
            raise ValidationError(ERR_COMMENT_REQUIRED)
        before = _move(p, "send_back")
    p.save(update_fields=["state", "updated_at"])
    _record(p, actor=actor, step=step, decision=ReviewRecord.APPROVE if approve else ReviewRecord.RETURN, comment=comment)
    audit_record(actor=actor, action=f"publication.review_{step}", obj=p, before={"state": before},
                 after={"state": p.state, "approve": approve}, reason=comment)
    return p


@transaction.atomic
def package_sign(*, actor, publication: Publication, approve: bool, comment: str = "", publish_on: dt.date | None = None,
                 no_interpretation_reason: str = "") -> list[Publication]:
    """终审（审签）: the person in charge signs the policy and its interpretation together
    (同步审签), or returns both. A policy with no interpretation needs the signer's reason."""
    head = _lock(publication)
    _require(actor, STEP_PERMS[ReviewRecord.FINAL], head.agency)
    package = [_lock(x) for x in head.package]
    for p in package:
        if p.state != Publication.FINAL_REVIEW:
            raise ValidationError(ERR_INTERPRETATION_NOT_READY if p.kind == Publication.INTERPRETATION
                                  else ERR_WRONG_STATE.format(state=p.get_state_display()))
    if approve:
        for p in package:
            n = open_findings(p).count()
            if n:
                raise ValidationError(ERR_OPEN_FINDINGS.format(n=n))
        if head.kind == Publication.POLICY and len(package) == 1:
            if not no_interpretation_reason.strip():
                raise ValidationError(ERR_NO_INTERPRETATION)
            head = package[0]
            head.no_interpretation_reason = no_interpretation_reason.strip()
            head.no_interpretation_by = actor if getattr(actor, "pk", None) else None
    elif not comment.strip():
        raise ValidationError(ERR_COMMENT_REQUIRED)
    publish_on = publish_on or local_today()
    for p in package:
        before = _move(p, "sign" if approve else "send_back")
        if approve:
            p.publish_on = publish_on
        p.save()
        _record(p, actor=actor, step=ReviewRecord.FINAL, decision=ReviewRecord.APPROVE if approve else ReviewRecord.RETURN,
                comment=comment or (f"无需解读：{head.no_interpretation_reason}" if p.no_interpretation_reason else ""))
        audit_record(actor=actor, action="publication.signed" if approve else "publication.review_final", obj=p,
                     before={"state": before}, after={"state": p.state, "publish_on": p.publish_on, "approve": approve,
                                                      "no_interpretation_reason": p.no_interpretation_reason},
                     reason=comment)
    return package


def _publish_one(p: Publication, *, actor, now) -> None:
    before = _move(p, "publish")
    p.published_at = now
    p.save()
    if p.clock_id and p.clock.stopped_on is None:
        clock_stop(actor=actor, clock=p.clock, on=max(timezone.localdate(now), p.clock.segments.first().start_date),
                   reason="已主动公开")
    _record(p, actor=actor, step=ReviewRecord.PUBLISH, decision=ReviewRecord.NOTE)
    audit_record(actor=actor, action="publication.published", obj=p, before={"state": before},
                 after={"state": p.state, "published_at": now})


@transaction.atomic
def package_publish(*, actor, publication: Publication, force: bool = False) -> list[Publication]:
    """Publish the policy and its interpretation in one transaction (同步发布): either
    both are public afterwards or neither is. `actor=None` is the scheduler; a person may
    publish before the planned day (`force`)."""
    head = _lock(publication)
    _require(actor, "reviews.publish_publication", head.agency)
    package = [_lock(x) for x in head.package]
    today = local_today()
    if not force and head.publish_on and head.publish_on > today:
        raise ValidationError(ERR_NOT_DUE.format(date=head.publish_on))
    now = timezone.now()
    for p in package:
        if p.state != Publication.SCHEDULED:
            raise ValidationError(ERR_WRONG_STATE.format(state=p.get_state_display()))
    for p in package:
        _publish_one(p, actor=actor, now=now)
    return package


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason: str) -> list[Publication]:
    """撤回 a published item (with its package). It stays in the record, marked withdrawn."""
    head = _lock(publication)
    _require(actor, "reviews.withdraw_publication", head.agency)
    if not (reason or "").strip():
        raise ValidationError(ERR_WITHDRAW_REASON)
    package = [_lock(x) for x in head.package]
    now = timezone.now()
    for p in package:
        if p.state != Publication.PUBLISHED:
            continue
        before = _move(p, "withdraw")
        p.withdrawn_at, p.withdraw_reason = now, reason.strip()
        p.save()
        _record(p, actor=actor, step=ReviewRecord.WITHDRAW, decision=ReviewRecord.NOTE, comment=reason)
        audit_record(actor=actor, action="publication.withdrawn", obj=p, before={"state": before},
                     after={"state": p.state}, reason=reason)
    return package


@transaction.atomic
def publication_repeal(*, actor, publication: Publication, on: dt.date, reason: str) -> Publication:
    """登记废止 a published 规章 or 行政规范性文件: it stays published and in the record, marked
    repealed from `on`; 表二 counts it as repealed in that year and no longer in force."""
    p = _lock(publication)
    _require(actor, "reviews.withdraw_publication", p.agency)
    if p.legal_form not in (Publication.RULE, Publication.NORMATIVE):
        raise ValidationError(ERR_REPEAL_FORM)
    if p.state != Publication.PUBLISHED or p.repealed_on is not None:
        raise ValidationError(ERR_REPEAL_STATE)
    if on is None or on > local_today() or (p.published_at and on < timezone.localdate(p.published_at)):
        raise ValidationError(ERR_REPEAL_DATE)
    if not (reason or "").strip() or len(reason.strip()) > 300:
        raise ValidationError(ERR_REPEAL_REASON)
    p.repealed_on, p.repeal_reason = on, reason.strip()
    p.save(update_fields=["repealed_on", "repeal_reason", "updated_at"])
    audit_record(actor=actor, action="publication.repealed", obj=p, after={"repealed_on": on}, reason=p.repeal_reason)
    return p


# --- review tasks: claiming from the agency queue and giving back ------------------------------

def _task_publication(task) -> Publication:
    data = task.data or {}
    if "publication" in data:
        return Publication.objects.get(pk=data["publication"])
    return task.process.coerced.publication


def _lock_task(task):
    return type(task)._default_manager.select_for_update().get(pk=task.pk)


@transaction.atomic
def publication_task_claim(*, actor, task):
    """认领 a review task from the queue: the node's rule (permission, the publication's
    agency) decides, and the audit record says who took which step."""
    task = _lock_task(task)
    if task.status != STATUS.NEW:
        raise ValidationError(ERR_TASK_TAKEN)
    node = task.flow_task
    if not node.can_assign(actor, task):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    node.activation_class(task).assign(actor)
    audit_record(actor=actor, action="publication.task_claimed", obj=_task_publication(task),
                 after={"task": task.pk, "step": node.name})
    return task


@transaction.atomic
def publication_task_release(*, actor, task):
    """退回队列: the person who claimed a review task and has not yet done it gives it back."""
    task = _lock_task(task)
    # only a task taken from the queue (one the flow gave to the author stays the author's)
    if task.status != STATUS.ASSIGNED or task.owner_id != getattr(actor, "pk", None) or not task.owner_permission:
        raise PermissionDenied(ERR_NOT_YOUR_TASK)
    node = task.flow_task
    node.activation_class(task).unassign()
    audit_record(actor=actor, action="publication.task_released", obj=_task_publication(task),
                 before={"owner": actor.pk}, after={"task": task.pk, "step": node.name})
    return task
