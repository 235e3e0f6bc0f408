"""The one door from the application workflow to the documents app.

Every document the case needs goes through a function here. The documents app
(`documents.services`: case_document_draft / _sign / _issue / _issue_now) is imported
lazily. Until it is installed, the need is recorded on the case as a `CaseDocument`
(kind + data + the state it should reach) so nothing is lost; `document_port_flush`
produces the recorded documents once the documents app is available.
"""
from __future__ import annotations

import logging
from typing import Any

from .models import CaseDocument, DisclosureRequest

logger = logging.getLogger(__name__)

RECEIPT, SUPPLEMENT_NOTICE, EXTENSION_NOTICE = "receipt", "supplement_notice", "extension_notice"
THIRD_PARTY_LETTER, PUBLIC_INTEREST_NOTICE, FEE_NOTICE = "third_party_letter", "public_interest_notice", "fee_notice"
REPLY, SERVICE_PROOF, APPROVAL_SHEET, CONSULTATION_RECORD = "reply", "service_proof", "approval_sheet", "consultation_record"


def _documents():
    try:
        from documents import services
    except ImportError:
        return None
    needed = ("case_document_draft", "case_document_sign", "case_document_issue", "case_document_issue_now")
    return services if all(hasattr(services, n) for n in needed) else None


def _ref(document: Any) -> str:
    return str(getattr(document, "pk", "") or "")


def _issue_now(*, actor, case: DisclosureRequest, kind: str, data: dict) -> CaseDocument:
    row = CaseDocument.objects.create(request=case, kind=kind, data=data, wanted_state=CaseDocument.ISSUED)
    services = _documents()
    if services is not None:
        if _needs_sign_off(kind):
            # e.g. the public-interest notice: drafted now, signed and issued by the
            # person in charge in the documents pages.
            document = services.case_document_draft(actor=actor, request=case, kind=kind, data=data)
            row.state = CaseDocument.DRAFTED
        else:
            document = services.case_document_issue_now(actor=actor, request=case, kind=kind, data=data)
            row.state = CaseDocument.ISSUED
        row.document_ref = _ref(document)
        row.save(update_fields=["document_ref", "state", "updated_at"])
    return row


def _needs_sign_off(kind: str) -> bool:
    try:
        from documents.kinds import KINDS
    except ImportError:
        return False
    info = KINDS.get(kind)
    return bool(getattr(info, "needs_sign_off", False))


def _latest(case: DisclosureRequest, kind: str) -> CaseDocument | None:
    return case.case_documents.filter(kind=kind).order_by("-id").first()


def _document_object(row: CaseDocument):
    from django.apps import apps

    try:
        model = apps.get_model("documents", "Document")
    except LookupError:
        return None
    return model._default_manager.filter(pk=row.document_ref).first() if row.document_ref else None


# --- one function per need ---------------------------------------------------------------

def document_receipt(*, actor, case: DisclosureRequest) -> CaseDocument:
    """登记回执 on registration."""
    return _issue_now(actor=actor, case=case, kind=RECEIPT, data={"registration_number": case.registration_number,
                                                                  "received_on": case.received_on})


def document_supplement_notice(*, actor, case: DisclosureRequest, what: str, due_on) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=SUPPLEMENT_NOTICE, data={"what": what, "due_on": due_on})


def document_extension_notice(*, actor, case: DisclosureRequest, days: int, reason: str, due_on) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=EXTENSION_NOTICE, data={"days": days, "reason": reason, "due_on": due_on})


def document_third_party_letter(*, actor, case: DisclosureRequest, third_party: str, matter: str, reply_due) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=THIRD_PARTY_LETTER,
                      data={"third_party": third_party, "matter": matter, "reply_due": reply_due})


def document_public_interest_notice(*, actor, case: DisclosureRequest, third_party: str, reasons: str) -> CaseDocument:
    """Art. 32: the third party is told in writing what will be disclosed and why."""
    return _issue_now(actor=actor, case=case, kind=PUBLIC_INTEREST_NOTICE, data={"third_party": third_party, "reasons": reasons})


def document_fee_notice(*, actor, case: DisclosureRequest, amount: str, basis: str, due_on) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=FEE_NOTICE, data={"amount": amount, "basis": basis, "due_on": due_on})


def document_consultation_record(*, actor, case: DisclosureRequest, question: str, opinions: list, decision: str) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=CONSULTATION_RECORD,
                      data={"question": question, "opinions": opinions, "decision": decision})


def document_service_proof(*, actor, case: DisclosureRequest, method: str, delivered_on, tracking_number: str) -> CaseDocument:
    return _issue_now(actor=actor, case=case, kind=SERVICE_PROOF,
                      data={"method": method, "delivered_on": delivered_on, "tracking_number": tracking_number})


def document_reply_draft(*, actor, case: DisclosureRequest, text: str) -> CaseDocument:
    """The reply: drafted by the handler (again after each return), signed, issued."""
    data = {"text": text, "outcome": case.outcome}
    services = _documents()
    row = _latest(case, REPLY)
    if row is None or row.state == CaseDocument.ISSUED:
        row = CaseDocument(request=case, kind=REPLY)
    row.data, row.wanted_state = data, CaseDocument.DRAFTED
    row.save()
    if services is not None:
        document = services.case_document_draft(actor=actor, request=case, kind=REPLY, data=data)
        row.document_ref, row.state = _ref(document), CaseDocument.DRAFTED
        row.save(update_fields=["document_ref", "state", "updated_at"])
    return row


def document_reply_sign(*, actor, case: DisclosureRequest) -> CaseDocument | None:
    return _advance(actor=actor, case=case, kind=REPLY, to=CaseDocument.SIGNED)


def document_reply_issue(*, actor, case: DisclosureRequest) -> CaseDocument | None:
    return _advance(actor=actor, case=case, kind=REPLY, to=CaseDocument.ISSUED)


def _advance(*, actor, case, kind, to) -> CaseDocument | None:
    row = _latest(case, kind)
    if row is None:
        return None
    row.wanted_state = to
    services = _documents()
    document = _document_object(row) if services is not None else None
    if document is not None:
        if to == CaseDocument.SIGNED:
            services.case_document_sign(actor=actor, document=document)
        else:
            services.case_document_issue(actor=actor, document=document)
        row.state = to
    row.save()
    return row


def document_case_file(*, actor, case: DisclosureRequest) -> None:
    """On archiving: build the case file (卷宗) after commit, in a Celery worker when a
    broker is configured, inline otherwise (embedded default)."""
    if _documents() is None:
        return
    from django.db import transaction

    from documents.tasks import case_file_build

    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: case_file_build.delay(case.pk, actor_id))


def document_port_flush(*, actor=None) -> int:
    """Produce the documents recorded while the documents app was missing. Returns how many."""
    services = _documents()
    if services is None:
        return 0
    done = 0
    for row in CaseDocument.objects.filter(document_ref="").select_related("request"):
        if row.wanted_state == CaseDocument.ISSUED:
            document = services.case_document_issue_now(actor=actor, request=row.request, kind=row.kind, data=row.data)
        else:
            document = services.case_document_draft(actor=actor, request=row.request, kind=row.kind, data=row.data)
            if row.wanted_state in (CaseDocument.SIGNED, CaseDocument.ISSUED):
                services.case_document_sign(actor=actor, document=document)
        row.document_ref, row.state = _ref(document), row.wanted_state
        row.save(update_fields=["document_ref", "state", "updated_at"])
        done += 1
    return done
