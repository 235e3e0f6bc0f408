"""The outbox: every message is a row first, written in the transaction of the change
that causes it, then delivered by Celery. The idempotency key makes enqueueing and
delivery happen at most once per logical message."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    EMAIL, SMS, INAPP = "email", "sms", "inapp"
    CHANNELS = [(EMAIL, _("电子邮件")), (SMS, _("短信")), (INAPP, _("站内通知"))]
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUSES = [(PENDING, _("待发送")), (SENT, _("已发送")), (FAILED, _("发送失败"))]

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=CHANNELS)
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="messages", verbose_name=_("收件人"))
    to_address = models.CharField(_("地址/号码"), max_length=200, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # While one worker talks to the mail or SMS server (outside any transaction), no other
    # worker sends the message; a worker that died mid-send frees it when this time passes.
    sending_until = models.DateTimeField(_("发送中（至）"), null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="message_object_idx")]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")

    def __str__(self):
        return f"[{self.get_channel_display()}] {self.subject}"
