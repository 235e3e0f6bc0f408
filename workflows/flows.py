"""The application process (依申请公开), read top to bottom like the chart.

Every step calls a service in `workflows/services/`; the services move the case's
legal status, the clock and the audit record in the same transaction as the task."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from flowkit.access import ServicesOnlyFlow
from flowkit.nodes import DynamicSplit, If, Switch

from . import views as steps
from .models import RequestProcess
from .nodes import CaseView
from .notices import task_announce_on_commit
from .selectors import case_visible_to
from .services import request_closure_issue, request_fee_lapse, request_reply_issue, request_supplement_lapse
from .services.receipts import lapse_moment

REGISTER = "workflows.register_request"
HANDLE = "workflows.handle_request"
REVIEW = "workflows.review_confidentiality"
APPROVE = "workflows.approve_request"


def decided(value):
    return lambda activation: activation.process.decision == value


def _start_of_day_after(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


class DisclosureRequestFlow(ServicesOnlyFlow, flow.Flow):
    """政府信息公开申请办理"""

    process_class = RequestProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("政府信息公开申请办理")
    process_summary_template = "{{ process.case }}"

    start = flow.StartHandle(this.start_case).Annotation(title=_("收到申请")).Next(this.register)

    register = (
        CaseView(steps.RegisterStep.as_view())
        .Annotation(title=_("登记"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .Next(this.check_completeness)
    )
    check_completeness = (
        CaseView(steps.CompletenessStep.as_view())
        .Annotation(title=_("审查申请内容"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .Next(this.is_complete)
    )
    is_complete = (
        If(decided("complete")).Annotation(title=_("内容是否明确"))
        .Then(this.handle).Else(this.wait_supplement)
    )
    wait_supplement = (
        CaseView(steps.SupplementReceivedStep.as_view())
        .Annotation(title=_("等待补正"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .OnTimeout(this.supplement_deadline, this.supplement_lapsed, title=_("补正期限届满"))
        .Next(this.check_completeness)
    )
    supplement_lapsed = flow.Function(this.lapse_supplement).Annotation(title=_("逾期未补正")).Next(this.closure_sign_off)

    handle = (
        CaseView(steps.HandleStep.as_view())
        .Annotation(title=_("承办"), summary_template="{{ process.case }}")
        .Permission(HANDLE)
        .Assign(this.case_handler)
        .Next(this.route)
    )
    route = (
        Switch().Annotation(title=_("承办人选择"))
        .Case(this.third_party_opinion, decided("third_party"))
        .Case(this.other_agency_opinion, decided("other_agency"))
        .Case(this.volume_decide, decided("volume"))
        .Case(this.consult_split, decided("consult"))
        .Case(this.approve_extension, decided("extension"))
        .Case(this.fee_wait, decided("fee"))
        .Default(this.confidentiality_review)
    )
    # Art. 32: the letter is out and the clock paused until the opinion is recorded.
    third_party_opinion = (
        CaseView(steps.ThirdPartyOpinionStep.as_view())
        .Annotation(title=_("记录第三方意见"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .Next(this.handle)
    )
    # Art. 34: the other agency's answer (or its silence after 15 working days = consent).
    other_agency_opinion = (
        CaseView(steps.OtherAgencyOpinionStep.as_view())
        .Annotation(title=_("记录其他机关意见"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .Next(this.handle)
    )
    # Art. 35: the applicant's reasons for a volume beyond reason, and the agency's finding.
    volume_decide = (
        CaseView(steps.VolumeDecideStep.as_view())
        .Annotation(title=_("认定申请人说明的理由"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .Next(this.handle)
    )
    # 会商: one opinion task per participant, in parallel; the convener decides.
    consult_split = DynamicSplit(this.consult_participants).Annotation(title=_("会商")).Next(this.consult_opinion)
    consult_opinion = (
        CaseView(steps.ConsultationOpinionStep.as_view())
        .Annotation(title=_("出具会商意见"), summary_template="{{ process.case }}")
        .Assign(this.consult_participant)
        .Next(this.consult_join)
    )
    consult_join = flow.Join().Annotation(title=_("汇总会商意见")).Next(this.consult_decide)
    consult_decide = (
        CaseView(steps.ConsultationDecideStep.as_view())
        .Annotation(title=_("记录会商结论"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .Next(this.handle)
    )
    approve_extension = (
        CaseView(steps.ExtensionDecideStep.as_view())
        .Annotation(title=_("审批延期"), summary_template="{{ process.case }}")
        .Permission(APPROVE)
        .Next(this.handle)
    )
    fee_wait = (
        CaseView(steps.FeePaidStep.as_view())
        .Annotation(title=_("等待缴费"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .OnTimeout(this.fee_deadline, this.fee_lapsed, title=_("缴费期限届满"))
        .Next(this.handle)
    )
    fee_lapsed = flow.Function(this.lapse_fee).Annotation(title=_("逾期未缴费")).Next(this.closure_sign_off)

    confidentiality_review = (
        CaseView(steps.ConfidentialityStep.as_view())
        .Annotation(title=_("保密审查"), summary_template="{{ process.case }}")
        .Permission(REVIEW)
        .Next(this.is_cleared)
    )
    is_cleared = If(decided("cleared")).Annotation(title=_("是否通过")).Then(this.draft_reply).Else(this.handle)
    draft_reply = (
        CaseView(steps.DraftReplyStep.as_view())
        .Annotation(title=_("拟写答复"), summary_template="{{ process.case }}")
        .Assign(this.case_handler)
        .Next(this.sign_off)
    )
    sign_off = (
        CaseView(steps.SignOffStep.as_view())
        .Annotation(title=_("审签"), summary_template="{{ process.case }}")
        .Permission(APPROVE)
        .Next(this.is_signed)
    )
    is_signed = If(decided("signed")).Annotation(title=_("是否签发")).Then(this.issue).Else(this.draft_reply)
    issue = flow.Function(this.issue_reply).Annotation(title=_("出具答复")).Next(this.deliver)
    deliver = (
        CaseView(steps.DeliveryStep.as_view())
        .Annotation(title=_("送达"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .Next(this.archive)
    )
    archive = (
        CaseView(steps.ArchiveStep.as_view())
        .Annotation(title=_("归档"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .Next(this.end)
    )
    # A lapse is told in writing (其他处理 1, 2): the 终止处理告知书 is signed, issued, served.
    closure_sign_off = (
        CaseView(steps.ClosureSignOffStep.as_view())
        .Annotation(title=_("签发终止处理告知书"), summary_template="{{ process.case }}")
        .Permission(APPROVE)
        .Next(this.closure_issue)
    )
    closure_issue = flow.Function(this.issue_closure).Annotation(title=_("出具终止处理告知书")).Next(this.closure_deliver)
    closure_deliver = (
        CaseView(steps.ClosureDeliveryStep.as_view())
        .Annotation(title=_("送达终止处理告知书"), summary_template="{{ process.case }}")
        .Permission(REGISTER)
        .Next(this.closed)
    )
    end = flow.End().Annotation(title=_("已归档"))
    closed = flow.End().Annotation(title=_("终止办理"))

    # --- callbacks ---------------------------------------------------------------------

    def task_created(self, activation):
        """Whoever a new task waits on hears of it, once the step has committed."""
        task_announce_on_commit(activation.task)

    def start_case(self, activation, case=None):
        activation.process.case = case
        return activation.process

    def case_handler(self, activation):
        return activation.process.case.handler

    def consult_participants(self, activation):
        consultation = activation.process.case.consultations.order_by("-id").first()
        return [o.participant_id for o in consultation.opinions.order_by("id")]

    def consult_participant(self, activation):
        return get_user_model()._default_manager.get(pk=activation.task.data["item"])

    def supplement_deadline(self, activation):
        # The notice sets the period (counted in working days from the applicant's receipt);
        # the case lapses when its last day has passed. While the receipt is unknown the
        # timer waits; recording the receipt moves it (services/receipts.py).
        return lapse_moment(activation.process.case.supplement, _start_of_day_after)

    def fee_deadline(self, activation):
        notice = activation.process.case.fee_notices.order_by("-id").first()
        return lapse_moment(notice, _start_of_day_after)

    def lapse_supplement(self, activation):
        request_supplement_lapse(actor=None, case=activation.process.case)

    def lapse_fee(self, activation):
        request_fee_lapse(actor=None, case=activation.process.case)

    def issue_closure(self, activation):
        signer = activation.task.previous.first()
        request_closure_issue(actor=signer.owner if signer else None, case=activation.process.case)

    def issue_reply(self, activation):
        signer = activation.task.previous.first()
        signer = signer.previous.first() if signer is not None and signer.owner_id is None else signer
        request_reply_issue(actor=signer.owner if signer else None, case=activation.process.case)

    # --- object-level access (viewflow checks only model permissions) -------------------

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        if obj is None or getattr(obj, "scoped_for_user", None) == user.pk:
            return True  # a list that scoped its rows to the user marked them (nodes.scoped_for)
        case = getattr(obj, "case", None)
        if case is None and hasattr(obj, "coerced"):
            case = obj.coerced.case
        return case is not None and case_visible_to(user, case)
