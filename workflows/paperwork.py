"""Which document each step of an application makes, and the data frozen for it.

Called by the case services inside their transaction: the step decides the document
(kind and data in the keys of `documents.kinds`, plus the facts of the case as they are
now), the documents app drafts it and asks for it to be issued; the number and the PDF
are produced after the step has committed. Documents never read a case back.
"""
from __future__ import annotations

from django.db import transaction

from documents import kinds
from documents.models import Document, DocumentStatus
from documents.services import case_document_draft, case_document_issue, case_document_issue_now, case_document_sign
from documents.tasks import case_file_build_dispatch

from .models import DisclosureRequest


def _data(case: DisclosureRequest, clock=None, files=None, **data) -> dict:
    return {**data, "case": case.document_facts(clock=clock, files=files)}


def _issue_now(*, actor, case: DisclosureRequest, kind: str, clock=None, files=None, **data) -> Document:
    """A notice finalised by whoever makes it; or, for kinds a person in charge signs
    (kinds.Kind.needs_sign_off), a draft for them to sign in the documents pages."""
    if kinds.KINDS[kind].needs_sign_off:
        return case_document_draft(actor=actor, request=case, kind=kind, data=_data(case, clock, files, **data))
    return case_document_issue_now(actor=actor, request=case, kind=kind, data=_data(case, clock, files, **data))


def document_receipt(*, actor, case: DisclosureRequest, clock=None) -> Document:
    """登记回执 on registration (Art. 31): receipt date, number, due date. `clock`: the
    segments and state of the clock the registration has just opened. A case being
    registered has no disclosed files (they are attached when the reply is drafted)."""
    return _issue_now(actor=actor, case=case, kind=kinds.RECEIPT, clock=clock, files=())


def document_supplement_notice(*, actor, case: DisclosureRequest, what: str, due_on, days: int | None = None) -> Document:
    """`due_on` is None while the day the applicant receives the notice is unknown."""
    items = [line.strip() for line in what.splitlines() if line.strip()]
    return _issue_now(actor=actor, case=case, kind=kinds.SUPPLEMENT_NOTICE, supplement_items=items,
                      supplement_due=due_on, supplement_days=days)


def document_extension_notice(*, actor, case: DisclosureRequest, days: int, reason: str, due_on) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.EXTENSION_NOTICE, extension_days=days, reason=reason,
                      new_due_date=due_on)


def document_third_party_letter(*, actor, case: DisclosureRequest, third_party: str, matter: str, reply_due) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.THIRD_PARTY_LETTER, third_party_name=third_party,
                      info=matter, reply_due=reply_due)


def document_other_agency_letter(*, actor, case: DisclosureRequest, other_agency: str, matter: str,
                                 reply_due) -> Document:
    """Art. 34: the letter does not name the applicant (the other agency needs the matter only)."""
    return _issue_now(actor=actor, case=case, kind=kinds.OTHER_AGENCY_LETTER, other_agency_name=other_agency,
                      info=matter, reply_due=reply_due)


def document_volume_reasons_notice(*, actor, case: DisclosureRequest, question: str) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.VOLUME_REASONS_NOTICE, question=question)


def document_longer_period_notice(*, actor, case: DisclosureRequest, days: int, reason: str, due_on) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.LONGER_PERIOD_NOTICE, longer_days=days, reason=reason,
                      new_due_date=due_on)


def document_withdrawal_confirmation(*, actor, case: DisclosureRequest, withdrawn_on, reason: str = "") -> Document:
    """An accepted withdrawal is confirmed in writing (其他处理 3)."""
    return _issue_now(actor=actor, case=case, kind=kinds.WITHDRAWAL_CONFIRMATION, withdrawn_on=withdrawn_on,
                      reason=reason)


def document_public_interest_notice(*, actor, case: DisclosureRequest, third_party: str, reasons: str,
                                    objection_on=None, info: str = "") -> Document:
    """Art. 32: the third party is told in writing what will be disclosed (the matter it was
    consulted on, not the whole application) and why."""
    return _issue_now(actor=actor, case=case, kind=kinds.PUBLIC_INTEREST_NOTICE, third_party_name=third_party,
                      reason=reasons, objection_on=objection_on, info=info)


