"""Reading for the report pages and the command: whose cases a report covers, and the
fee figure of part 六."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from agencies.models import Agency
from agencies.roles import AGENCY_WIDE_ROLES, user_roles
from agencies.selectors import scope_to_user, staff_profile
from workflows.models import DisclosureRequest, FeeNotice

from .table3 import year_bounds

ALL = "all"
CONSOLIDATE_PERM = "reports.view_all_agencies"
CONSOLIDATED_LABEL = "全部机关（汇总）"


class ScopeDenied(Exception):
    """The user asked for a report they may not see."""


@dataclass
class Scope:
    """Whose cases a report covers, and the title it carries."""

    cases: QuerySet
    label: str
    agency: Agency | None  # None for 汇总
    choice: str  # "all" or the agency id, as the page's selector holds it

    @property
    def consolidated(self) -> bool:
        return self.agency is None


def may_consolidate(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or user.has_perm(CONSOLIDATE_PERM))


def report_scope(user, choice: str | None = None) -> Scope:
    """An agency's people see their agency (a department-bound handler: their department,
    by the rule of `agencies.selectors.scope_to_user`); users with the 汇总 permission may
    choose any agency or all of them. Anyone else sees nothing."""
    cases = DisclosureRequest.objects.all()
    if may_consolidate(user):
        if choice and choice != ALL:
            agency = Agency.objects.filter(pk=choice).first() if str(choice).isdigit() else None
            if agency is None:
                raise ScopeDenied(choice)
            return Scope(cases.filter(agency=agency), agency.name, agency, str(agency.pk))
        own = staff_profile(user)
        if not choice and own is not None:
            return Scope(cases.filter(agency=own.agency_id), own.agency.name, own.agency, str(own.agency_id))
        return Scope(cases, CONSOLIDATED_LABEL, None, ALL)
    profile = staff_profile(user)
    if profile is None or choice not in (None, "", str(profile.agency_id)):
        raise ScopeDenied(choice)
    label = profile.agency.name
    if not (user_roles(user) & AGENCY_WIDE_ROLES) and profile.department_id:
        label = f"{profile.agency.name}{profile.department.name}"
    return Scope(scope_to_user(cases, user, department_field="department"), label, profile.agency,
                 str(profile.agency_id))


def agency_scope(code: str) -> Scope:
    """For the command line (no user): `all` or an agency's id, short name or full name."""
    cases = DisclosureRequest.objects.all()
    if code == ALL:
        return Scope(cases, CONSOLIDATED_LABEL, None, ALL)
    agency = (Agency.objects.filter(pk=code).first() if code.isdigit() else None) or \
        Agency.objects.filter(short_name=code).first() or Agency.objects.filter(name=code).first()
    if agency is None:
        raise ScopeDenied(code)
    return Scope(cases.filter(agency=agency), agency.name, agency, str(agency.pk))


def agency_choices() -> list[tuple[str, str]]:
    return [(ALL, CONSOLIDATED_LABEL)] + [(str(pk), name) for pk, name in Agency.objects.values_list("pk", "name")]


@dataclass
class Fees:
    """Part 六: information-processing fees (信息处理费, Art. 42) charged in the year —
    the fee notices paid in the year, by their payment date."""

    count: int
    amount: Decimal


def fees_charged(cases: QuerySet, *, year: int) -> Fees:
    got = fee_notices_paid(cases, year=year).aggregate(count=Count("pk"), amount=Sum("amount"))
    return Fees(count=got["count"], amount=Decimal(got["amount"] or 0).quantize(Decimal("0.01")))


def fee_notices_paid(cases: QuerySet, *, year: int) -> QuerySet:
    start, end = year_bounds(year)
    return FeeNotice.objects.filter(request__in=cases.values("pk"), paid_on__gte=start, paid_on__lte=end)
