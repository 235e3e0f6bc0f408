"""API keys of an agency and the pushes they made (for `Idempotency-Key`)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key another system of the agency calls the API with. Only a keyed hash of the
    secret is kept; the `prefix` finds the row. Each key acts through its own account
    (`account`, no password, roles by scope, or for a full key those granted at issue), so the services check and record it as
    they do any staff member; it is never deleted, only revoked."""

    INTAKE, READ, FULL = "intake", "read", "full"
    SCOPES = [(INTAKE, _("仅推送申请")), (READ, _("只读")), (FULL, _("全部（推送、查询、办理）"))]

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="api_keys",
                               verbose_name=_("机关"))
    name = models.CharField(_("名称"), max_length=100, help_text=_("调用方系统，如“省政务服务网”"))
    scope = models.CharField(_("权限范围"), max_length=10, choices=SCOPES)
    prefix = models.CharField(_("密钥编号"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("签发人"))
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("吊销人"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self):
        return f"{self.name}（{self.prefix}）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiPush(models.Model):
    """An application pushed through the API. With an `Idempotency-Key` the first answer
    is kept and replayed to a retry of the same push (one key per agency)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="pushes")
    idempotency_key = models.CharField(max_length=200, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)
    request = models.ForeignKey("workflows.DisclosureRequest", null=True, on_delete=models.PROTECT,
                                related_name="api_pushes")
    status_code = models.PositiveSmallIntegerField(default=201)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "idempotency_key"], name="api_push_idempotency_unique",
                                               condition=~Q(idempotency_key=""))]
