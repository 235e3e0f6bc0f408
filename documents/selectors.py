"""Reading documents for screens, downloads and the portal."""
from __future__ import annotations

from django.db.models import Q

from . import kinds
from .models import CaseFile, Document, DocumentStatus

LIST_DEFER = ("pdf", "html")


def documents_for_request(request):
    return Document.objects.filter(request=request).defer(*LIST_DEFER).select_related("agency").order_by("created_at", "id")


def documents_for_applicant(request):
    """What the applicant may see: issued, non-internal documents of their request."""
    return (Document.objects.filter(request=request, status=DocumentStatus.ISSUED)
            .exclude(kind__in=kinds.INTERNAL).defer(*LIST_DEFER).order_by("issued_at", "id"))


def _cases():
    """The case model documents belong to; its manager knows who may see a case
    (`visible_to`). Reached through the relation, so documents import no case code."""
    return Document._meta.get_field("request").related_model.objects


def case_for(pk):
    return _cases().filter(pk=pk).first()


def staff_can_see_request(user, request) -> bool:
    """A case's documents are seen by whoever may see the case (the one rule is the case
    model's `visible_to`) and holds documents.view_document."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_superuser or user.has_perm("documents.view_document")):
        return False
    return type(request)._default_manager.filter(pk=request.pk).visible_to(user).exists()


def staff_documents(user):
    """Documents the user may open, newest first."""
    qs = Document.objects.defer(*LIST_DEFER).select_related("request", "correction", "agency").order_by("-created_at", "-id")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if not (user.is_superuser or user.has_perm("documents.view_document")):
        return qs.none()
    corrections = Document._meta.get_field("correction").related_model.objects.visible_to(user)
    return qs.filter(Q(request__in=_cases().visible_to(user).values("pk")) | Q(correction__in=corrections.values("pk")))


def case_file_for(request):
    return CaseFile.objects.filter(request=request).first()
