"""Reading for the API: the keys of an agency, and what a key's scope lets it see."""
from __future__ import annotations

from django.db.models import QuerySet

from workflows.models import DisclosureRequest
from workflows.selectors import cases_visible_to

from .models import ApiKey


def agency_api_keys(agency) -> QuerySet:
    return ApiKey.objects.filter(agency=agency).select_related("created_by", "revoked_by")


def api_cases(user, key: ApiKey | None) -> QuerySet:
    """The cases the caller may read: the same rule as the staff pages (`visible_to`);
    a key of scope `intake` only the applications it pushed itself."""
    qs = cases_visible_to(user, DisclosureRequest.objects.all())
    if key is not None and key.scope == ApiKey.INTAKE:
        qs = qs.filter(api_pushes__api_key=key)
    return qs
