"""The append-only audit record.

Every state-changing service writes one AuditEvent inside its own transaction.
Rows are never updated or deleted (enforced here and, on PostgreSQL, by a trigger).
Each row carries the digest of its predecessor, so the auditors' issue can verify the
chain without reshaping the table.
"""
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditChainHead(models.Model):
    """Singleton row locked while appending, so the digest chain never forks."""

    last_digest = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)


class AuditEvent(models.Model):
    sequence = models.BigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150, help_text=_("操作人姓名；系统任务为“系统”"))
    actor_detail = models.JSONField(
        _("操作人身份信息"), null=True, blank=True,
        help_text=_("无工作人员账号的操作人如何被识别：申请编号、门户会话、客户端地址"),
    )
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    prev_digest = models.CharField(max_length=64, editable=False)
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [models.Index(fields=["object_type", "object_id", "sequence"])]

    def __str__(self):
        return f"#{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def canonical(self) -> str:
        fields = {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "agency": self.agency_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "action": self.action,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev": self.prev_digest,
        }
        if self.actor_detail is not None:
            # Only events that carry it include the key, so digests of earlier events still verify.
            fields["actor_detail"] = self.actor_detail
        return json.dumps(
            fields,
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )

    def compute_digest(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")
