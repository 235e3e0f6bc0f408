"""Session rules for staff (GB/T 22239-2019 8.1.4.1): a session ends after a spell of
inactivity (SESSION_IDLE_TIMEOUT) and in any case SESSION_COOKIE_AGE after the log-in; a staff
member who has given the password but not the one-time code reaches only the pages that
ask for the code."""
from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .otp import otp_exempt, user_has_device

IDLE_KEY = "accounts_last_seen"
SIGNED_IN_KEY = "accounts_signed_in_at"
SESSION_IDLE_EXPIRED = "长时间未操作，已自动退出登录，请重新登录。"
SESSION_TOO_OLD = "登录已超过 %(hours)s 小时，请重新登录。"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY)
            signed_in_at = request.session.get(SIGNED_IN_KEY)
            # Django renews the session's expiry whenever it is saved; the age counts from the log-in.
            if signed_in_at is not None and now - int(signed_in_at) > settings.SESSION_COOKIE_AGE:
                return self._end(request, SESSION_TOO_OLD % {"hours": f"{settings.SESSION_COOKIE_AGE / 3600:g}"})
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT:
                return self._end(request, SESSION_IDLE_EXPIRED)
            if last_seen is None or now - int(last_seen) >= 60:  # minute precision: not a session write per request
                request.session[IDLE_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _end(request, message: str):
        next_url = request.get_full_path()
        logout(request)
        messages.warning(request, message)
        return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': next_url})}")


# Pages a half-logged-in staff member may reach: the code pages, log-out, assets, language.
def _open_prefixes() -> tuple[str, ...]:
    return (
        reverse("accounts:otp_enrol"), reverse("accounts:otp_verify"), settings.LOGIN_URL,
        "/staff/accounts/logout/", settings.STATIC_URL, "/i18n/",
    )


class SecondFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware: without a verified device, a signed-in user is
    sent to enrol a TOTP device (none yet) or to enter the code (one confirmed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not otp_exempt(user)
            and not request.path.startswith(_open_prefixes())
        ):
            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
