from .models import AuditEvent


def audit_events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("sequence")


def audit_chain_is_intact() -> bool:
    prev = ""
    for event in AuditEvent.objects.order_by("sequence").iterator():
        if event.prev_digest != prev or event.compute_digest() != event.digest:
            return False
        prev = event.digest
    return True
