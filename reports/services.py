"""Everything the report app writes: the figures of 表二 that the system does not hold."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from agencies.roles import ADMINISTRATOR, PERSON_IN_CHARGE, has_role
from agencies.selectors import user_agency
from audit.services import audit_record

from .models import ProactiveFigures
from .table2 import FIELDS

ERR_NOT_ALLOWED = "只有本机关的公开工作机构负责人或系统管理员可以填报表二数据。"
ERR_NEGATIVE = "填报的数字不能为负数。"
ERR_YEAR = "年度不正确。"


def may_enter_figures(user, agency) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    own = user_agency(user)
    return own is not None and own.pk == agency.pk and has_role(user, PERSON_IN_CHARGE, ADMINISTRATOR)


@transaction.atomic
def proactive_figures_set(*, actor, agency, year: int, reason: str = "", **figures) -> ProactiveFigures:
    """Enter or correct an agency's 表二 figures for a year; the change (before and after)
    goes to the audit chain."""
    if not may_enter_figures(actor, agency):
        raise PermissionDenied(ERR_NOT_ALLOWED)
    if not 2008 <= int(year) <= 2100:
        raise ValidationError(ERR_YEAR)
    unknown = set(figures) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    row, _created = ProactiveFigures.objects.select_for_update().get_or_create(agency=agency, year=year)
    before = {f: _plain(getattr(row, f)) for f in FIELDS}
    for name, value in figures.items():
        value = Decimal(value or 0) if name == "fees_amount" else int(value or 0)
        if value < 0:
            raise ValidationError(ERR_NEGATIVE)
        setattr(row, name, value)
    row.updated_by = actor
    row.full_clean()
    row.save()
    after = {f: _plain(getattr(row, f)) for f in FIELDS}
    audit_record(actor=actor, action="report.table2_set", obj=row, agency=agency, before=before, after=after,
                 reason=reason)
    return row


def _plain(value):
    return value if isinstance(value, int) else str(Decimal(value).quantize(Decimal("0.0001")))

