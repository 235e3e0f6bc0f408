"""The staff pages of an application: the case list and the case page, the paper
intake, and the page of each human step of `DisclosureRequestFlow`. Thin: a form, then
one service call (which completes the task). Validation errors of the service are
shown on the form; nothing is written when they occur."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from agencies.selectors import user_agency
from audit.labels import action_label
from audit.models import AuditEvent
from audit.services import READ_ACTIONS, VIEWED_DOCUMENT, audit_access
from documents import kinds
from documents.content import compose
from documents.models import Document
from documents.previews import draft_pdf, draft_png
from legal import receipt as receipt_rules
from legal.selectors import clock_badge, clock_state, get_calendar, local_today

from . import services as svc
from .downloads import stored_file_download
from .forms import (
    ApproveForm,
    ArchiveForm,
    ClosureSignOffForm,
    CompletenessForm,
    ConfidentialityForm,
    CorrectionAnswerForm,
    CorrectionDecideForm,
    CorrectionForm,
    DecisionForm,
    DeliveryForm,
    DraftReplyForm,
    FeePaidForm,
    HandleForm,
    IntakeForm,
    NoticeReceiptForm,
    OpinionForm,
    OtherAgencyAnswerForm,
    ReassignForm,
    RegisterForm,
    SignOffForm,
    SupplementReceivedForm,
    ThirdPartyOpinionForm,
    VolumeDecideForm,
)
from .models import (
    OPEN_STATUSES,
    CorrectionRequest,
    DisclosureRequest,
    FeeNotice,
    OtherAgencyConsultation,
    RequestStatus,
    Supplement,
    ThirdPartyConsultation,
)
from .selectors import case_tasks, cases_visible_to, opinions_before_sign_off
from .services import correction as correction_services
from .services import (
    request_accept,
    request_archive,
    request_confidentiality_clear,
    request_confidentiality_return,
    request_consultation_decide,
    request_consultation_opinion,
    request_delivery_record,
    request_extension_decide,
    request_fee_paid,
    request_reassign,
    request_register,
    request_reply_draft,
    request_sign_off,
    request_submit,
    request_supplement_notice,
    request_supplement_receive,
    request_task_claim,
    request_third_party_opinion,
)
from .services.receipts import outstanding_receipts, request_notice_receipt
from .story import case_story


def case_context(case: DisclosureRequest, user) -> dict:
    state = clock_state(case.clock) if case.clock_id else None
    return {
        "case": case,
        "items": list(case.items.all()),
        "clock": state,
        "notes": list(case.notes.select_related("author")),
        "case_documents": list(case.documents.defer("pdf", "html").order_by("created_at", "id")),
    }


class CaseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = cases_visible_to(self.request.user).filter(pk=kwargs["pk"]).first()
        if case is None:
            raise Http404("没有找到该申请")
        audit_access(actor=self.request.user, obj=case, what="案件页面")
        ctx.update(case_context(case, self.request.user))
        ctx["tasks"] = case_tasks(case, self.request.user)
        ctx["events"] = case_story(case)
        ctx["third_party"] = list(case.third_party_consultations.all())
        ctx["consultations"] = list(case.consultations.prefetch_related("opinions__participant"))
        ctx["extensions"] = list(case.extensions.all())
        ctx["notices"] = notice_rows(case)
        ctx["disclosed_files"] = list(case.disclosed_files.select_related("item", "uploaded_by"))
        ctx["applicant_files"] = list(case.attachments.all())
        ctx["receipt_form"] = NoticeReceiptForm(initial={"received_on": local_today()})
        ctx["can_reassign"] = may_reassign(self.request.user, case)
        ctx["remedies"] = remedy_rows(case, self.request.user)
        ctx["can_add_remedy"] = self.request.user.has_perm("workflows.manage_remedy")
        ctx.update(case_file_state(case, self.request.user))
        return ctx


CASE_FILE_PATIENCE = dt.timedelta(minutes=10)  # building takes seconds; after this it is taken as failed


def case_file_state(case: DisclosureRequest, user) -> dict:
    """The case file (卷宗) as the case page shows it: linked for those who may open the
    case's documents, 正在生成 while the build after archiving runs."""
    from documents.selectors import case_file_for, staff_can_see_request

    case_file = case_file_for(case)
    pending = (case_file is None and case.status == RequestStatus.ARCHIVED
               and timezone.now() - case.updated_at < CASE_FILE_PATIENCE)
    return {"case_file": case_file, "case_file_pending": pending,
            "may_open_case_file": staff_can_see_request(user, case)}


