"""Who must give a one-time code, and the TOTP devices they give it with."""
from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "身份验证器"


def otp_exempt(user) -> bool:
    # Only the demo log-ins, and only where the demo exemption is switched on (never in production).
    if not settings.OTP_DEMO_EXEMPT:
        return False
    from agencies.demo import DEMO_USERNAMES

    return user.get_username() in DEMO_USERNAMES


def user_has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, kept across page loads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
