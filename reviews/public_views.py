"""The public disclosure column (政府信息公开专栏) at /gk/: no login."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import catalogue as cat
from .forms import PublicSearchForm
from .models import Publication
from .selectors import public_publications


def index(request):
    form = PublicSearchForm(request.GET or None)
    q = domain = ""
    if form.is_valid():
        q, domain = form.cleaned_data["q"].strip(), form.cleaned_data["domain"]
    page = Paginator(public_publications(q=q, domain=domain), 20).get_page(request.GET.get("page"))
    return render(request, "reviews/public/list.html",
                  {"form": form, "page_obj": page, "q": q, "domain": domain, "domains": cat.DOMAINS})


def detail(request, pk: int):
    p = get_object_or_404(Publication.objects.select_related("agency", "department", "catalogue_item"), pk=pk,
                          attribute=Publication.PROACTIVE)
    if p.state not in (Publication.PUBLISHED, Publication.WITHDRAWN):
        raise Http404
    interpretation = getattr(p, "interpretation", None) if p.kind == Publication.POLICY else None
    if interpretation is not None and interpretation.state != Publication.PUBLISHED:
        interpretation = None
    policy = p.interprets if p.kind == Publication.INTERPRETATION else None
    return render(request, "reviews/public/detail.html",
                  {"p": p, "interpretation": interpretation, "policy": policy, "attachments": p.attachments.all()})
