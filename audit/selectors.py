from .models import AuditCheckpoint, AuditEvent
from .verification import audit_verify


def audit_events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


def audit_chain_is_intact() -> bool:
    return audit_verify().ok


def audit_last_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-position").first()