def document_fee_notice(*, actor, case: DisclosureRequest, amount, basis: str, method: str = "",
                        standard: str = "", quantity: str = "", due_on) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.FEE_NOTICE, fee_amount=str(amount), fee_basis=basis,
                      fee_method=method, fee_standard=standard, fee_quantity=quantity, fee_due=due_on)


def document_consultation_record(*, actor, case: DisclosureRequest, question: str, opinions: list,
                                 decision: str, convener: str, recorder: str, held_on, place: str) -> Document:
    people = [convener] + [o["participant"] for o in opinions if o["participant"] != convener]
    return _issue_now(actor=actor, case=case, kind=kinds.CONSULTATION_RECORD, topic=question,
                      opinions=[{"name": o["participant"], "opinion": o["opinion"], "date": o.get("given_on")}
                                for o in opinions],
                      participants=f"{convener}（主持）、" + "、".join(people[1:]) if len(people) > 1 else convener,
                      conclusion=decision, recorder=recorder, held_on=held_on, place=place)


def document_approval_sheet(*, actor, case: DisclosureRequest, opinions: list, approval: str) -> Document:
    """办理审批单: the handler's proposal, the review opinions and the person in charge's
    signature, kept in the case file (internal)."""
    return _issue_now(actor=actor, case=case, kind=kinds.APPROVAL_SHEET, opinions=opinions, approval=approval)


def document_service_proof(*, actor, case: DisclosureRequest, method_label: str, delivered_on,
                           tracking_number: str) -> Document:
    return _issue_now(actor=actor, case=case, kind=kinds.SERVICE_PROOF, delivery_method=method_label,
                      delivered_on=delivered_on, tracking_number=tracking_number)


def public_interest_notice_outstanding(case: DisclosureRequest) -> bool:
    """Art. 32: a public-interest override was decided but its notice to the third party
    has not been issued yet."""
    if not case.third_party_consultations.filter(public_interest_override=True).exists():
        return False
    return not case.documents.filter(kind=kinds.PUBLIC_INTEREST_NOTICE, status=DocumentStatus.ISSUED).exists()


# --- the reply: drafted (again after each return), signed off, issued ---------------------

def _latest_reply(case: DisclosureRequest, status: str) -> Document | None:
    return case.documents.filter(kind=kinds.REPLY, status=status).order_by("-id").first()


def document_reply_draft(*, actor, case: DisclosureRequest, note: str = "", body: str = "") -> Document:
    """The reply is composed from the decided items (documents.content); the handler
    adds a remark of their own (`note`), or edits the generated body as a whole (`body`)."""
    data = _data(case, body=body) if body else _data(case, note=note)
    return case_document_draft(actor=actor, request=case, kind=kinds.REPLY, data=data)


def document_closure_notice_draft(*, actor, case: DisclosureRequest, closure: str) -> Document:
    """终止处理告知书 after a lapse (其他处理 1, 2): composed from the closure code."""
    return case_document_draft(actor=actor, request=case, kind=kinds.REPLY, data=_data(case, closure=closure))


def document_reply_sign(*, actor, case: DisclosureRequest) -> Document | None:
    draft = _latest_reply(case, DocumentStatus.DRAFT)
    return case_document_sign(actor=actor, document=draft) if draft else None


def document_reply_issue(*, actor, case: DisclosureRequest) -> Document | None:
    signed = _latest_reply(case, DocumentStatus.SIGNED)
    return case_document_issue(actor=actor, document=signed) if signed else None


def document_case_file(*, actor, case: DisclosureRequest) -> None:
    """On archiving: build the case file (卷宗) after commit, in a Celery worker when a
    broker is configured, in a thread beside the request otherwise (embedded default)."""
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: case_file_build_dispatch(case.pk, actor_id))
