"""Celery task of the audit record: the sealer, run by beat every minute."""
from celery import shared_task

from .sealing import audit_seal


@shared_task(name="audit.tasks.audit_seal")
def audit_seal_task() -> int:
    """Seal the events committed since the last run; returns how many checkpoints were made."""
    return len(audit_seal())
