"""Creating agencies, departments and staff. Used by the admin, seed_demo and tests."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit_record

from .models import Agency, Department, StaffProfile
from .roles import ADMINISTRATOR, ROLE_PERMISSIONS, ensure_roles, has_role

ERR_NOT_ADMIN = "只有系统管理员可以维护机关、部门和工作人员。"


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
    user = User(username=username, first_name=full_name, email=email, is_staff=True)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    StaffProfile.objects.create(user=user, agency=agency, department=department, title=title)
    audit_record(actor=actor, action="staff.created", obj=user, object_repr=full_name, agency=agency,
                 after={"username": username, "roles": sorted(roles), "department": department.pk if department else None})
    return user
