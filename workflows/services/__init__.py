"""Every state change of an application (依申请公开), one module per stage; each module
holds the error messages it raises, and `_step` the frame they share. Flow nodes and
views call these; nothing else writes a case."""
from .closure import request_closure_delivery, request_closure_issue, request_closure_sign_off
from .completeness import (
    request_accept,
    request_supplement_lapse,
    request_supplement_notice,
    request_supplement_receive,
)
from .decision import (
    request_confidentiality_clear,
    request_confidentiality_return,
    request_determine,
    request_reply_draft,
    request_reply_issue,
    request_sign_off,
)
from .delivery import request_archive, request_delivery_record
from .fees import (
    request_fee_decline,
    request_fee_lapse,
    request_fee_notice,
    request_fee_paid,
    request_fee_payment_claim,
)
from .handling import (
    request_consultation_convene,
    request_consultation_decide,
    request_consultation_opinion,
    request_extension_ask,
    request_extension_decide,
    request_other_agency_answer,
    request_other_agency_consult,
    request_reassign,
    request_task_claim,
    request_third_party_consult,
    request_third_party_opinion,
    request_volume_decide,
    request_volume_reasons_ask,
)
from .intake import plain_name, request_register, request_submit
from .withdrawal import request_withdraw

__all__ = [
    "plain_name",
    "request_accept", "request_archive", "request_closure_delivery", "request_closure_issue",
    "request_closure_sign_off", "request_confidentiality_clear", "request_confidentiality_return",
    "request_consultation_convene", "request_consultation_decide", "request_consultation_opinion",
    "request_delivery_record", "request_determine", "request_extension_ask", "request_extension_decide", "request_other_agency_answer", "request_other_agency_consult",
    "request_fee_decline", "request_fee_lapse", "request_fee_notice", "request_fee_paid", "request_fee_payment_claim", "request_reassign",
    "request_register", "request_reply_draft", "request_reply_issue", "request_sign_off", "request_submit",
    "request_supplement_lapse", "request_supplement_notice", "request_supplement_receive", "request_task_claim",
    "request_third_party_consult", "request_third_party_opinion", "request_volume_decide", "request_volume_reasons_ask", "request_withdraw",
]
