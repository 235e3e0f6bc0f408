"""Log-ins, log-outs and failed log-ins in the audit record (GB/T 22239-2019 8.1.4.3 安全审计).

The password never reaches the record: Django replaces it in `credentials` before the
signal, and only the user name that was typed is kept."""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from audit.clients import client_address
from audit.services import audit_record


def _detail(request, **extra) -> dict:
    detail = {"address": client_address(request)}
    if request is not None:
        detail["user_agent"] = request.META.get("HTTP_USER_AGENT", "")[:200]
    detail.update(extra)
    return detail


def _agency(user):
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return getattr(profile, "agency", None)


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        import time

        from .middleware import IDLE_KEY, SIGNED_IN_KEY

        request.session[SIGNED_IN_KEY] = request.session[IDLE_KEY] = int(time.time())
    with transaction.atomic():
        audit_record(actor=user, action="staff.logged_in", obj=user, object_repr=user.get_username(),
                     agency=_agency(user), actor_detail=_detail(request))


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    with transaction.atomic():
        audit_record(actor=user, action="staff.logged_out", obj=user, object_repr=user.get_username(),
                     agency=_agency(user), actor_detail=_detail(request))


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        audit_record(actor=None, actor_label=f"未登录（用户名 {username}）"[:150], action="staff.login_failed",
                     object_type="auth.user", object_id="", object_repr=username,
                     actor_detail=_detail(request, username=username))
