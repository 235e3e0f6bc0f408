"""The applicant portal. Thin: forms validate, services change state, selectors read.
An applicant reaches a case only through its tracking number + access code, which
grants that one case to the browser session."""
from __future__ import annotations

import functools
import hashlib
import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from agencies.models import Agency
from audit.services import acting_without_account
from legal import receipt as receipt_rules
from legal.outcomes import label as outcome_label
from workflows import services as case_services
from workflows.models import DisclosureRequest, RequestStatus
from workflows.transitions import BEFORE_REPLY  # withdrawal is possible until the reply (one rule)

from . import security
from .forms import ApplicationForm, ItemFormSet, SupplementForm, TrackForm, WithdrawForm
from .selectors import ERR_LOOKUP, STATUS_TEXT, find_case, public_clock, public_documents, public_timeline

SESSION_KEY = "portal_cases"  # {case pk: [granted at, last seen]} (Unix seconds)
FEE_CLAIM_RECORDED = "已告知办理机关您已缴费。工作人员核实到账并登记后，恢复计算答复期限。"
ACCESS_EXPIRED = "为保护您的信息，查询已超时，请重新输入查询号和查询码。"
SIGNED_OUT = "已退出查询。在公用电脑上办理的，请关闭浏览器。"


class _AccessExpired(Exception):
    pass


def _grants(request) -> dict:
    granted = request.session.get(SESSION_KEY)
    return dict(granted) if isinstance(granted, dict) else {}


def _grant(request, case: DisclosureRequest) -> None:
    granted = _grants(request)
    now = int(time.time())
    granted[str(case.pk)] = [now, now]
    request.session[SESSION_KEY] = granted


def _case_for(request, tracking_number: str) -> DisclosureRequest:
    """The case, if this browser session was granted it and the grant is still fresh
    (PORTAL_CASE_IDLE_TIMEOUT since the last page of it, PORTAL_CASE_MAX_AGE since the
    look-up); 404 for a case never granted (no probing)."""
    case = DisclosureRequest.objects.select_related("agency", "clock").filter(tracking_number=tracking_number).first()
    granted = _grants(request)
    grant = granted.get(str(case.pk)) if case is not None else None
    if grant is None:
        raise Http404
    now = int(time.time())
    granted_at, seen_at = grant
    if now - seen_at > settings.PORTAL_CASE_IDLE_TIMEOUT or now - granted_at > settings.PORTAL_CASE_MAX_AGE:
        del granted[str(case.pk)]
        request.session[SESSION_KEY] = granted
        raise _AccessExpired
    if now - seen_at >= 60:  # the session is written at most once a minute
        granted[str(case.pk)] = [granted_at, now]
        request.session[SESSION_KEY] = granted
    return case


def _case_page(view):
    """A page of one case: an expired access goes back to the look-up with a word why."""
    @functools.wraps(view)
    def wrapper(request, tracking_number, *args, **kwargs):
        try:
            return view(request, tracking_number, *args, **kwargs)
        except _AccessExpired:
            messages.info(request, ACCESS_EXPIRED)
            return redirect("portal:track")
    return wrapper


