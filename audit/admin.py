"""The audit record in the admin: read-only. Nothing here adds, changes or deletes an
event or a checkpoint (the record is kept; issue 14, retention)."""
from django.contrib import admin

from .models import AuditCheckpoint, AuditEvent, AuditVerification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_label", "agency", "action", "object_repr", "reason", "position"]
    list_filter = ["action", "agency"]
    search_fields = ["object_repr", "reason", "actor_label"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["position", "last_event", "count", "at", "key_id"]


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ["at", "ok", "count", "position", "message"]
