"""Staff pages: document list, draft preview with editable free text, sign/issue,
PDF and case-file downloads. Access: staff of the same agency who may see the case."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from audit.services import VIEWED_DOCUMENT, audit_access

from .casefile import case_file_build
from .models import Document, DocumentStatus
from .rendering import document_html
from .selectors import case_file_for, case_for, staff_can_see_request, staff_documents
from .services import case_document_issue, case_document_sign, case_document_update

LABELS = {"note": "补充说明", "supplement_items": "需补正的事项（每行一项）", "reason": "理由", "info": "涉及的信息",
          "payment_method": "缴费方式", "proposal": "拟处理意见", "topic": "会商事项", "opinions": "各方意见",
          "conclusion": "会商结论"}


def _document(user, pk) -> Document:
    doc = Document.objects.select_related("request", "correction", "agency").filter(pk=pk).first()
    if doc is None or not staff_can_see_request(user, doc.subject):
        raise Http404("没有找到该文书")
    return doc


def _pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(bytes(data), content_type="application/pdf" if filename.endswith(".pdf") else "application/zip")
    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


class EditForm(forms.Form):
    def __init__(self, *args, fields=(), initial_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in fields:
            value = (initial_data or {}).get(name, "")
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            self.fields[name] = forms.CharField(label=LABELS.get(name, name), required=False, initial=value,
                                                widget=forms.Textarea(attrs={"rows": 3}))


class DocumentListView(LoginRequiredMixin, TemplateView):
    template_name = "documents/list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["documents"] = list(staff_documents(self.request.user)[:200])
        return ctx


ERR_SIGNED_IN_FLOW = "该文书属于办理中的申请，请在办理流程的“审签”环节审签和出具，此处只能查看。"


def _signed_in_flow(doc: Document) -> bool:
    """An application's documents are drafted, signed and issued by the steps of its
    process (拟写答复, 审签); this page only shows them, so nobody signs beside the flow."""
    return doc.request_id is not None and doc.request.processes.exists()


class DocumentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "documents/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        doc = _document(self.request.user, kwargs["pk"])
        audit_access(actor=self.request.user, obj=doc, what="文书页面", action=VIEWED_DOCUMENT)
        in_flow = _signed_in_flow(doc)
        ctx.update(doc=doc, preview=doc.html if doc.html else document_html(doc, preview=True), in_flow=in_flow,
                   form=EditForm(fields=doc.kind_info.editable, initial_data=doc.data)
                   if doc.status == "draft" and not in_flow else None)
        return ctx

    def post(self, request, pk):
        doc = _document(request.user, pk)
        action = request.POST.get("action")
        if _signed_in_flow(doc):
            messages.error(request, ERR_SIGNED_IN_FLOW)
            return redirect(request.path)
        try:
            if action == "save":
                form = EditForm(request.POST, fields=doc.kind_info.editable)
                if form.is_valid():
                    changes = dict(form.cleaned_data)
                    if "supplement_items" in changes:
                        changes["supplement_items"] = [x.strip() for x in changes["supplement_items"].splitlines() if x.strip()]
                    case_document_update(actor=request.user, document=doc, changes=changes)
                    messages.success(request, "草稿已保存。")
            elif action == "sign":
                case_document_sign(actor=request.user, document=doc)
                messages.success(request, "已审签，内容已定稿。")
            elif action == "issue":
                doc = case_document_issue(actor=request.user, document=doc)
                messages.success(request, f"已出具：{doc.number}")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(request.path)


class DocumentStatusView(LoginRequiredMixin, View):
    """Render progress for polling: {"status": ..., "label": ...}."""

    def get(self, request, pk):
        from django.http import JsonResponse

        doc = _document(request.user, pk)
        return JsonResponse({"status": doc.render_status, "label": doc.get_render_status_display(),
                             "number": doc.number, "sha256": doc.sha256})


class DocumentPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        doc = _document(request.user, pk)
        if doc.status != DocumentStatus.ISSUED or not doc.sha256:
            raise Http404("PDF尚未生成")
        audit_access(actor=request.user, obj=doc, what="文书PDF", action=VIEWED_DOCUMENT)
        return _pdf_response(doc.pdf, f"{doc.number}{doc.kind_label}.pdf", inline="download" not in request.GET)


class CaseFileView(LoginRequiredMixin, View):
    def get(self, request, request_pk, fmt):
        case = case_for(request_pk)
        if case is None or not staff_can_see_request(request.user, case):
            raise Http404("没有找到该申请")
        cf = case_file_for(case)
        if cf is None:
            raise Http404("卷宗尚未生成")
        audit_access(actor=request.user, obj=case, what=f"卷宗（{fmt.upper()}）", action=VIEWED_DOCUMENT)
        name = f"卷宗-{case.registration_number or case.tracking_number}"
        return _pdf_response(cf.pdf if fmt == "pdf" else cf.zip, f"{name}.{fmt}", inline=False)

    def post(self, request, request_pk, fmt):
        case = case_for(request_pk)
        if case is None or not staff_can_see_request(request.user, case):
            raise Http404("没有找到该申请")
        case_file_build(actor=request.user, request=case)
        messages.success(request, "卷宗已生成。")
        return redirect(request.META.get("HTTP_REFERER") or "/staff/")
