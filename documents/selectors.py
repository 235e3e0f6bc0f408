"""Reading documents for screens, downloads and the portal."""
from __future__ import annotations

from agencies.roles import AGENCY_WIDE_ROLES, has_role

from . import kinds
from .models import CaseFile, Document, DocumentStatus

LIST_DEFER = ("pdf", "html")


def documents_for_request(request):
    return Document.objects.filter(request=request).defer(*LIST_DEFER).select_related("agency").order_by("created_at", "id")


def documents_for_applicant(request):
    """What the applicant may see: issued, non-internal documents of their request."""
    return (Document.objects.filter(request=request, status=DocumentStatus.ISSUED)
            .exclude(kind__in=kinds.INTERNAL).defer(*LIST_DEFER).order_by("issued_at", "id"))


def staff_can_see_request(user, request) -> bool:
    """Staff of the same agency; department-bound roles only their department's cases."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is None or profile.agency_id != request.agency_id or not user.has_perm("documents.view_document"):
        return False
    if has_role(user, *AGENCY_WIDE_ROLES) or request.department_id is None:
        return True
    return request.department_id == profile.department_id or request.handler_id == user.pk


def staff_documents(user):
    """Documents the user may open, newest first."""
    qs = Document.objects.defer(*LIST_DEFER).select_related("request", "agency").order_by("-created_at", "-id")
    if user.is_superuser:
        return qs
    profile = getattr(user, "staff_profile", None)
    if profile is None or not user.has_perm("documents.view_document"):
        return qs.none()
    qs = qs.filter(agency_id=profile.agency_id)
    if not has_role(user, *AGENCY_WIDE_ROLES):
        from django.db.models import Q

        qs = qs.filter(Q(request__department__isnull=True) | Q(request__department_id=profile.department_id)
                       | Q(request__handler=user))
    return qs


def case_file_for(request):
    return CaseFile.objects.filter(request=request).first()
