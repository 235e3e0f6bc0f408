"""Staff pages of proactive disclosure (viewflow Material frontend) — thin: every write
goes through reviews.services or reviews.flows."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from agencies.selectors import user_agency
from legal.selectors import clock_state, local_today

from . import catalogue as cat
from . import checks, flows, services
from .forms import (
    AttachmentForm,
    CatalogueImportForm,
    DeidentifyForm,
    JustifyForm,
    PublicationForm,
    SensitiveWordForm,
    WithdrawForm,
)
from .models import Attachment, CatalogueItem, Finding, Publication, SensitiveWord
from .selectors import catalogue_export, publications_for

NS = "publication:publications"


def detail_url(pub) -> str:
    return reverse(f"{NS}:detail", args=[pub.pk])


def _agency_or_404(user):
    agency = user_agency(user)
    if agency is None:
        raise PermissionDenied
    return agency


def _messages_from(request, exc: ValidationError):
    for m in exc.messages:
        messages.error(request, m)


class PublicationListView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/publication_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = publications_for(self.request.user)
        state = self.request.GET.get("state", "")
        if state:
            qs = qs.filter(state=state)
        ctx.update(publications=qs[:200], states=Publication.STATE_CHOICES, state=state, today=local_today(),
                   can_draft=self.request.user.has_perm("reviews.add_publication"))
        return ctx


class PublicationCreateView(LoginRequiredMixin, FormView):
    template_name = "reviews/publication_form.html"
    form_class = PublicationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("reviews.add_publication"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def interprets(self):
        pk = self.request.GET.get("interprets")
        if not pk:
            return None
        return get_object_or_404(publications_for(self.request.user), pk=pk, kind=Publication.POLICY)

    def kind(self):
        if self.interprets():
            return Publication.INTERPRETATION
        return Publication.POLICY if self.request.GET.get("kind") == Publication.POLICY else Publication.DOCUMENT

    def get_form_kwargs(self):
        kw = super().get_form_kwargs()
        agency = _agency_or_404(self.request.user)
        kw.update(agency=agency, kind=self.kind(), departments=services.drafter_departments(self.request.user, agency))
        return kw

    def get_initial(self):
        profile = self.request.user.staff_profile
        policy = self.interprets()
        initial = {"created_on": local_today(), "department": policy.department if policy else profile.department}
        if policy:
            initial.update(title=f"《{policy.title}》政策解读", catalogue_item=policy.catalogue_item)
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(kind=self.kind(), policy=self.interprets(), kind_label=dict(Publication.KIND_CHOICES)[self.kind()])
        return ctx

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        policy = self.interprets()
        if policy:
            data["department"] = policy.department
        department = data.pop("department")
        try:
            pub = services.publication_create(actor=self.request.user, department=department, kind=self.kind(),
                                              interprets=policy, **data)
        except PermissionDenied as exc:  # shown on the form, with everything typed kept
            form.add_error(None, str(exc) or services.ERR_NOT_ALLOWED)
            return self.form_invalid(form)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
            return self.form_invalid(form)
        messages.success(self.request, "已保存草稿。")
        return redirect(detail_url(pub))


class PublicationUpdateView(LoginRequiredMixin, FormView):
    template_name = "reviews/publication_form.html"
    form_class = PublicationForm

    def get_object(self):
        return get_object_or_404(publications_for(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        pub = self.get_object()
        kw = super().get_form_kwargs()
        kw.update(agency=pub.agency, kind=pub.kind, instance=pub,
                  departments=services.drafter_departments(self.request.user, pub.agency))
        return kw

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pub = self.get_object()
        ctx.update(publication=pub, kind=pub.kind, policy=pub.interprets, kind_label=pub.get_kind_display())
        return ctx

    def form_valid(self, form):
        pub = self.get_object()
        data = dict(form.cleaned_data)
        if pub.kind == Publication.INTERPRETATION:
            data.pop("department", None)
        try:
            services.publication_update(actor=self.request.user, publication=pub, **data)
        except PermissionDenied as exc:  # shown on the form, with everything typed kept
            form.add_error(None, str(exc) or services.ERR_NOT_ALLOWED)
            return self.form_invalid(form)
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
            return self.form_invalid(form)
        messages.success(self.request, "已保存修改。")
        return redirect(self.request.GET.get("next") or detail_url(pub))


class PublicationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/publication_detail.html"

    def get_object(self):
        return get_object_or_404(publications_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pub = self.get_object()
        user = self.request.user
        last_run = pub.findings.order_by("-run").values_list("run", flat=True).first()
        process = pub.package[0].processes.order_by("-created").first()
        deid = checks.deidentify(pub.body) if self.request.GET.get("deidentify") else None
        ctx.update(
            p=pub, findings=pub.findings.filter(run=last_run or 0), checked=pub.checked_at is not None,
            last_checked=pub.checked_at, records=pub.review_records.select_related("actor"),
            attachments=pub.attachments.all(), process=process, deid=deid,
            editable=pub.state in (Publication.DRAFT, Publication.RETURNED, Publication.CHECKING)
            and user.has_perm("reviews.change_publication"),
            can_submit=pub.state == Publication.DRAFT and pub.kind != Publication.INTERPRETATION
            and user.has_perm("reviews.change_publication"),
            can_interpret=pub.kind == Publication.POLICY and not hasattr(pub, "interpretation")
            and pub.state in (Publication.DRAFT, Publication.RETURNED) and user.has_perm("reviews.add_publication"),
            can_publish=pub.state == Publication.SCHEDULED and user.has_perm("reviews.publish_publication"),
            can_withdraw=pub.state == Publication.PUBLISHED and user.has_perm("reviews.withdraw_publication"),
            can_repeal=pub.state == Publication.PUBLISHED and pub.legal_form and pub.repealed_on is None
            and user.has_perm("reviews.withdraw_publication"),
            attachment_form=AttachmentForm(), justify_form=JustifyForm(), withdraw_form=WithdrawForm(),
            clock_state=pub.clock and clock_state(pub.clock),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        pub = self.get_object()
        action = request.POST.get("action")
        user = request.user
        back = request.POST.get("next") or detail_url(pub)
        try:
            if action == "submit":
                flows.publication_start_review(actor=user, publication=pub)
                messages.success(request, "已提交审核，系统已完成自动检查。")
            elif action == "run_checks":
                n = services.publication_run_checks(actor=user, publication=pub)
                messages.success(request, f"检查完成：{n} 项待处理。" if n else "检查完成：没有待处理的发现。")
            elif action == "justify":
                finding = get_object_or_404(Finding, pk=request.POST.get("finding"), publication=pub)
                services.finding_justify(actor=user, finding=finding, justification=request.POST.get("justification", ""))
                messages.success(request, "已记录保留理由。")
            elif action == "attach":
                form = AttachmentForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError("请选择要上传的文件。")
                services.attachment_add(actor=user, publication=pub, file=form.cleaned_data["file"],
                                        name=form.cleaned_data["file"].name, role=form.cleaned_data["role"])
                messages.success(request, "已上传附件。")
            elif action == "delete_attachment":
                att = get_object_or_404(Attachment, pk=request.POST.get("attachment"), publication=pub)
                services.attachment_delete(actor=user, attachment=att)
            elif action == "deidentify":
                result = services.publication_apply_deidentification(actor=user, publication=pub)
                messages.success(request, f"已去标识化 {len(result.replacements)} 处。")
            elif action == "publish":
                flows.publication_publish_now(actor=user, publication=pub)
                messages.success(request, "已发布。")
            elif action == "repeal":
                import datetime as dt

                try:
                    on = dt.date.fromisoformat(request.POST.get("repealed_on", ""))
                except ValueError:
                    on = None
                services.publication_repeal(actor=user, publication=pub, on=on, reason=request.POST.get("reason", ""))
                messages.success(request, "已登记废止；该文件仍保留在公开专栏，标明已废止。")
            elif action == "withdraw":
                services.publication_withdraw(actor=user, publication=pub, reason=request.POST.get("reason", ""))
                messages.success(request, "已撤回；该信息仍保留在记录中。")
            else:
                raise Http404
        except ValidationError as exc:
            _messages_from(request, exc)
        return redirect(back)


class CatalogueView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/catalogue.html"

    def get(self, request, *args, **kwargs):
        agency = _agency_or_404(request.user)
        if request.GET.get("export") == "xlsx":
            resp = HttpResponse(catalogue_export(agency),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp["Content-Disposition"] = "attachment; filename*=UTF-8''catalogue.xlsx"
            return resp
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agency = _agency_or_404(self.request.user)
        domain = self.request.GET.get("domain", "")
        items = CatalogueItem.objects.filter(agency=agency)
        counts = {d: 0 for d in cat.DOMAINS}
        for d in items.values_list("domain", flat=True):
            counts[d] = counts.get(d, 0) + 1
        ctx.update(agency=agency, domains=counts.items(), domain=domain,
                   items=items.filter(domain=domain) if domain else items, import_form=CatalogueImportForm(),
                   can_manage=self.request.user.has_perm("reviews.manage_catalogue"))
        return ctx

    def post(self, request, *args, **kwargs):
        agency = _agency_or_404(request.user)
        try:
            if request.POST.get("action") == "seed":
                n = services.catalogue_seed(actor=request.user, agency=agency)
                messages.success(request, f"已载入26个试点领域标准目录（新增 {n} 项）。")
            else:
                form = CatalogueImportForm(request.POST, request.FILES)
                if not form.is_valid():
                    raise ValidationError("请选择 .xlsx 文件。")
                n = services.catalogue_import(actor=request.user, agency=agency, data=form.cleaned_data["file"].read())
                messages.success(request, f"已导入，新增或更新 {n} 项。")
        except ValidationError as exc:
            _messages_from(request, exc)
        return redirect(request.path)


class SensitiveWordsView(LoginRequiredMixin, TemplateView):
    template_name = "reviews/sensitive_words.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        agency = _agency_or_404(self.request.user)
        ctx.update(words=SensitiveWord.objects.filter(agency=agency), form=SensitiveWordForm(),
                   can_manage=self.request.user.has_perm("reviews.manage_catalogue"))
        return ctx

    def post(self, request, *args, **kwargs):
        agency = _agency_or_404(request.user)
        try:
            if request.POST.get("action") == "delete":
                word = get_object_or_404(SensitiveWord, pk=request.POST.get("word_id"), agency=agency)
                services.sensitive_word_delete(actor=request.user, word=word)
            else:
                services.sensitive_word_add(actor=request.user, agency=agency, word=request.POST.get("word", ""),
                                            note=request.POST.get("note", ""))
        except ValidationError as exc:
            _messages_from(request, exc)
        return redirect(request.path)


class DeidentifyView(LoginRequiredMixin, FormView):
    template_name = "reviews/deidentify.html"
    form_class = DeidentifyForm

    def form_valid(self, form):
        result = checks.deidentify(form.cleaned_data["text"], names=form.name_list())
        return self.render_to_response(self.get_context_data(form=form, result=result))