class CaseFileStatusView(LoginRequiredMixin, View):
    """Whether the case file is built yet, for the case page's progress line (polled)."""

    def get(self, request, pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        if case is None:
            raise Http404("没有找到该申请")
        state = case_file_state(case, request.user)
        ready = state["case_file"] is not None
        return JsonResponse({"ready": ready, "pending": state["case_file_pending"],
                             "label": "卷宗已生成" if ready else "正在生成卷宗…" if state["case_file_pending"] else "卷宗尚未生成"})


def remedy_rows(case, user) -> list:
    """The case's reconsiderations and lawsuits the user may see, with their deadlines."""
    from .remedy_views import with_badges
    from .selectors import remedies_visible_to

    return with_badges(remedies_visible_to(user).filter(case=case).select_related("case").order_by("received_on", "pk"))


def may_reassign(user, case: DisclosureRequest) -> bool:
    """Whether to offer 改派 (the service decides; this only hides a link that would refuse)."""
    return case.status in OPEN_STATUSES and case.handler_id is not None and (
        user.pk == case.handler_id or user.has_perm("workflows.approve_request")
        or user.has_perm("workflows.register_request"))


class ReassignView(LoginRequiredMixin, TemplateView):
    """改派承办人: the case goes to another handler, with a reason (`request_reassign`,
    audited). Releasing a task is done this way, never by viewflow's unassign."""

    template_name = "workflows/step.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = cases_visible_to(request.user).filter(pk=kwargs["pk"]).first()
            if self.case is None:
                raise Http404("没有找到该申请")
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        return ReassignForm(self.request.POST or None, case=self.case, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case_context(self.case, self.request.user))
        ctx.setdefault("form", self.get_form())
        ctx["step_title"] = "改派承办人"
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                request_reassign(actor=request.user, case=self.case, to_user=form.cleaned_data["to_user"],
                                 reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "您没有改派该申请的权限。")
            else:
                messages.success(request, f"已改派给{form.cleaned_data['to_user'].get_full_name()}。")
                return HttpResponseRedirect(reverse("workflow:case_detail", args=[self.case.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class IntakeView(LoginRequiredMixin, TemplateView):
    """登记人员代为录入纸质（当面、邮寄、信函、传真、电子邮件）申请."""

    template_name = "workflows/step.html"

    def get_form(self):
        # 提交时间 defaults to now, Beijing time, to the minute (the counter can change it)
        now = timezone.localtime().replace(second=0, microsecond=0)
        return IntakeForm(self.request.POST or None, initial={"submitted_at": now, "channel": "in_person"})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", self.get_form())
        ctx["step_title"] = "录入申请"
        ctx["case"] = None
        return ctx

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            data = dict(form.cleaned_data)
            items = [{"title": t.strip()} for t in data.pop("items").splitlines() if t.strip()]
            try:
                case, code = request_submit(actor=request.user, agency=user_agency(request.user), items=items, **data)
            except ValidationError as exc:
                for m in exc.messages:
                    form.add_error(None, m)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                # the access code goes to the receipt page once, never into a message
                request.session[INTAKE_CODES] = {**request.session.get(INTAKE_CODES, {}), str(case.pk): code}
                return HttpResponseRedirect(reverse("workflow:case_intake_receipt", args=[case.pk]))
        return self.render_to_response(self.get_context_data(form=form))


INTAKE_CODES = "intake_access_codes"


class IntakeReceiptView(LoginRequiredMixin, TemplateView):
    """The counter's 回执 right after intake: the 查询号 and the 查询码 (shown on this page
    once; only its hash is kept), printable on A4 or an 80 mm receipt printer."""

    template_name = "workflows/intake_receipt.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = cases_visible_to(self.request.user).filter(pk=kwargs["pk"]).select_related("agency").first()
        if case is None:
            raise Http404("没有找到该申请")
        codes = self.request.session.get(INTAKE_CODES, {})
        code = codes.pop(str(case.pk), None)
        if code is not None:
            self.request.session[INTAKE_CODES] = codes
        submitted = timezone.localtime(case.submitted_at)
        ctx.update(case=case, access_code=code, items=list(case.items.order_by("position", "pk")),
                   submitted=submitted, registrar=self.request.user.get_full_name() or self.request.user.get_username(),
                   printed_at=timezone.localtime(), track_url=self.request.build_absolute_uri(reverse("portal:track")),
                   tasks=case_tasks(case, self.request.user))
        return ctx


def _sent_via(data, default: str) -> dict:
    return {"sent_via": data.get("sent_via") or default}


NOTICE_MODELS = {"supplement": Supplement, "fee": FeeNotice, "third_party": ThirdPartyConsultation,
                 "other_agency": OtherAgencyConsultation}


class NoticeReceiptView(LoginRequiredMixin, View):
    """登记签收: the day the addressee signed for a notice; its period then counts from it."""

    http_method_names = ["post"]

    def post(self, request, pk, kind, notice_pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        model = NOTICE_MODELS.get(kind)
        notice = model.objects.filter(pk=notice_pk, request=case).first() if case and model else None
        if notice is None:
            raise Http404("没有找到该文书")
        form = NoticeReceiptForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的签收日期。")
            return HttpResponseRedirect(case_url(case) + "#case-receipts")
        try:
            notice = request_notice_receipt(actor=request.user, case=case, notice=notice, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            due = notice.period_due
            messages.success(request, f"已登记签收日期，期限至 {due.year}年{due.month}月{due.day}日。")
        return HttpResponseRedirect(case_url(case) + "#case-receipts")


class DisclosedFileView(LoginRequiredMixin, View):
    """A file attached to a reply, for staff who may see the case."""

    def get(self, request, pk, file_pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        f = case.disclosed_files.filter(pk=file_pk).first() if case else None
        if f is None:
            raise Http404("没有找到该文件")
        return stored_file_download(request, record=case, stored=f, what="答复附件")


class ApplicantFileView(LoginRequiredMixin, View):
    """A file the applicant sent with the application or a supplement, for staff who may
    see the case. Always a download (never shown inline), under the applicant's file name."""

    def get(self, request, pk, file_pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        f = case.attachments.filter(pk=file_pk).first() if case else None
        if f is None:
            raise Http404("没有找到该文件")
        return stored_file_download(request, record=case, stored=f, what="申请人提交的材料")


def reply_for_preview(case: DisclosureRequest) -> Document | None:
    """The reply a decider reads: the latest draft (审签); before it is drafted (保密审查),
    the reply as it would be composed from the decisions taken now, never saved."""
    draft = case.documents.filter(kind=kinds.REPLY, status="draft").order_by("-id").first()
    if draft is not None:
        return draft
    if case.outcome or case.items.exclude(outcome="").exists():
        return Document(request=case, agency=case.agency, kind=kinds.REPLY, data={"case": case.document_facts()})
    return None


class ReplyPreviewView(LoginRequiredMixin, View):
    """The draft reply as it will be printed: its PDF inline, or its pages as one PNG.
    Only for staff who may see the case; each viewing is on record like any document's."""

    fmt = "png"

    def get(self, request, pk):
        case = cases_visible_to(request.user).filter(pk=pk).first()
        document = reply_for_preview(case) if case is not None else None
        if document is None:
            raise Http404("没有可预览的答复书")
        audit_access(actor=request.user, obj=case, what=f"答复书草稿预览（{self.fmt.upper()}）", action=VIEWED_DOCUMENT)
        if self.fmt == "pdf":
            from urllib.parse import quote

            response = HttpResponse(draft_pdf(document), content_type="application/pdf")
            name = f"答复书草稿-{case.registration_number or case.tracking_number}.pdf"
            response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
        else:
            response = HttpResponse(draft_png(document), content_type="image/png")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def notice_rows(case) -> list[dict]:
    """Every notice of the case whose period runs from its receipt, for the case page."""
    rows, outstanding = [], outstanding_receipts(case)
    for kind, label, notices in (
        ("supplement", "补正告知书", Supplement.objects.filter(request=case)),
        ("fee", "收费通知书", case.fee_notices.all()),
        ("third_party", "征求第三方意见书", case.third_party_consultations.all()),
        ("other_agency", "征求其他机关意见函", case.other_agency_consultations.all()),
    ):
        for notice in notices:
            addressee = getattr(notice, "third_party", "") or getattr(notice, "other_agency", "") or case.applicant_name
            rows.append({"kind": kind, "label": label, "notice": notice, "addressee": addressee,
                         "open": notice in outstanding})
    return rows


def case_url(case) -> str:
    return reverse("workflow:case_detail", args=[case.pk])


class StepView(FormView):
    template_name = "workflows/step.html"
    title = ""

    @property
    def case(self):
        return self.request.activation.process.case

    @property
    def task(self):
        return self.request.activation.task

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["case"] = self.case
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case_context(self.case, self.request.user))
        ctx.update(activation=self.request.activation, step_title=self.title or str(self.task.flow_task),
                   process=self.request.activation.process, task=self.task)
        return ctx

    def form_valid(self, form):
        try:
            self.perform(form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, getattr(self, "done_message", "") or
                         f"已办理：{self.title or self.task.flow_task.task_title}", fail_silently=True)
        return HttpResponseRedirect(case_url(self.case))

    def perform(self, data):  # pragma: no cover - every step overrides
        raise NotImplementedError


class RegisterStep(StepView):
    form_class = RegisterForm
    title = "登记"

    def perform(self, data):
        request_register(actor=self.request.user, case=self.case, task=self.task, **data)


class CompletenessStep(StepView):
    form_class = CompletenessForm
    title = "审查申请内容"

    def perform(self, data):
        if data["decision"] == "complete":
            request_accept(actor=self.request.user, case=self.case, department=data["department"],
                           handler=data.get("handler"), task=self.task)
        else:
            request_supplement_notice(actor=self.request.user, case=self.case, what=data.get("what") or "",
                                      days=data.get("days") or 15, sent_via=data.get("sent_via") or "", task=self.task)


class SupplementReceivedStep(StepView):
    form_class = SupplementReceivedForm
    title = "登记补正材料"

    def perform(self, data):
        request_supplement_receive(actor=self.request.user, case=self.case, task=self.task, **data)


class HandleStep(StepView):
    form_class = HandleForm
    title = "承办"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["similar_cases"] = ctx["form"].similar
        return ctx

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def perform(self, data):
        actor, case, task = self.request.user, self.case, self.task
        action = data["action"]
        if action == "determine":
            svc.request_determine(actor=actor, case=case, decisions=self._form.decisions(),
                                  repeat_of=data.get("repeat_of"), task=task)
        elif action == "volume":
            svc.request_volume_reasons_ask(actor=actor, case=case, question=data.get("volume_question") or "",
                                           task=task)
        elif action == "other_agency":
            svc.request_other_agency_consult(actor=actor, case=case, other_agency=data.get("other_agency") or "",
                                             matter=data.get("matter") or "", task=task,
                                             **_sent_via(data, receipt_rules.BY_HAND))
        elif action == "third_party":
            svc.request_third_party_consult(actor=actor, case=case, third_party=data.get("third_party") or "",
                                            matter=data.get("matter") or "", address=data.get("third_party_address") or "",
                                            task=task, **_sent_via(data, receipt_rules.BY_POST))
        elif action == "consult":
            svc.request_consultation_convene(actor=actor, case=case, participants=list(data.get("participants") or []),
                                             question=data.get("question") or "", task=task)
        elif action == "extension":
            svc.request_extension_ask(actor=actor, case=case, days=data.get("days") or 0, reason=data.get("reason") or "",
                                      task=task)
        elif action == "fee":
            svc.request_fee_notice(actor=actor, case=case, amount=data.get("amount"), basis=data.get("basis") or "",
                                   method=data.get("fee_method") or "", quantity=data.get("fee_quantity"), task=task,
                                   sent_via=data.get("sent_via") or "")


class VolumeDecideStep(StepView):
    form_class = VolumeDecideForm
    title = "认定申请人说明的理由"

    def perform(self, data):
        svc.request_volume_decide(actor=self.request.user, case=self.case, task=self.task, **data)


class OtherAgencyOpinionStep(StepView):
    form_class = OtherAgencyAnswerForm
    title = "记录其他机关意见"

    def perform(self, data):
        svc.request_other_agency_answer(actor=self.request.user, case=self.case, task=self.task, **data)


class ThirdPartyOpinionStep(StepView):
    form_class = ThirdPartyOpinionForm
    title = "记录第三方意见"

    def perform(self, data):
        request_third_party_opinion(actor=self.request.user, case=self.case, task=self.task, **data)


class ConsultationOpinionStep(StepView):
    form_class = OpinionForm
    title = "出具会商意见"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["consultation"] = self.case.consultations.order_by("-id").prefetch_related("opinions__participant").first()
        return ctx

    def perform(self, data):
        request_consultation_opinion(actor=self.request.user, case=self.case, opinion=data["opinion"], task=self.task)


class ConsultationDecideStep(StepView):
    form_class = DecisionForm
    title = "记录会商结论"

    def perform(self, data):
        request_consultation_decide(actor=self.request.user, case=self.case, decision=data["decision"],
                                    place=data.get("place") or "", task=self.task)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["consultation"] = self.case.consultations.order_by("-id").prefetch_related("opinions__participant").first()
        return ctx


class ExtensionDecideStep(StepView):
    form_class = ApproveForm
    title = "审批延期"

    def get_context_data(self, **kwargs):
        """What is approved: the days asked for, the reason, who asked, and the deadline
        now and after the extension (Art. 33(2))."""
        ctx = super().get_context_data(**kwargs)
        ext = self.case.extensions.filter(approved__isnull=True).order_by("-id").first()
        if ext is not None and ctx.get("clock"):
            ctx["extension"] = ext
            ctx["extension_new_due"] = get_calendar().add_workdays(ctx["clock"].due_date, ext.days)
        return ctx

    def perform(self, data):
        request_extension_decide(actor=self.request.user, case=self.case, approve=data["approve"],
                                 comment=data.get("comment") or "", task=self.task)


class FeePaidStep(StepView):
    form_class = FeePaidForm
    title = "登记缴费"

    def get_context_data(self, **kwargs):
        """The notice being paid, and whether the applicant has said they paid (a claim to check)."""
        ctx = super().get_context_data(**kwargs)
        ctx["fee_notice"] = self.case.fee_notices.order_by("-id").first()
        return ctx

    def perform(self, data):
        request_fee_paid(actor=self.request.user, case=self.case, paid_on=data["paid_on"], task=self.task)


class ConfidentialityStep(StepView):
    form_class = ConfidentialityForm
    title = "保密审查"

    def get_context_data(self, **kwargs):
        """The reviewer reads what would go out: the reply composed from the decisions
        (as printed), beside the items, outcomes and reasons of the summary."""
        ctx = super().get_context_data(**kwargs)
        ctx["reply_preview"] = compose(kinds.REPLY, {"case": self.case.document_facts()}, self.case.agency)
        ctx["preview_heading"] = "答复书（按逐项处理决定生成，尚未拟稿）"
        ctx["reply_image"] = True
        ctx["disclosed_files"] = list(self.case.disclosed_files.select_related("item"))
        ctx["opinions"] = opinions_before_sign_off(self.case)
        return ctx

    def perform(self, data):
        if data["decision"] == "clear":
            request_confidentiality_clear(actor=self.request.user, case=self.case, note=data.get("reasons") or "",
                                          task=self.task)
        else:
            request_confidentiality_return(actor=self.request.user, case=self.case, reasons=data.get("reasons") or "",
                                           task=self.task)


class DraftReplyStep(StepView):
    form_class = DraftReplyForm
    title = "拟写答复"

    def form_valid(self, form):
        self._form = form
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        """The reply's body is in the editor (DraftReplyForm); the return comments, if any,
        are among the opinions."""
        ctx = super().get_context_data(**kwargs)
        ctx["opinions"] = [o for o in opinions_before_sign_off(self.case) if o["role"] == "负责人退回意见"]
        return ctx

    def perform(self, data):
        request_reply_draft(actor=self.request.user, case=self.case, **self._form.reply_text(), task=self.task,
                            attachments=self._form.attachments(), remove=[f.pk for f in data.get("remove") or []],
                            provided_form=data.get("provided_form") or "",
                            provided_form_reason=data.get("provided_form_reason") or "")


class SignOffStep(StepView):
    form_class = SignOffForm
    title = "审签"

    def get_context_data(self, **kwargs):
        """The person in charge reads what they sign: the reply as it will be issued, its
        attachments, and the review opinions (in the case summary's notes)."""
        ctx = super().get_context_data(**kwargs)
        draft = self.case.documents.filter(kind=kinds.REPLY, status="draft").order_by("-id").first()
        if draft is not None:
            ctx["reply_preview"] = compose(draft.kind, draft.data, self.case.agency)
            ctx["preview_heading"] = "答复书（将要签发的文本）"
            ctx["reply_image"] = True
        ctx["disclosed_files"] = list(self.case.disclosed_files.select_related("item"))
        ctx["opinions"] = opinions_before_sign_off(self.case)
        return ctx

    def perform(self, data):
        request_sign_off(actor=self.request.user, case=self.case, approve=data["approve"],
                         comments=data.get("comments") or "", task=self.task)


class DeliveryStep(StepView):
    form_class = DeliveryForm
    title = "送达"

    def perform(self, data):
        request_delivery_record(actor=self.request.user, case=self.case, task=self.task, **data)


class ArchiveStep(StepView):
    form_class = ArchiveForm
    title = "归档"
    done_message = "已归档。卷宗正在生成，完成后可在本页下载。"

    def perform(self, data):
        request_archive(actor=self.request.user, case=self.case, task=self.task)


class ClaimTaskView(FormView):
    """认领: the viewflow assign page, through `request_task_claim` (audit, case handler)."""

    form_class = forms.Form
    template_name = "viewflow/workflow/task_assign.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(activation=self.request.activation, process=self.request.activation.process,
                   task=self.request.activation.task)
        return ctx

    def form_valid(self, form):
        activation = self.request.activation
        try:
            request_task_claim(actor=self.request.user, case=activation.process.case, task=activation.task)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages), fail_silently=True)
            return HttpResponseRedirect(case_url(activation.process.case))
        task = activation.task
        return HttpResponseRedirect(task.flow_task.reverse("execute", args=[task.process_id, task.pk]))


class ClosureSignOffStep(StepView):
    """签发终止处理告知书: the person in charge reads the notice as it will be issued."""

    form_class = ClosureSignOffForm
    title = "签发终止处理告知书"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        draft = self.case.documents.filter(kind=kinds.REPLY, status="draft").order_by("-id").first()
        if draft is not None:
            ctx["reply_preview"] = compose(draft.kind, draft.data, self.case.agency)
            ctx["preview_heading"] = "终止处理告知书（将要签发的文本）"
            ctx["reply_image"] = True
        return ctx

    def perform(self, data):
        svc.request_closure_sign_off(actor=self.request.user, case=self.case, comments=data.get("comments") or "",
                                     task=self.task)


class ClosureDeliveryStep(StepView):
    form_class = DeliveryForm
    title = "送达终止处理告知书"

    def perform(self, data):
        svc.request_closure_delivery(actor=self.request.user, case=self.case, task=self.task, **data)


# --- correction requests (Art. 41) -------------------------------------------------------

class CorrectionListView(LoginRequiredMixin, TemplateView):
    template_name = "workflows/correction_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = list(CorrectionRequest.objects.visible_to(self.request.user).select_related("clock")[:200])
        calendar, today = get_calendar(), local_today()
        for row in rows:
            row.badge = clock_badge(row.clock, calendar=calendar, today=today) if row.clock_id else None
        ctx["corrections"] = rows
        ctx["can_register"] = self.request.user.has_perm("workflows.register_request")
        return ctx


class CorrectionNewView(LoginRequiredMixin, FormView):
    template_name = "workflows/correction_form.html"
    form_class = CorrectionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            c = correction_services.correction_register(actor=self.request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            for m in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, m)
            return self.form_invalid(form)
        messages.success(self.request, f"已登记更正申请 {c.number}。")
        return HttpResponseRedirect(reverse("workflow:correction_detail", args=[c.pk]))


class CorrectionDetailView(LoginRequiredMixin, TemplateView):
    """One correction request: what is asked and the evidence; the handler's verification;
    the written answer as it will be signed; the record."""

    template_name = "workflows/correction_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.correction = CorrectionRequest.objects.visible_to(request.user).filter(pk=kwargs["pk"]).first() \
            if request.user.is_authenticated else None
        if request.user.is_authenticated and self.correction is None:
            raise Http404("没有找到该更正申请")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        c, user = self.correction, self.request.user
        audit_access(actor=user, obj=c, what="更正申请页面")
        ctx["c"] = c
        ctx["clock"] = clock_state(c.clock) if c.clock_id else None
        ctx["can_decide"] = c.status == c.RECEIVED and user.has_perm("workflows.handle_request")
        ctx["can_answer"] = c.status == c.DECIDED and user.has_perm("workflows.approve_request")
        ctx["decide_form"] = kwargs.get("decide_form") or CorrectionDecideForm()
        ctx["answer_form"] = kwargs.get("answer_form") or CorrectionAnswerForm()
        draft = c.documents.filter(kind=kinds.CORRECTION_REPLY).order_by("-id").first()
        if draft is not None:
            ctx["reply_preview"] = compose(draft.kind, draft.data, c.agency)
            ctx["reply_document"] = draft
        events = list(AuditEvent.objects.filter(object_type="workflows.correctionrequest", object_id=str(c.pk))
                      .exclude(action__in=READ_ACTIONS).order_by("id"))
        for event in events:
            event.label = action_label(event.action)
        ctx["events"] = events
        return ctx

    def post(self, request, *args, **kwargs):
        c, step = self.correction, request.POST.get("step")
        form = CorrectionDecideForm(request.POST) if step == "decide" else CorrectionAnswerForm(request.POST)
        if form.is_valid():
            try:
                if step == "decide":
                    correction_services.correction_decide(actor=request.user, correction=c, **form.cleaned_data)
                else:
                    correction_services.correction_answer(actor=request.user, correction=c)
            except (ValidationError, PermissionDenied) as exc:
                for m in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, m)
            else:
                messages.success(request, "已核实，答复书待负责人签发。" if step == "decide" else "答复书已签发。")
                return HttpResponseRedirect(reverse("workflow:correction_detail", args=[c.pk]))
        key = "decide_form" if step == "decide" else "answer_form"
        return self.render_to_response(self.get_context_data(**{key: form}))
