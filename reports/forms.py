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


ERR_REGISTER_FILE_TYPE = "请上传 .xlsx 格式的电子表格（用“下载模板”得到的文件填写）。"
ERR_REGISTER_FILE_SIZE = "文件不能超过 10 MB；申请较多时请分成几个文件导入。"
REGISTER_FILE_MAX = 10 * 1024 * 1024


class RegisterImportForm(forms.Form):
    """The filled register template (台账), checked or imported."""

    file = forms.FileField(label="申请台账（.xlsx）", error_messages={"required": "请选择要导入的台账文件。"})

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(ERR_REGISTER_FILE_TYPE)
        if f.size > REGISTER_FILE_MAX:
            raise forms.ValidationError(ERR_REGISTER_FILE_SIZE)
        return f
