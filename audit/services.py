"""Writing to the audit record. Call `audit_record` inside the service's transaction.

Recording takes no shared lock: the event gets its number from the database sequence
and is chained later by the sealer (`audit_seal`, see `audit.sealing`)."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from dbrows import Inserter

from .models import AuditEvent
from .sealing import audit_seal

__all__ = ["SYSTEM_LABEL", "actor_label", "audit_record", "audit_seal"]

SYSTEM_LABEL = "系统"

# Someone without a staff account acting through a public page (the applicant on the
# portal): set by the view around the service call, read by audit_record for events whose
# actor is not a user, so the services keep their `actor=None` permission rules.
_acting: contextvars.ContextVar[tuple[str, dict] | None] = contextvars.ContextVar("audit_acting", default=None)


@contextlib.contextmanager
def acting_without_account(*, label: str, detail: dict) -> Iterator[None]:
    """Record events written inside the block, whose actor is not a user, as `label`
    (e.g. 申请人 张三) with `detail` (tracking number, portal session, client address)."""
    token = _acting.set((label, detail))
    try:
        yield
    finally:
        _acting.reset(token)


_INSERT = Inserter(AuditEvent)  # no signal listens to events; they are only ever inserted

# A system calling the API with a key of the agency: the key's account is the actor; every
# event written inside the block also says which key and from where (set by the API).
_through: contextvars.ContextVar[dict | None] = contextvars.ContextVar("audit_through", default=None)


@contextlib.contextmanager
def acting_through(*, detail: dict) -> Iterator[None]:
    """Add `detail` (the API key's number and name, the client address) to the
    `actor_detail` of every event recorded inside the block."""
    token = _through.set(detail)
    try:
        yield
    finally:
        _through.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def actor_label_of(actor) -> str:
    if actor is None:
        return SYSTEM_LABEL
    return actor.get_full_name() or actor.get_username()


actor_label = actor_label_of  # the name the services import; audit_record's argument of that name shadows it


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    agency=None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    actor_label: str | None = None,
    actor_detail: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's atomic block (the state change).

    Someone without a staff account (an applicant on the portal, a failed log-in) is named
    by `actor_label` with `actor_detail` saying how they were identified (tracking number,
    portal session, client address); only a job with neither is recorded as 系统."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the state change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
        if agency is None and getattr(obj, "agency_id", None) is None:
            agency = getattr(obj, "agency", None)
    if not getattr(actor, "pk", None) and not actor_label and (acting := _acting.get()) is not None:
        actor_label, actor_detail = acting[0], {**acting[1], **(actor_detail or {})}
    if (through := _through.get()) is not None:
        actor_detail = {**through, **(actor_detail or {})}
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(label if (label := (actor_label or "").strip()) and not getattr(actor, "pk", None)
                     else actor_label_of(actor))[:150],
        actor_detail=_jsonable(actor_detail) if actor_detail else None,
        agency=agency,
        object_type=object_type or "",
        object_id=object_id or "",
        object_repr=(object_repr or "")[:300],
        action=action,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason or "",
    )
    if agency is None and obj is not None and getattr(obj, "agency_id", None) is not None:
        event.agency_id = obj.agency_id  # the object's agency, without reading it
    _INSERT.insert(event)  # the statement built once: audit_record runs several times in every step
    return event


# What a staff member looked at (个人信息保护法 Art. 51: measures against unauthorised access,
# so every reading of an applicant's personal data or of a document is on record).
VIEWED_PERSONAL_DATA = "personal_data.viewed"
VIEWED_DOCUMENT = "document.viewed"
READ_ACTIONS = (VIEWED_PERSONAL_DATA, VIEWED_DOCUMENT)  # kept apart from the story of a case


def audit_access(*, actor, obj: models.Model, what: str, action: str = VIEWED_PERSONAL_DATA,
                 agency=None, address: str = "") -> AuditEvent | None:
    """Record that `actor` (staff) read `obj`: `what` says which page or file. Its own
    transaction: a read changes nothing else. Applicants reading their own case are not
    recorded here (they are the data subject)."""
    if not getattr(actor, "pk", None):
        return None
    detail = {"address": address} if address else None
    with transaction.atomic():
        return audit_record(actor=actor, action=action, obj=obj, agency=agency, after={"what": what},
                            actor_detail=detail)
