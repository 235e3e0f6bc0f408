"""Intake and registration (条例 Art. 29, 31): an application is submitted online or entered
by a registrar, its receipt date is fixed by the Art. 31 rule, it gets its registration
number, its legal clock opens and the receipt is issued."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from agencies.selectors import user_agency
from audit.services import audit_record
from legal import receipt as receipt_rules
from legal import services as clock_services
from legal.selectors import local_today

from .. import paperwork as docs
from ..access_codes import access_code_hash, access_code_new
from ..models import DisclosureRequest, RegistrationCounter, RequestAttachment, RequestItem
from ..notices import case_notify
from ._step import ERR_NOT_ALLOWED, REGISTER, Step, move, request_flow, step_service

# Unicode direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) would let a
# name print reversed in the documents and lists ("张三\u202e..."): they are dropped on input.
_DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
NAME_FIELDS = ("legal_representative", "contact_person")


def plain_name(text: str) -> str:
    """A name as it will be printed: without direction-control characters, trimmed."""
    return (text or "").translate(_DIRECTION_CONTROLS).strip()


ERR_NO_ITEMS = "请至少填写一项所需信息。"
ERR_ITEM_TITLE = "每一项所需信息都需要填写名称或特征描述。"
ERR_ONLINE_ONLY = "申请人只能通过互联网渠道自行提交申请；其他方式由登记人员代为录入。"
ERR_SIGNED_FOR_REQUIRED = "邮寄申请须填写签收日期（条例第三十一条第（二）项）。"
ERR_RECEIPT_FUTURE = "收到申请之日不能晚于今天。"
ERR_RECEIPT_BEFORE_SUBMISSION = "收到申请之日不能早于申请提交之日。"


def _new_tracking_number() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        number = "".join(secrets.choice(alphabet) for _ in range(10))
        if not DisclosureRequest.objects.filter(tracking_number=number).exists():
            return number


@step_service
def request_submit(*, actor, agency, applicant_type: str, applicant_name: str, id_type: str, id_number: str,
                   phone: str, channel: str, form_wanted: str, delivery_wanted: str, items: list[dict],
                   description: str = "", submitted_at: dt.datetime | None = None, applicant_user=None,
                   attachments: Iterable = (), **applicant: Any) -> tuple[DisclosureRequest, str]:
    """Create an application with its items and start its process (Art. 29). Online
    applicants submit for themselves (`actor` None or the applicant's account); every
    other channel is entered by a registrar of the agency. Returns the case and the
    plain access code (shown once; only its hash is kept)."""
    if channel == receipt_rules.ONLINE and (actor is None or actor == applicant_user or not user_agency(actor)):
        applicant_user = applicant_user or (actor if actor is not None and not user_agency(actor) else None)
    else:
        if actor is None or user_agency(actor) is None:
            raise PermissionDenied(ERR_ONLINE_ONLY)
        if not actor.has_perm("workflows.register_request") or user_agency(actor).pk != agency.pk:
            raise PermissionDenied(ERR_NOT_ALLOWED)
    applicant_name = plain_name(applicant_name)
    applicant.update({f: plain_name(applicant[f]) for f in NAME_FIELDS if isinstance(applicant.get(f), str)})
    items = [dict(i) for i in items or []]
    if not items:
        raise ValidationError(ERR_NO_ITEMS)
    if any(not (i.get("title") or "").strip() for i in items):
        raise ValidationError(ERR_ITEM_TITLE)
    code = access_code_new()
    case = DisclosureRequest(
        agency=agency, applicant_type=applicant_type, applicant_name=applicant_name, id_type=id_type,
        id_number=id_number, phone=phone, channel=channel, form_wanted=form_wanted, delivery_wanted=delivery_wanted,
        description=description, submitted_at=submitted_at or timezone.now(), applicant_user=applicant_user,
        tracking_number=_new_tracking_number(), access_code_hash=access_code_hash(code), **applicant,
    )
    case.full_clean(exclude=["status"])  # protected FSM field: set only by transitions
    case.save()
    for position, item in enumerate(items, start=1):
        row = RequestItem(request=case, position=position, title=item["title"].strip(),
                          document_number=item.get("document_number", ""), description=item.get("description", ""))
        row.full_clean()
        row.save()
    stored = store_attachments(case, attachments, RequestAttachment.APPLICATION)
    audit_record(actor=actor, action="request.submitted", obj=case, after={
        "status": case.status, "channel": channel, "items": len(items), "tracking_number": case.tracking_number,
        "attachments": stored})
    case_notify(case=case, action="request.submitted")
    request_flow().start.run(case=case)
    return case, code


def store_attachments(case: DisclosureRequest, files: Iterable, purpose: str) -> list[dict]:
    """Keep uploaded files (already checked by content type and size) with their digest."""
    stored = []
    for f in files or ():
        f.seek(0)
        digest = hashlib.sha256(f.read()).hexdigest()
        f.seek(0)
        content_type = getattr(f, "detected_content_type", None) or getattr(f, "content_type", "")
        row = RequestAttachment.objects.create(request=case, purpose=purpose, file=f, original_name=f.name[:255],
                                               content_type=content_type, size=f.size, sha256=digest)
        stored.append({"id": row.pk, "name": row.original_name, "sha256": digest})
    return stored


def _next_registration_number(agency, year: int) -> str:
    # one statement: the year's first number creates the row, any later one adds 1 to it;
    # the row stays locked until the step commits (gapless: a rolled-back step gives its
    # number back), so concurrent registrations of one agency queue here
    table = connection.ops.quote_name(RegistrationCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (agency_id, year, last) VALUES (%s, %s, 1) "
                       f"ON CONFLICT (agency_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                       [agency.pk, year])
        (last,) = cursor.fetchone()
    return f"{year}-{last:04d}"


@step_service
def request_register(*, actor, case: DisclosureRequest, signed_for_on: dt.date | None = None,
                     confirmed_on: dt.date | None = None, task=None) -> DisclosureRequest:
    """The registrar confirms receipt: receipt date by Art. 31, registration number,
    the legal clock opens, the receipt is issued."""
    step = Step.open(case, actor=actor, perm=REGISTER, node="register", task=task)
    case = step.case
    if case.channel == receipt_rules.POST and signed_for_on is None:
        raise ValidationError(ERR_SIGNED_FOR_REQUIRED)
    if case.channel in (receipt_rules.ORDINARY_MAIL, receipt_rules.ONLINE, receipt_rules.FAX, receipt_rules.EMAIL):
        confirmed_on = confirmed_on or local_today()
    received_on = receipt_rules.receipt_date(case.channel, submitted_at=case.submitted_at, signed_for_on=signed_for_on,
                                             confirmed_on=confirmed_on)
    if received_on > local_today():
        raise ValidationError(ERR_RECEIPT_FUTURE)
    if received_on < timezone.localtime(case.submitted_at).date():
        raise ValidationError(ERR_RECEIPT_BEFORE_SUBMISSION)
    case.received_on = received_on
    case.receipt_confirmed_at = timezone.now()
    case.registration_number = _next_registration_number(case.agency, received_on.year)
    case.clock, segments, state = clock_services.clock_open_with_state(
        actor=actor, label=f"{case.registration_number} {case.applicant_name}", received_on=received_on,
        agency=case.agency, reason=case.receipt_rule)
    move(case, "register", actor=actor, action="request.registered", reason=case.receipt_rule,
          registration_number=case.registration_number, received_on=received_on)
    docs.document_receipt(actor=actor, case=case, clock=(segments, state))
    step.complete()
    return case


