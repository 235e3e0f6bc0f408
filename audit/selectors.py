"""Reading the audit record for the staff pages. Scoping (which agency's events a
person may see) is the caller's: pass a queryset already scoped."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditCheckpoint, AuditEvent, AuditVerification
from .verification import audit_verify


def audit_events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


def audit_chain_is_intact() -> bool:
    return audit_verify().ok


def audit_last_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-position").first()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))  # Beijing time (TIME_ZONE)


def audit_events_search(
    events: QuerySet,
    *,
    objects: list[tuple[str, str]] | None = None,
    person: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    before: int | None = None,
    limit: int = 50,
) -> tuple[list[AuditEvent], int | None]:
    """Newest first, one page at a time (keyset on the event number, no COUNT: the
    record has tens of millions of rows). `objects`: (object_type, object_id) pairs, e.g.
    a case and its clock and documents. Returns (events, number to continue before)."""
    if objects is not None:
        q = Q(pk__in=[])
        for object_type, object_id in objects:
            q |= Q(object_type=object_type, object_id=object_id)
        events = events.filter(q)
    if person:
        events = events.filter(Q(actor_label__contains=person) | Q(actor__username=person))
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if before:
        events = events.filter(pk__lt=before)
    page = list(events.select_related("agency").order_by("-id")[: limit + 1])
    more = page[limit - 1].pk if len(page) > limit else None
    return page[:limit], more


def audit_chain_state() -> dict:
    """For the auditors' page: the last checkpoint, the last verification, and how many
    events wait for the next seal."""
    return {
        "checkpoint": audit_last_checkpoint(),
        "verification": AuditVerification.objects.order_by("-at", "-id").first(),
        "unsealed": AuditEvent.objects.filter(position__isnull=True).count(),
    }
