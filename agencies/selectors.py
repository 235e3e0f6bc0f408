"""Who sees what: every list and detail of agency data is scoped through here."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import Agency, StaffProfile
from .roles import AGENCY_WIDE_ROLES, user_roles

# The accounts API keys act through (api.ApiKey.account): not people, not listed as staff.
SERVICE_ACCOUNT_PREFIX = "apikey-"


def staff_profile(user) -> StaffProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def user_agency(user) -> Agency | None:
    profile = staff_profile(user)
    return profile.agency if profile else None


def scope_to_user(qs: QuerySet, user, *, agency_field: str = "agency", department_field: str | None = None) -> QuerySet:
    """Restrict `qs` to what `user` may see: own agency always; own department too unless
    the user's role is agency-wide. Superusers see everything; anyone else without a
    staff profile sees nothing."""
    if getattr(user, "is_superuser", False):
        return qs
    profile = staff_profile(user)
    if profile is None:
        return qs.none()
    qs = qs.filter(**{agency_field: profile.agency_id})
    if department_field and not (user_roles(user) & AGENCY_WIDE_ROLES):
        qs = qs.filter(**{department_field: profile.department_id}) if profile.department_id else qs.none()
    return qs


def agency_people(agency) -> QuerySet:
    """The staff of one agency, for its administrator's page."""
    return (StaffProfile.objects.filter(agency=agency).exclude(user__username__startswith=SERVICE_ACCOUNT_PREFIX)
            .select_related("user", "department")
            .prefetch_related("user__groups").order_by("department__name", "user__username"))
