"""Issuing and revoking API keys (by the agency's administrator) and noting their use."""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from agencies import roles
from agencies.models import Agency, Department, StaffProfile
from agencies.selectors import SERVICE_ACCOUNT_PREFIX
from agencies.services import _require_admin
from audit.services import audit_record

from .models import ApiKey

ERR_NAME = "请填写调用方系统的名称。"
ERR_SCOPE = "请选择密钥的权限范围。"
ERR_REVOKED = "该密钥已经吊销。"
ERR_NOT_ADMIN = "只有本机关的系统管理员可以签发或吊销接口密钥。"
ERR_ROLES = "只能为“全部”范围的密钥选择办理角色，且只能从列出的角色中选择。"
ERR_KEY_DEPARTMENT = "密钥所属部门必须是本机关的部门。"

KEY_START = "ogi"
# What a key's account may do, by scope (the services check the roles as for staff):
# intake pushes applications (a registrar enters non-online channels); read sees the
# whole agency, changes nothing (the auditor's reading rights); full also registers and
# routes (the registrar's steps). The API narrows `intake` further (see api.permissions).
SCOPE_ROLES = {ApiKey.INTAKE: [roles.REGISTRAR], ApiKey.READ: [roles.AUDITOR], ApiKey.FULL: [roles.REGISTRAR]}
# A full key may instead act in the roles its administrator grants at issue (the steps of
# a handler, reviewer or the person in charge); the services then check them, with the
# key's department, exactly as for a person. `CALENDAR` is the calendar keeper's right
# alone (legal.manage_calendar), not the whole administrator role.
CALENDAR = "calendar"
KEY_ROLES = [roles.REGISTRAR, roles.HANDLER, roles.CONFIDENTIALITY_REVIEWER, roles.PERSON_IN_CHARGE]
KEY_GRANTS = {**{r: roles.ROLE_LABELS[r] for r in KEY_ROLES}, CALENDAR: "工作日日历维护"}
CALENDAR_PERMISSION = ("legal", "manage_calendar")


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


def _key_grants(scope: str, grants) -> list[str]:
    if grants is None:  # the registrar's steps, as before roles could be chosen
        return list(SCOPE_ROLES[scope])
    grants = list(dict.fromkeys(grants))
    if scope != ApiKey.FULL or not grants or any(g not in KEY_GRANTS for g in grants):
        raise ValidationError(ERR_ROLES)
    return grants


def api_key_grants(key: ApiKey) -> list[str]:
    """What the key's account may do, in words, for the key page: its roles and rights."""
    names = set(key.account.groups.values_list("name", flat=True))
    out = [str(roles.ROLE_LABELS[r]) for r in roles.ROLE_LABELS if r in names]
    if key.account.user_permissions.filter(content_type__app_label=CALENDAR_PERMISSION[0],
                                           codename=CALENDAR_PERMISSION[1]).exists():
        out.append(KEY_GRANTS[CALENDAR])
    return out


@transaction.atomic
def api_key_issue(*, actor, agency: Agency, name: str, scope: str, grants=None,
                  department: Department | None = None) -> tuple[ApiKey, str]:
    """A new key for another system of the agency. Returns the key and its full text,
    which is shown once and never stored. A full key acts in the roles of `grants`
    (default: the registrar's) and, for a handler's steps, in `department`."""
    _require_key_admin(actor, agency)
    name = (name or "").strip()
    if not name:
        raise ValidationError(ERR_NAME)
    if scope not in SCOPE_ROLES:
        raise ValidationError(ERR_SCOPE)
    grants = _key_grants(scope, grants)
    if department is not None and (department.agency_id != agency.pk or scope != ApiKey.FULL):
        raise ValidationError(ERR_KEY_DEPARTMENT)
    roles.ensure_roles()
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32).replace("_", "-")
    account = get_user_model()(username=f"{SERVICE_ACCOUNT_PREFIX}{prefix}", first_name=f"接口密钥「{name[:80]}」",
                               is_staff=False)
    account.set_unusable_password()
    account.save()
    account.groups.set(Group.objects.filter(name__in=[g for g in grants if g != CALENDAR]))
    if CALENDAR in grants:
        account.user_permissions.add(Permission.objects.get(content_type__app_label=CALENDAR_PERMISSION[0],
                                                            codename=CALENDAR_PERMISSION[1]))
    StaffProfile.objects.create(user=account, agency=agency, department=department, title="接口调用")
    key = ApiKey(agency=agency, name=name, scope=scope, prefix=prefix, secret_hash=secret_hash(secret),
                 account=account, created_by=actor)
    key.full_clean()
    key.save()
    audit_record(actor=actor, action="api_key.issued", obj=key, agency=agency,
                 after={"name": name, "scope": scope, "prefix": prefix, "roles": grants,
                        "department": department.pk if department else None})
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
