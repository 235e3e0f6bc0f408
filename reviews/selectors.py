"""Reads for the staff pages and the public column."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from agencies.selectors import scope_to_user

from . import catalogue as cat
from .models import CatalogueItem, Finding, Publication, PublicationProcess

PUBLIC_STATES = [Publication.PUBLISHED]


def catalogue_export(agency) -> bytes:
    rows = list(CatalogueItem.objects.filter(agency=agency).values(*[f for _, f in cat.COLUMNS]))
    order = {d: i for i, d in enumerate(cat.DOMAINS)}
    rows.sort(key=lambda r: (order.get(r["domain"], 99), r["item_level1"], r["item_level2"]))
    return cat.rows_to_xlsx(rows, title=f"{agency.short_name}标准目录")


def publications_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """The one rule of who sees a publication: own agency; drafters their own department
    only, reviewers and publishers (信息发布员, who 初审 every department's items) the
    whole agency."""
    qs = Publication.objects.all() if qs is None else qs
    reviewer = any(user.has_perm(p) for p in ("reviews.review_first", "reviews.review_second", "reviews.review_final",
                                               "reviews.publish_publication"))
    return scope_to_user(qs, user, department_field=None if reviewer else "department")


def publications_for(user) -> QuerySet:
    """The staff list (`publications_visible_to`), with what each row shows."""
    return publications_visible_to(user, Publication.objects.select_related(
        "department", "catalogue_item", "clock", "author", "agency").annotate(
        open_count=Count("findings", filter=Q(findings__status=Finding.OPEN), distinct=True)))


def publication_processes_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    """The review processes of the publications `user` may see."""
    qs = PublicationProcess.objects.all() if qs is None else qs
    return qs.filter(publication__in=publications_visible_to(user).values("pk"))


def publication_tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Restrict a viewflow Task queryset to the review tasks of publications `user` may see."""
    return tasks.filter(process__in=publication_processes_visible_to(user).values("pk"))


def public_publications(*, q: str = "", domain: str = "", agency=None) -> QuerySet:
    qs = (Publication.objects.filter(state__in=PUBLIC_STATES, attribute=Publication.PROACTIVE)
          .select_related("agency", "department", "catalogue_item").order_by("-published_at", "-id"))
    if agency is not None:
        qs = qs.filter(agency=agency)
    if domain:
        qs = qs.filter(catalogue_item__domain=domain)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q) | Q(document_number__icontains=q))
    return qs
