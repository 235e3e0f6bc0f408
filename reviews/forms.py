from django import forms

from legal.calendar import validate_plausible_date
from legal.forms import CalendarDateField

from . import catalogue as cat
from .models import Attachment, CatalogueItem, Publication

DECISIONS = [("approve", "同意"), ("return", "退回修改")]


class PublicationForm(forms.ModelForm):
    attribute_reason = forms.CharField(max_length=2000, label="不主动公开的理由", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    created_on = forms.DateField(label="形成或变更日期", validators=[validate_plausible_date],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.CharField(max_length=50000, label="正文", required=False, widget=forms.Textarea(attrs={"rows": 14}))

    class Meta:
        model = Publication
        fields = ["title", "document_number", "department", "catalogue_item", "legal_form", "created_on", "attribute",
                  "attribute_reason", "attribute_ground", "body"]
        widgets = {"created_on": forms.DateInput(attrs={"type": "date"}), "body": forms.Textarea(attrs={"rows": 14}),
                   "attribute_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agency=None, kind=Publication.DOCUMENT, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            # only the departments the person may draft for: a choice the service would refuse is not offered
            self.fields["department"].queryset = departments if departments is not None else agency.departments.all()
            self.fields["catalogue_item"].queryset = CatalogueItem.objects.filter(agency=agency)
        if kind == Publication.INTERPRETATION:
            self.fields["qa"] = forms.CharField(max_length=20000, label="问答", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                                initial=getattr(self.instance, "qa", ""))
            self.fields["video_url"] = forms.URLField(label="视频链接", required=False, assume_scheme="https",
                                                      initial=getattr(self.instance, "video_url", ""))
            self.fields["department"].disabled = True


class AttachmentForm(forms.Form):
    file = forms.FileField(label="文件（PDF、DOCX、图片等）")
    role = forms.ChoiceField(label="用途", choices=[(Attachment.ATTACHMENT, "附件"), (Attachment.CHART, "图表解读")])


class TaskForm(forms.Form):
    decision = forms.ChoiceField(label="审核意见", choices=DECISIONS, widget=forms.RadioSelect, initial="approve")
    comment = forms.CharField(max_length=2000, label="意见说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FinalTaskForm(TaskForm):
    publish_on = CalendarDateField(label="计划发布日期（留空为今日）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    no_interpretation_reason = forms.CharField(max_length=2000, label="无需解读的理由（政策文件没有解读材料时必填）", required=False,
                                               widget=forms.Textarea(attrs={"rows": 2}))


class ResubmitForm(forms.Form):
    comment = forms.CharField(max_length=2000, label="修改说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class JustifyForm(forms.Form):
    justification = forms.CharField(max_length=500, label="保留理由", widget=forms.TextInput(attrs={"size": 40}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="撤回理由", widget=forms.Textarea(attrs={"rows": 2}))


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label="标准目录表格（.xlsx）")


class CatalogueItemForm(forms.ModelForm):
    content = forms.CharField(max_length=2000, label="公开内容（要素）", widget=forms.Textarea)
    basis = forms.CharField(max_length=2000, label="公开依据", required=False, widget=forms.Textarea)

    class Meta:
        model = CatalogueItem
        fields = ["domain", "item_level1", "item_level2", "content", "basis", "time_limit", "responsible_body",
                  "channels", "audience", "mode", "level"]


class SensitiveWordForm(forms.Form):
    word = forms.CharField(label="敏感词", max_length=50)
    note = forms.CharField(label="说明", max_length=200, required=False)


class DeidentifyForm(forms.Form):
    text = forms.CharField(max_length=50000, label="原文", widget=forms.Textarea(attrs={"rows": 10}))
    names = forms.CharField(max_length=500, label="另需遮蔽的姓名（以逗号分隔，可选）", required=False)

    def name_list(self):
        raw = self.cleaned_data.get("names", "")
        return [x.strip() for x in raw.replace("，", ",").replace("、", ",").split(",") if x.strip()]


class PublicSearchForm(forms.Form):
    q = forms.CharField(max_length=100, label="关键词", required=False)
    domain = forms.ChoiceField(label="领域", required=False, choices=[("", "全部领域")] + [(d, d) for d in cat.DOMAINS])
