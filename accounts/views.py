"""The second factor (TOTP) pages and the locked-out page."""
from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record

from .otp import pending_device, user_has_device
from .signals import _agency, _detail

OTP_WRONG_CODE = "验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。"
OTP_TOO_FAST = "验证码错误次数较多，请 %(seconds)d 秒后再试。"
LOCKED_OUT = "登录失败次数过多，该账号在本地址已被暂时锁定，请 %(minutes)d 分钟后再试，或联系系统管理员解锁。"
LOCKED_OUT_NO_COOLOFF = "登录失败次数过多，该账号在本地址已被锁定，请联系系统管理员解锁。"


class TokenForm(forms.Form):
    token = forms.CharField(label="验证码", min_length=6, max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/staff/"


def _allowed(device) -> tuple[bool, str]:
    """django-otp slows guessing down (1 s, 2 s, 4 s… after each wrong code); say so in words."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return True, ""
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    return False, OTP_TOO_FAST % {"seconds": seconds}


@login_required
def otp_enrol(request):
    """Enrol a TOTP app: the QR code and the secret as text, then one code to confirm it."""
    if user_has_device(request.user):
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next(request)})}")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, wait = _allowed(device)
        if not allowed:
            form.add_error("token", wait)
        elif device.verify_token(form.cleaned_data["token"].strip()):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=request.user, action="staff.otp_enrolled", obj=request.user,
                             object_repr=request.user.get_username(), agency=_agency(request.user),
                             actor_detail=_detail(request))
            otp_login(request, device)
            return redirect(_next(request))
        else:
            form.add_error("token", OTP_WRONG_CODE)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "qr_svg": mark_safe(qr_svg),  # segno's own SVG markup, no user text in it
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "next": _next(request),
    })


@login_required
def otp_verify(request):
    """The code from the enrolled authenticator, once per log-in."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:otp_enrol')}?{urlencode({'next': _next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        waits = [w for allowed, w in map(_allowed, devices) if not allowed]
        device = None if waits else next((d for d in devices if d.verify_token(token)), None)
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        with transaction.atomic():
            audit_record(actor=request.user, action="staff.otp_failed", obj=request.user,
                         object_repr=request.user.get_username(), agency=_agency(request.user),
                         actor_detail=_detail(request))
        form.add_error("token", waits[0] if waits else OTP_WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when a user name and address have failed too often: the
    log-in page again, with the reason in words and no way to try the password."""
    from django.conf import settings

    cooloff = settings.AXES_COOLOFF_TIME
    if cooloff:
        message = LOCKED_OUT % {"minutes": max(1, int(cooloff.total_seconds() // 60))}
    else:
        message = LOCKED_OUT_NO_COOLOFF
    return render(request, "registration/login.html",
                  {"form": AuthenticationForm(request), "lockout_message": message},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
