"""Celery task of the audit record: the sealer, run by beat every minute."""
from celery import shared_task

from .sealing import audit_seal
from .verification import audit_verification_record, audit_verify


@shared_task(name="audit.tasks.audit_seal")
def audit_seal_task() -> int:
    """Seal the events committed since the last run; returns how many checkpoints were made."""
    return len(audit_seal())


@shared_task(name="audit.tasks.audit_verify")
def audit_verify_task() -> bool:
    """Check the whole record against the checkpoints (daily) and keep the outcome."""
    return audit_verification_record(audit_verify()).ok
