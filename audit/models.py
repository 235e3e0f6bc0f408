"""The append-only audit record.

Every state-changing service writes one AuditEvent inside its own transaction. The
event takes its number (`id`) from the database sequence: no lock is held, so one
agency's slow step never holds up another's. A sealer (`audit.sealing`) later chains
the committed events in order: each sealed event gets its place in the chain
(`position`, 1, 2, 3 … with no gaps) and `digest = SHA-256(prev_digest || canonical
content)`; each sealed batch ends in an `AuditCheckpoint` signed with a key the
database does not hold and also appended to a file outside the database.

Rows are never deleted, and never updated except once, by the sealer, to set the
chain columns of a row not yet sealed (enforced here and, on PostgreSQL, by triggers).
"""
import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


ERR_APPEND_ONLY = "审计记录只能追加，不能修改或删除。"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused: history is never rewritten through the ORM."""

    def update(self, **kwargs):
        raise AppendOnlyError(ERR_APPEND_ONLY)

    def delete(self):
        raise AppendOnlyError(ERR_APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(ERR_APPEND_ONLY)

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(ERR_APPEND_ONLY)

    _update = update  # used by Model.save() on an existing row
    _raw_delete = delete  # used by the deletion collector

    delete.queryset_only = True
    _raw_delete.queryset_only = True


class AuditChainHead(models.Model):
    """The sealer's state: the end of the sealed chain. Locked only by the sealer
    (one sealer at a time), never by the services that record events."""

    last_digest = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)  # position of the last sealed event


class AuditEvent(models.Model):
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
    # Set by the database on PostgreSQL (trigger): the inserting transaction, which
    # tells the sealer when every earlier event is final (see audit.sealing).
    txid = models.BigIntegerField(null=True, blank=True, editable=False)
    # The chain, set once by the sealer.
    position = models.BigIntegerField(_("链上位置"), null=True, blank=True, unique=True, editable=False)
    prev_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    digest = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"], name="audit_event_object_idx"),
            models.Index(fields=["agency", "at"], name="audit_event_agency_at_idx"),
            models.Index(fields=["txid", "id"], condition=models.Q(position__isnull=True),
                         name="audit_event_unsealed_idx"),
        ]

    @property
    def sequence(self) -> int:
        """The event's number (taken from the database sequence when it was recorded)."""
        return self.pk

    @property
    def sealed(self) -> bool:
        return self.position is not None

    def __str__(self):
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def content(self) -> dict:
        """What the digest covers: everything recorded about the event."""
        return {
            "id": self.pk,
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
            **({"actor_detail": self.actor_detail} if self.actor_detail is not None else {}),
        }

    def canonical(self) -> str:
        return canonical_content(self.content())

    def chain_digest(self, prev_digest: str) -> str:
        return chain_digest(prev_digest, self.canonical())

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(ERR_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(ERR_APPEND_ONLY)


def canonical_content(content: dict) -> str:
    """The event's content as the one string its digest covers."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def chain_digest(prev_digest: str, canonical: str) -> str:
    """digest = SHA-256(prev_digest || canonical content); anyone can recompute it."""
    return hashlib.sha256((prev_digest + "\n" + canonical).encode("utf-8")).hexdigest()


class AuditCheckpoint(models.Model):
    """The end of one sealed batch, signed (HMAC-SHA256, key from the environment) and
    also appended to the checkpoint file outside the database."""

    position = models.BigIntegerField(_("链上位置"), unique=True)  # = number of sealed events
    last_event = models.BigIntegerField(_("最后事件编号"))
    digest = models.CharField(_("摘要"), max_length=64)
    count = models.IntegerField(_("本批事件数"))
    at = models.DateTimeField(_("封存时间"))
    key_id = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")

    def __str__(self):
        return f"检查点 {self.position}（事件 #{self.last_event}）"

    def payload(self) -> dict:
        return {
            "position": self.position,
            "last_event": self.last_event,
            "digest": self.digest,
            "count": self.count,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(ERR_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(ERR_APPEND_ONLY)


class AuditVerification(models.Model):
    """One run of `audit_verify`, so the auditors' page can show the chain's state
    without re-reading the whole record on every visit (informational: the proof is
    the command itself, run against the checkpoint file)."""

    at = models.DateTimeField(_("核验时间"))
    ok = models.BooleanField(_("完好"))
    count = models.BigIntegerField(_("已核验事件数"), default=0)
    position = models.BigIntegerField(_("核验至链上位置"), null=True, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    message = models.TextField(_("发现的问题"), blank=True)
    event_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("审计核验")
        verbose_name_plural = _("审计核验")
