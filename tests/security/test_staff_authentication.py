"""Staff log-in as 等保 2.0 三级 asks (GB/T 22239-2019 8.1.4.1, 8.1.4.3): lock-out,
a second factor, password rules, session limits, HTTPS settings and the audit record."""
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import IDLE_KEY, SESSION_IDLE_EXPIRED, SESSION_TOO_OLD, SIGNED_IN_KEY
from accounts.validators import PASSWORD_TOO_FEW_CLASSES, PASSWORD_TOO_SHORT
from accounts.views import OTP_WRONG_CODE
from agencies import roles
from audit.models import AuditEvent

LOGIN = "/staff/accounts/login/"
PASSWORD = "pw-for-tests-123"
ROOT = Path(__file__).resolve().parents[2]


def post_login(client, username, password, address="10.0.0.7", **kw):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **kw)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def unthrottle(device: TOTPDevice) -> None:
    """As if the seconds django-otp makes one wait after a wrong code had passed."""
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


# --- lock-out (django-axes) ---

def test_lock_out_after_the_configured_failures_even_with_the_right_password(client, make_staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_staff(roles.HANDLER, username="wang")
    for _ in range(2):
        resp = post_login(client, "wang", "wrong-password-1")
        assert resp.status_code == 200 and "_auth_user_id" not in client.session
    resp = post_login(client, "wang", "wrong-password-1")
    assert resp.status_code == 429
    assert "登录失败次数过多" in resp.content.decode()

    resp = post_login(client, "wang", PASSWORD)
    assert resp.status_code == 429
    assert "登录失败次数过多" in resp.content.decode() and "30 分钟后再试" in resp.content.decode()
    assert "_auth_user_id" not in client.session

    # The lock is per user name and address: the same person at another desk is not locked out.
    other = client.__class__()
    resp = post_login(other, "wang", PASSWORD, address="10.0.0.8")
    assert resp.status_code == 302 and other.session["_auth_user_id"] == str(user.pk)


def test_failed_log_ins_are_recorded_without_the_password(client, make_staff):
    make_staff(roles.HANDLER, username="wang")
    post_login(client, "wang", "Secret-guess-777")
    failure = AuditEvent.objects.get(action="staff.login_failed")
    assert failure.object_repr == "wang" and failure.actor is None
    assert failure.actor_label != "系统" and "wang" in failure.actor_label
    assert failure.actor_detail["address"] == "10.0.0.7"
    assert "Secret-guess-777" not in failure.canonical()


def test_log_in_and_log_out_are_recorded_with_the_address(client, make_staff, agency):
    user = make_staff(roles.HANDLER, username="wang")
    assert post_login(client, "wang", PASSWORD).status_code == 302
    client.post("/staff/accounts/logout/", REMOTE_ADDR="10.0.0.7")
    events = list(AuditEvent.objects.filter(action__in=["staff.logged_in", "staff.logged_out"]))
    assert [e.action for e in events] == ["staff.logged_in", "staff.logged_out"]
    assert all(e.actor == user and e.agency == agency and e.actor_detail["address"] == "10.0.0.7" for e in events)


# --- second factor (django-otp, TOTP) ---

@pytest.mark.otp_required
def test_staff_without_a_device_are_sent_to_enrol_and_get_in_after_one_code(client, make_staff):
    make_staff(roles.HANDLER, username="wang")
    resp = post_login(client, "wang", PASSWORD, follow=True)
    page = resp.content.decode()
    assert resp.redirect_chain[-1][0].startswith("/staff/accounts/otp/enrol/")
    assert "绑定身份验证器" in page and "<svg" in page  # the QR code
    device = TOTPDevice.objects.get(user__username="wang", confirmed=False)
    # The secret is also shown as text, for an app that cannot scan.
    from base64 import b32encode
    assert b32encode(device.bin_key).decode().rstrip("=")[:4] in page

    # Without a code the staff pages stay closed.
    assert client.get("/staff/").status_code == 302

    resp = client.post("/staff/accounts/otp/enrol/", {"token": "000000" if current_code(device) != "000000" else "111111",
                                                      "next": "/staff/"})
    assert OTP_WRONG_CODE in resp.content.decode()
    # Straight after a wrong code, django-otp makes the next try wait: the page says so.
    resp = client.post("/staff/accounts/otp/enrol/", {"token": current_code(device), "next": "/staff/"})
    assert "秒后再试" in resp.content.decode()

    unthrottle(device)
    resp = client.post("/staff/accounts/otp/enrol/", {"token": current_code(device), "next": "/staff/"})
    assert resp.status_code == 302 and resp["Location"] == "/staff/"
    assert TOTPDevice.objects.get(user__username="wang").confirmed
    resp = client.get("/staff/", follow=True)
    assert resp.status_code == 200 and not any("/otp/" in url for url, _ in resp.redirect_chain)
    assert AuditEvent.objects.filter(action="staff.otp_enrolled").count() == 1


@pytest.mark.otp_required
def test_staff_with_a_device_must_give_the_current_code(client, make_staff):
    user = make_staff(roles.HANDLER, username="wang")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    resp = post_login(client, "wang", PASSWORD, follow=True)
    assert resp.redirect_chain[-1][0].startswith("/staff/accounts/otp/verify/")
    assert "输入动态验证码" in resp.content.decode()
    # A page reached with the password alone is refused: back to the code.
    resp = client.get("/staff/workflow/")
    assert resp.status_code == 302 and resp["Location"].startswith("/staff/accounts/otp/verify/")

    resp = client.post("/staff/accounts/otp/verify/", {"token": "12345x", "next": "/staff/"})
    assert OTP_WRONG_CODE in resp.content.decode() or "验证码" in resp.content.decode()
    assert AuditEvent.objects.filter(action="staff.otp_failed").exists()

    unthrottle(device)
    resp = client.post("/staff/accounts/otp/verify/", {"token": current_code(device), "next": "/staff/workflow/"})
    assert resp.status_code == 302 and resp["Location"] == "/staff/workflow/"
    resp = client.get("/staff/workflow/")
    assert not (resp.status_code == 302 and "/otp/" in resp["Location"])


@pytest.mark.otp_required
def test_demo_log_ins_skip_the_code_only_when_the_demo_exemption_is_on(client, make_staff, settings):
    make_staff(roles.REGISTRAR, username="registrar")
    settings.OTP_DEMO_EXEMPT = True
    post_login(client, "registrar", PASSWORD)
    resp = client.get("/staff/")
    assert not (resp.status_code == 302 and "/otp/" in resp["Location"])

    settings.OTP_DEMO_EXEMPT = False
    resp = client.get("/staff/")
    assert resp.status_code == 302 and resp["Location"].startswith("/staff/accounts/otp/enrol/")


# --- passwords ---

@pytest.mark.parametrize("password, message", [
    ("73519046", "密码只包含数字"),
    ("Gk-2026", PASSWORD_TOO_SHORT % {"min_length": 10}),
    ("abcdefghijkl", PASSWORD_TOO_FEW_CLASSES % {"min_classes": 3}),
    ("Wangxiaoming-2026", "密码跟 用户名 太相似了"),
    ("Qwerty123456", "这个密码太常见了"),
])
def test_weak_passwords_are_refused_with_a_reason(make_staff, password, message):
    user = make_staff(roles.HANDLER, username="wangxiaoming")
    form = SetPasswordForm(user, {"new_password1": password, "new_password2": password})
    assert not form.is_valid()
    errors = " ".join(form.errors["new_password2"])
    assert message.replace(" ", "").rstrip("。") in errors.replace(" ", "")


def test_a_strong_password_is_accepted(make_staff):
    user = make_staff(roles.HANDLER, username="wangxiaoming")
    form = SetPasswordForm(user, {"new_password1": "公开-Shilong-2026", "new_password2": "公开-Shilong-2026"})
    assert form.is_valid(), form.errors


# --- sessions ---

def test_a_session_lasts_at_most_eight_hours(client, make_staff):
    make_staff(roles.HANDLER, username="wang")
    resp = post_login(client, "wang", PASSWORD)
    assert int(resp.cookies["sessionid"]["max-age"]) == 8 * 3600


def test_idle_session_ends_and_asks_for_the_password_again(client, make_staff, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    make_staff(roles.HANDLER, username="wang")
    post_login(client, "wang", PASSWORD)
    assert client.get("/staff/").status_code in (200, 302)
    assert IDLE_KEY in client.session

    session = client.session
    session[IDLE_KEY] = int(time.time()) - 31 * 60
    session.save()
    resp = client.get("/staff/workflow/", follow=True)
    assert resp.redirect_chain[0][0].startswith(LOGIN)
    assert SESSION_IDLE_EXPIRED in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="staff.logged_out").exists()


def test_a_busy_session_still_ends_eight_hours_after_log_in(client, make_staff):
    make_staff(roles.HANDLER, username="wang")
    post_login(client, "wang", PASSWORD)
    session = client.session
    session[SIGNED_IN_KEY] = int(time.time()) - 8 * 3600 - 60
    session[IDLE_KEY] = int(time.time()) - 60  # active a minute ago
    session.save()
    resp = client.get("/staff/workflow/", follow=True)
    assert resp.redirect_chain[0][0].startswith(LOGIN)
    assert SESSION_TOO_OLD % {"hours": "8"} in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_within_the_idle_limit_keeps_the_session(client, make_staff):
    make_staff(roles.HANDLER, username="wang")
    post_login(client, "wang", PASSWORD)
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 29 * 60
    session.save()
    resp = client.get("/staff/workflow/")
    assert not (resp.status_code == 302 and resp["Location"].startswith(LOGIN))
    assert "_auth_user_id" in client.session


# --- production settings ---

def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OGI_", "AUDIT_"))}
    env.update({
        "AUDIT_HMAC_KEY": secrets.token_hex(32),  # production keeps the checkpoint key outside the database
        "AUDIT_CHECKPOINT_FILE": str(tmp_path / "audit-checkpoints.jsonl"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECURE": "1",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "gk.shilong.gov.cn",
        "OGI_VAR_DIR": str(tmp_path),
    })
    env.update(extra)
    return env


def test_check_deploy_is_clean_in_production(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_production_requires_the_second_factor_even_if_the_demo_exemption_is_asked_for(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.OTP_REQUIRED, s.OTP_DEMO_EXEMPT, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)")
    env = production_env(tmp_path, OGI_OTP_DEMO_EXEMPT="1", OGI_OTP_REQUIRED="0")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.stdout.split() == ["True", "False", "True", "True", "31536000"], result.stderr
