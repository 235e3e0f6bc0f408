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
ERR_SEAL_NOT_PNG = "印章图片须为 PNG 格式。"
ERR_SEAL_NO_TRANSPARENCY = "印章图片须为透明背景（带透明通道的 PNG），以便压盖在署名和日期上。"
ERR_SEAL_SIZE = "印章图片过大或过小：文件不超过 1 MB，边长 200 至 2000 像素。"
SEAL_MAX_BYTES = 1024 * 1024


def _require_admin(actor) -> None:
    if actor is not None and not (actor.is_superuser or has_role(actor, ADMINISTRATOR)):
        raise PermissionDenied(ERR_NOT_ADMIN)


@transaction.atomic
def agency_create(*, actor, name: str, short_name: str, ogi_office: str, address: str, phone: str,
                  reconsideration_body: str, court: str, **extra) -> Agency:
    _require_admin(actor)
    agency = Agency(name=name, short_name=short_name, ogi_office=ogi_office, address=address, phone=phone,
                    reconsideration_body=reconsideration_body, court=court, **extra)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, action="agency.created", obj=agency, agency=agency, after={"name": name})
    return agency


@transaction.atomic
def department_create(*, actor, agency: Agency, name: str, code: str) -> Department:
    _require_admin(actor)
    dept = Department(agency=agency, name=name, code=code)
    dept.full_clean()
    dept.save()
    audit_record(actor=actor, action="department.created", obj=dept, agency=agency, after={"name": name})
    return dept


@transaction.atomic
def staff_create(*, actor, username: str, password: str, full_name: str, agency: Agency,
                 roles: list[str], department: Department | None = None, title: str = "", email: str = ""):
    _require_admin(actor)
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
    _require_admin(actor)
    if data is not None:
        check_seal(data)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = hashlib.sha256(bytes(agency.seal_png)).hexdigest() if agency.seal_png else None
    agency.seal_png = data
    agency.save(update_fields=["seal_png"])
    audit_record(actor=actor, action="agency.seal_set", obj=agency, agency=agency, before={"seal_sha256": before},
                 after={"seal_sha256": hashlib.sha256(data).hexdigest() if data else None})
    return agency
