"""Creating agencies, departments and staff. Used by the admin, seed_demo and tests."""
from __future__ import annotations

import hashlib
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from audit.services import audit_record

from .models import Agency, Department, StaffProfile
from .roles import ADMINISTRATOR, ROLE_PERMISSIONS, ensure_roles, has_role

ERR_NOT_ADMIN = "只有系统管理员可以维护机关、部门和工作人员。"
ERR_OTHER_AGENCY = "只能维护本机关的部门、工作人员和设置。"
ERR_PLATFORM_ONLY = "新增机关由平台管理员办理。"
ERR_SELF_CLOSE = "不能停用自己的账号。"
ERR_SEAL_NOT_PNG = "印章图片须为 PNG 格式。"
ERR_SEAL_NO_TRANSPARENCY = "印章图片须为透明背景（带透明通道的 PNG），以便压盖在署名和日期上。"
ERR_SEAL_SIZE = "印章图片过大或过小：文件不超过 1 MB，边长 200 至 2000 像素。"
SEAL_MAX_BYTES = 1024 * 1024


def _require_admin(actor, agency: Agency | None) -> None:
    """The platform administrator (superuser) for any agency; an agency's 系统管理员 for
    that agency only. `agency=None`: a platform operation (a new agency)."""
    if actor is None or actor.is_superuser:
        return
    if not has_role(actor, ADMINISTRATOR):
        raise PermissionDenied(ERR_NOT_ADMIN)
    if agency is None:
        raise PermissionDenied(ERR_PLATFORM_ONLY)
    profile = StaffProfile.objects.filter(user=actor).only("agency_id").first()
    if profile is None or profile.agency_id != agency.pk:
        raise PermissionDenied(ERR_OTHER_AGENCY)


@transaction.atomic
def agency_create(*, actor, name: str, short_name: str, ogi_office: str, address: str, phone: str,
                  reconsideration_body: str, court: str, **extra) -> Agency:
    _require_admin(actor, None)
    agency = Agency(name=name, short_name=short_name, ogi_office=ogi_office, address=address, phone=phone,
                    reconsideration_body=reconsideration_body, court=court, **extra)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="agency.created", obj=agency, agency=agency, after={"name": name})
    return agency


# What an agency's own administrator keeps up to date (the remedy sentence of every reply
# reads `reconsideration_body` and `court`); name changes and closing an agency are the platform's.
AGENCY_SETTINGS = ("ogi_office", "address", "postcode", "phone", "email", "website", "reconsideration_body", "court")


@transaction.atomic
def agency_update(*, actor, agency: Agency, **fields) -> Agency:
    """The agency's own details, changed by its administrator (or the platform's)."""
    _require_admin(actor, agency)
    unknown = set(fields) - set(AGENCY_SETTINGS)
    if unknown:
        raise ValueError(f"not an agency setting: {sorted(unknown)}")
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = {f: getattr(agency, f) for f in fields}
    for name, value in fields.items():
        setattr(agency, name, value)
    agency.full_clean()
    changed = [f for f in fields if before[f] != getattr(agency, f)]
    if changed:
        agency.save(update_fields=changed)
        audit_record(actor=actor, action="agency.updated", obj=agency, agency=agency,
                     before={f: before[f] for f in changed}, after={f: getattr(agency, f) for f in changed})
    return agency


@transaction.atomic
def department_create(*, actor, agency: Agency, name: str, code: str) -> Department:
    _require_admin(actor, agency)
    dept = Department(agency=agency, name=name, code=code)
    dept.full_clean()
    dept.save()
    audit_record(actor=actor, action="department.created", obj=dept, agency=agency, after={"name": name})
    return dept


@transaction.atomic
def staff_create(*, actor, username: str, password: str, full_name: str, agency: Agency,
                 roles: list[str], department: Department | None = None, title: str = "", email: str = ""):
    _require_admin(actor, agency)
    ensure_roles()
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if department is not None and department.agency_id != agency.pk:
        raise ValueError("department belongs to another agency")
    User = get_user_model()
    # Agency staff work in the staff UI; `is_staff` (the Django admin) is for platform administrators only.
    user = User(username=username, first_name=full_name, email=email, is_staff=False)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    StaffProfile.objects.create(user=user, agency=agency, department=department, title=title)
    audit_record(actor=actor, action="staff.created", obj=user, object_repr=full_name, agency=agency,
                 after={"username": username, "roles": sorted(roles), "department": department.pk if department else None})
    return user


@transaction.atomic
def staff_update(*, actor, user, roles: list[str], department: Department | None, is_active: bool):
    """An agency's administrator changes a colleague's roles, department, or closes the
    account (never deleted: the audit record names it)."""
    profile = StaffProfile.objects.select_for_update().select_related("agency").get(user=user)
    _require_admin(actor, profile.agency)
    unknown = set(roles) - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if department is not None and department.agency_id != profile.agency_id:
        raise PermissionDenied(ERR_OTHER_AGENCY)
    if actor is not None and actor.pk == user.pk and not is_active:
        raise ValidationError(ERR_SELF_CLOSE)
    before = {"roles": sorted(user.groups.values_list("name", flat=True)), "department": profile.department_id,
              "is_active": user.is_active}
    user.groups.set(Group.objects.filter(name__in=roles))
    profile.department = department
    profile.save(update_fields=["department"])
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    after = {"roles": sorted(roles), "department": department.pk if department else None, "is_active": is_active}
    audit_record(actor=actor, action="staff.updated", obj=user, object_repr=user.get_full_name() or user.username,
                 agency=profile.agency, before=before, after=after)
    return user


def check_seal(data: bytes) -> None:
    """The upload is parsed, not trusted by its name: a PNG with an alpha channel."""
    if len(data) > SEAL_MAX_BYTES:
        raise ValidationError(ERR_SEAL_SIZE)
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(ERR_SEAL_NOT_PNG) from exc
    if image.format != "PNG":
        raise ValidationError(ERR_SEAL_NOT_PNG)
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        raise ValidationError(ERR_SEAL_NO_TRANSPARENCY)
    if not (200 <= min(image.size) and max(image.size) <= 2000):
        raise ValidationError(ERR_SEAL_SIZE)


@transaction.atomic
def agency_seal_set(*, actor, agency: Agency, data: bytes | None) -> Agency:
    """Upload (or with `data=None` remove) the agency's seal image for issued documents."""
    _require_admin(actor, agency)
    if data is not None:
        check_seal(data)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = hashlib.sha256(bytes(agency.seal_png)).hexdigest() if agency.seal_png else None
    agency.seal_png = data
    agency.save(update_fields=["seal_png"])
    audit_record(actor=actor, action="agency.seal_set", obj=agency, agency=agency, before={"seal_sha256": before},
                 after={"seal_sha256": hashlib.sha256(data).hexdigest() if data else None})
    return agency
