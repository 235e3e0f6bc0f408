"""Issuing and revoking API keys (by the agency's administrator) and noting their use."""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from agencies import roles
from agencies.models import Agency, StaffProfile
from agencies.selectors import SERVICE_ACCOUNT_PREFIX
from agencies.services import _require_admin
from audit.services import audit_record

from .models import ApiKey

ERR_NAME = "请填写调用方系统的名称。"
ERR_SCOPE = "请选择密钥的权限范围。"
ERR_REVOKED = "该密钥已经吊销。"
ERR_NOT_ADMIN = "只有本机关的系统管理员可以签发或吊销接口密钥。"

KEY_START = "ogi"
# What a key's account may do, by scope (the services check the roles as for staff):
# intake pushes applications (a registrar enters non-online channels); read sees the
# whole agency, changes nothing (the auditor's reading rights); full also registers and
# routes (the registrar's steps). The API narrows `intake` further (see api.permissions).
SCOPE_ROLES = {ApiKey.INTAKE: [roles.REGISTRAR], ApiKey.READ: [roles.AUDITOR], ApiKey.FULL: [roles.REGISTRAR]}


def secret_hash(secret: str) -> str:
    """HMAC-SHA256 of the secret under the installation's SECRET_KEY: a random 32-byte
    secret needs no slow password hash, and a copy of the table alone opens nothing."""
    return salted_hmac("ogi.api.key", secret, algorithm="sha256").hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    parts = (raw or "").strip().split("_")
    if len(parts) != 3 or parts[0] != KEY_START or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def api_key_find(raw: str) -> ApiKey | None:
    """The active key `raw` names, or None (unknown, wrong secret, revoked)."""
    parts = split_key(raw)
    if parts is None:
        secret_hash("timing-equaliser")
        return None
    prefix, secret = parts
    key = ApiKey.objects.select_related("agency", "account").filter(prefix=prefix).first()
    expected = key.secret_hash if key is not None else secret_hash("timing-equaliser")
    if not constant_time_compare(expected, secret_hash(secret)) or key is None or not key.is_active:
        return None
    return key


def _require_key_admin(actor, agency: Agency) -> None:
    try:
        _require_admin(actor, agency)
    except PermissionDenied as exc:
        raise PermissionDenied(ERR_NOT_ADMIN) from exc


@transaction.atomic
def api_key_issue(*, actor, agency: Agency, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key for another system of the agency. Returns the key and its full text,
    which is shown once and never stored."""
    _require_key_admin(actor, agency)
    name = (name or "").strip()
    if not name:
        raise ValidationError(ERR_NAME)
    if scope not in SCOPE_ROLES:
        raise ValidationError(ERR_SCOPE)
    roles.ensure_roles()
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32).replace("_", "-")
    account = get_user_model()(username=f"{SERVICE_ACCOUNT_PREFIX}{prefix}", first_name=f"接口密钥「{name[:80]}」",
                               is_staff=False)
    account.set_unusable_password()
    account.save()
    account.groups.set(Group.objects.filter(name__in=SCOPE_ROLES[scope]))
    StaffProfile.objects.create(user=account, agency=agency, title="接口调用")
    key = ApiKey(agency=agency, name=name, scope=scope, prefix=prefix, secret_hash=secret_hash(secret),
                 account=account, created_by=actor)
    key.full_clean()
    key.save()
    audit_record(actor=actor, action="api_key.issued", obj=key, agency=agency,
                 after={"name": name, "scope": scope, "prefix": prefix})
    return key, f"{KEY_START}_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(*, actor, key: ApiKey) -> ApiKey:
    """The key stops working at once; its account is closed; the record stays."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    _require_key_admin(actor, key.agency)
    if key.revoked_at is not None:
        raise ValidationError(ERR_REVOKED)
    key.revoked_at, key.revoked_by = timezone.now(), actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    key.account.is_active = False
    key.account.save(update_fields=["is_active"])
    audit_record(actor=actor, action="api_key.revoked", obj=key, agency=key.agency,
                 before={"revoked": False}, after={"revoked": True})
    return key


@transaction.atomic
def api_call_record(*, key: ApiKey, method: str, path: str, status: int, client: str = "") -> None:
    """Every call with a key is recorded, the key's account as actor, and its last use noted."""
    now = timezone.now()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    audit_record(actor=key.account, action="api.called", object_type="api.apikey", object_id=str(key.pk),
                 object_repr=str(key)[:300], agency=key.agency,
                 after={"method": method, "path": path[:300], "status": status},
                 actor_detail={"api_key": key.prefix, "client": client})