@require_POST
def sign_out(request):
    """Ends the applicant's access to every case in this browser (a staff log-in in the
    same browser is left alone)."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop("portal_new_code", None)
    if not request.user.is_authenticated:
        request.session.flush()
    messages.success(request, SIGNED_OUT)
    return redirect("portal:home")


def _as_applicant(request, *, name: str, tracking_number: str = ""):
    """The applicant is the actor of what they do on the portal: the audit record names
    them, with the tracking number, this browser's portal session (a digest, not the
    key) and the client address."""
    if not request.session.session_key:
        request.session.save()
    detail = {
        "via": "网上门户",
        "portal_session": hashlib.sha256(request.session.session_key.encode()).hexdigest()[:16],
        "address": security.client_key(request),
    }
    if tracking_number:
        detail["tracking_number"] = tracking_number
    label = f"申请人 {case_services.plain_name(name)}" + (f"（{tracking_number}）" if tracking_number else "")
    return acting_without_account(label=label[:150], detail=detail)


def home(request):
    return render(request, "portal/home.html", {"agencies": Agency.objects.filter(is_active=True)})


def large_type(request):
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    on = request.COOKIES.get("large_type") != "1"
    response.set_cookie("large_type", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


def apply(request):
    if request.method != "POST":
        return render(request, "portal/apply.html", {"form": ApplicationForm(), "items": ItemFormSet(prefix="items")})
    form = ApplicationForm(request.POST, request.FILES)
    items = ItemFormSet(request.POST, prefix="items")
    if security.rate_limited(request, "submit", security.SUBMIT_RATE):
        form.add_error(None, security.ERR_RATE_LIMITED)
    # `&`, not `and`: validate both, show every error at once. The CAPTCHA is a field of the
    # form: any answer, right or wrong, uses it up, and the page draws a new one.
    elif form.is_valid() & items.is_valid():
        data = form.cleaned_data
        try:
            with _as_applicant(request, name=data["applicant_name"]):
                case, code = case_services.request_submit(
                    actor=request.user if request.user.is_authenticated else None,
                    agency=data["agency"], applicant_type=data["applicant_type"],
                    applicant_name=data["applicant_name"], id_type=data["id_type"], id_number=data["id_number"],
                    phone=data["phone"], channel=receipt_rules.ONLINE, form_wanted=data["form_wanted"],
                    delivery_wanted=data["delivery_wanted"], description=data["description"],
                    items=[{"title": f.cleaned_data.get("title") or f.cleaned_data.get("document_number")
                            or f.cleaned_data.get("description")[:300],
                            "document_number": f.cleaned_data.get("document_number", ""),
                            "description": f.cleaned_data.get("description", "")}
                           for f in items.forms if f.has_changed() and f.cleaned_data],
                    email=data["email"], address=data["address"], postcode=data["postcode"],
                    legal_representative=data["legal_representative"], contact_person=data["contact_person"],
                    attachments=data["attachments"],
                )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            _grant(request, case)
            request.session["portal_new_code"] = {case.tracking_number: code}
            return redirect("portal:submitted", case.tracking_number)
    return render(request, "portal/apply.html", {"form": form, "items": items})


@_case_page
def submitted(request, tracking_number):
    case = _case_for(request, tracking_number)
    codes = request.session.pop("portal_new_code", {})
    if tracking_number not in codes:
        return redirect("portal:case", tracking_number)
    return render(request, "portal/submitted.html", {"case": case, "access_code": codes[tracking_number]})


def track(request):
    form, error = TrackForm(request.POST or None), None
    if request.method == "POST":
        if security.rate_limited(request, "lookup", security.LOOKUP_RATE):
            error = security.ERR_RATE_LIMITED
        elif form.is_valid():
            case = find_case(form.cleaned_data["tracking_number"], form.cleaned_data["access_code"])
            if case is not None:
                _grant(request, case)
                return redirect("portal:case", case.tracking_number)
            error = ERR_LOOKUP
        else:
            error = ERR_LOOKUP
    return render(request, "portal/track.html", {"form": form, "error": error})


REPLY_ISSUED = (RequestStatus.ISSUED, RequestStatus.DELIVERED, RequestStatus.ARCHIVED)


@_case_page
def case_detail(request, tracking_number, *, supplement_form=None, withdraw_form=None):
    case = _case_for(request, tracking_number)
    return render(request, "portal/case.html", {
        "case": case,
        "status_text": STATUS_TEXT.get(case.status, case.get_status_display()),
        "clock": public_clock(case),
        "timeline": public_timeline(case),
        "documents": public_documents(case),
        "disclosed_files": list(case.disclosed_files.all()) if case.status in REPLY_ISSUED else [],
        "can_supplement": case.status == RequestStatus.AWAITING_SUPPLEMENT,
        "supplement": getattr(case, "supplement", None) if case.status == RequestStatus.AWAITING_SUPPLEMENT else None,
        "outcomes": [(item, outcome_label(item.outcome)) for item in case.items.order_by("position")]
        if case.status in REPLY_ISSUED else [],
        "can_pay": case.status == RequestStatus.AWAITING_FEE,
        "fee_claimed": case.status == RequestStatus.AWAITING_FEE and case.fee_notices.filter(
            payment_claimed_at__isnull=False, paid_on__isnull=True).exists(),
        "can_withdraw": case.status in BEFORE_REPLY,
        "supplement_provisional": case.status == RequestStatus.AWAITING_SUPPLEMENT and case.period_provisional("supplement"),
        "fee_provisional": case.status == RequestStatus.AWAITING_FEE and case.period_provisional("fee"),
        "supplement_form": supplement_form or SupplementForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
    })


def _act(request, tracking_number, action, success: str, form=None, form_name: str | None = None, *, case=None):
    try:
        with _as_applicant(request, name=case.applicant_name, tracking_number=case.tracking_number):
            action()
    except (ValidationError, PermissionDenied) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if form is not None:
            form.add_error(None, message)
            return case_detail(request, tracking_number, **{form_name: form})
        messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("portal:case", tracking_number)


@require_POST
@_case_page
def supplement(request, tracking_number):
    case = _case_for(request, tracking_number)
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return case_detail(request, tracking_number, supplement_form=form)
    return _act(request, tracking_number,
                lambda: case_services.request_supplement_receive(
                    actor=None, case=case, note=form.cleaned_data["text"], attachments=form.cleaned_data["attachments"]),
                "补正材料已提交，答复期限自今日起重新计算。", form, "supplement_form", case=case)


@require_POST
@_case_page
def fee(request, tracking_number):
    case = _case_for(request, tracking_number)
    if request.POST.get("decision") == "paid":
        return _act(request, tracking_number, lambda: case_services.request_fee_payment_claim(actor=None, case=case),
                    FEE_CLAIM_RECORDED, case=case)
    if request.POST.get("decision") == "declined":
        return _act(request, tracking_number, lambda: case_services.request_fee_decline(actor=None, case=case),
                    "您已放弃缴费，本申请不再处理。", case=case)
    raise Http404


@require_POST
@_case_page
def withdraw(request, tracking_number):
    case = _case_for(request, tracking_number)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return case_detail(request, tracking_number, withdraw_form=form)
    return _act(request, tracking_number,
                lambda: case_services.request_withdraw(actor=None, case=case,
                                                       reason=form.cleaned_data["reason"] or "申请人在网上撤回申请"),
                "申请已撤回。", form, "withdraw_form", case=case)


@_case_page
def document(request, tracking_number, pk):
    case = _case_for(request, tracking_number)
    doc = next((d for d in public_documents(case) if d.pk == int(pk)), None)
    if doc is None or not doc.sha256:
        raise Http404
    from documents.models import Document

    data = Document.objects.values_list("pdf", flat=True).get(pk=doc.pk)
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.number + '.pdf')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_case_page
def disclosed_file(request, tracking_number, pk):
    """A file of the information disclosed, once the reply that lists it has been issued."""
    from django.http import FileResponse

    case = _case_for(request, tracking_number)
    if case.status not in REPLY_ISSUED:
        raise Http404
    f = case.disclosed_files.filter(pk=pk).first()
    if f is None:
        raise Http404
    response = FileResponse(f.file.open("rb"), as_attachment=True, filename=f.original_name,
                            content_type=f.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
