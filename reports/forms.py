from django import forms

from .models import ProactiveFigures
from .table2 import COUNT_FIELDS


class ProactiveFiguresForm(forms.Form):
    """The figures of 表二 that the agency enters (labels from the model)."""

    reason = forms.CharField(label="填报说明（选填）", required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)
        meta = ProactiveFigures._meta
        for name in COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(label=meta.get_field(name).verbose_name, min_value=0,
                                                   error_messages={"min_value": "不能为负数。", "invalid": "请填写整数。",
                                                                   "required": "请填写，没有的填 0。"})
        self.fields["fees_amount"] = forms.DecimalField(
            label=meta.get_field("fees_amount").verbose_name, min_value=0, max_digits=14, decimal_places=4,
            error_messages={"min_value": "不能为负数。", "invalid": "请填写数字。", "required": "请填写，没有的填 0。"})
        self.order_fields([*COUNT_FIELDS, "fees_amount", "reason"])
