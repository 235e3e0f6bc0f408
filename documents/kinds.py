"""Document kinds (文书种类): the one list of what the system issues.

Each kind has a label (the title printed on the page), a code used in the document
number (文号, per agency, per kind, per year), whether it is internal (never shown to
the applicant), and whether it needs a separate sign-off (审签) before issuing.
"""
from __future__ import annotations

from dataclasses import dataclass

RECEIPT = "receipt"
SUPPLEMENT_NOTICE = "supplement_notice"
EXTENSION_NOTICE = "extension_notice"
THIRD_PARTY_LETTER = "third_party_letter"
OTHER_AGENCY_LETTER = "other_agency_letter"
VOLUME_REASONS_NOTICE = "volume_reasons_notice"
LONGER_PERIOD_NOTICE = "longer_period_notice"
WITHDRAWAL_CONFIRMATION = "withdrawal_confirmation"
PUBLIC_INTEREST_NOTICE = "public_interest_notice"
FEE_NOTICE = "fee_notice"
REPLY = "reply"
SERVICE_PROOF = "service_proof"
APPROVAL_SHEET = "approval_sheet"
CONSULTATION_RECORD = "consultation_record"
CORRECTION_REPLY = "correction_reply"


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # printed title
    number_code: str  # goes into the 文号: <agency short name><number_code>〔year〕n号
    internal: bool = False  # internal records are never shown to the applicant
    needs_sign_off: bool = False  # a person in charge signs (审签) before issuing
    editable: tuple[str, ...] = ("note",)  # free-text parts staff may edit in the draft


_KINDS = [
    Kind(RECEIPT, "政府信息公开申请登记回执", "依申登"),
    Kind(SUPPLEMENT_NOTICE, "政府信息公开申请补正告知书", "依申补", editable=("supplement_items", "note")),
    Kind(EXTENSION_NOTICE, "政府信息公开申请延期答复告知书", "依申延", editable=("reason", "note")),
    Kind(THIRD_PARTY_LETTER, "政府信息公开征求第三方意见书", "依申征", editable=("info", "note")),
    Kind(OTHER_AGENCY_LETTER, "政府信息公开征求其他机关意见函", "依申函", editable=("info", "note")),
    Kind(VOLUME_REASONS_NOTICE, "政府信息公开申请说明理由通知书", "依申理", editable=("question", "note")),
    Kind(LONGER_PERIOD_NOTICE, "政府信息公开申请延迟答复告知书", "依申迟", editable=("reason", "note")),
    Kind(WITHDRAWAL_CONFIRMATION, "政府信息公开申请撤回确认书", "依申撤", editable=("note",)),
    Kind(PUBLIC_INTEREST_NOTICE, "政府信息公开告知第三方书", "依申告", needs_sign_off=True,
         editable=("info", "reason", "note")),
    Kind(FEE_NOTICE, "政府信息公开信息处理费收费通知书", "依申费", editable=("payment_method", "note")),
    Kind(REPLY, "政府信息公开申请答复书", "依申复", needs_sign_off=True, editable=("note",)),
    Kind(SERVICE_PROOF, "送达回证", "依申送"),
    Kind(APPROVAL_SHEET, "政府信息公开申请办理审批单", "依申批", internal=True, editable=("proposal", "note")),
    Kind(CORRECTION_REPLY, "政府信息更正申请答复书", "更正复", needs_sign_off=True, editable=("note",)),
    Kind(CONSULTATION_RECORD, "政府信息公开申请会商记录", "依申商", internal=True,
         editable=("topic", "opinions", "conclusion", "note")),
]

KINDS: dict[str, Kind] = {k.code: k for k in _KINDS}
CHOICES = [(k.code, k.label) for k in _KINDS]
INTERNAL = {k.code for k in _KINDS if k.internal}
ISSUE_NOW = {RECEIPT, SUPPLEMENT_NOTICE, EXTENSION_NOTICE, THIRD_PARTY_LETTER, OTHER_AGENCY_LETTER,
             VOLUME_REASONS_NOTICE, LONGER_PERIOD_NOTICE, WITHDRAWAL_CONFIRMATION, FEE_NOTICE, SERVICE_PROOF,
             APPROVAL_SHEET, CONSULTATION_RECORD}
