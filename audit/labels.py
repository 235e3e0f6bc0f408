"""What each recorded action is called where people read the record (case pages, the
auditors' view, exports). One table for every app's action codes; an unknown code is
shown as 其他操作 rather than as a code."""
from __future__ import annotations

ACTION_LABELS = {
    "request.submitted": "提交申请", "request.registered": "登记（确认收到申请）", "request.routed": "分送承办",
    "request.supplement_requested": "告知补正", "request.supplement_received": "收到补正材料",
    "request.supplement_lapsed": "逾期未补正，终止处理", "request.task_claimed": "认领任务",
    "request.reassigned": "改派承办人", "request.third_party_consulted": "征求第三方意见",
    "request.third_party_opinion": "记录第三方意见", "request.other_agency_consulted": "征求其他机关意见",
    "request.other_agency_opinion": "记录其他机关意见", "request.volume_reasons_asked": "要求申请人说明理由",
    "request.volume_decided": "认定申请人说明的理由", "request.consultation_convened": "发起会商",
    "request.consultation_opinion": "出具会商意见", "request.consultation_decided": "记录会商结论",
    "request.extension_asked": "申请延期", "request.extension_approved": "同意延期",
    "request.extension_refused": "不同意延期", "request.fee_notified": "发出收费通知", "request.fee_paid": "登记缴费",
    "request.fee_payment_claimed": "申请人告知已缴费",
    "request.fee_lapsed": "逾期未缴费，终止处理", "request.fee_declined": "申请人表示不缴费",
    "request.notice_received": "登记文书签收", "request.determined": "作出处理决定",
    "request.confidentiality_cleared": "保密审查通过", "request.confidentiality_returned": "保密审查退回",
    "request.reply_drafted": "拟写答复", "request.signed_off": "审签同意", "request.reply_returned": "审签退回",
    "request.reply_issued": "出具答复", "request.delivered": "送达答复", "request.archived": "归档",
    "request.closure_signed_off": "签发终止处理告知书", "request.closure_issued": "出具终止处理告知书",
    "request.closure_delivered": "送达终止处理告知书", "request.withdrawn": "申请人撤回申请",
    "document.drafted": "起草文书", "document.edited": "修改文书草稿", "document.signed": "签发文书",
    "document.issued": "出具文书", "document.rendered": "生成文书PDF", "case_file.built": "生成卷宗",
    "clock.recomputed": "重新计算期限", "clock.resume": "恢复计时",
    "calendar.day_set": "设置工作日历", "calendar.day_deleted": "删除工作日历设置", "calendar.year_imported": "导入年度工作日历",
    "agency.created": "创建机关", "agency.seal_set": "上传印章", "department.created": "创建部门", "staff.created": "创建工作人员",
    "staff.logged_in": "登录", "staff.logged_out": "退出登录", "staff.login_failed": "登录失败",
    "staff.otp_enrolled": "绑定身份验证器", "staff.otp_failed": "动态验证码错误",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, "其他操作")
