"""An agency's administrator keeps the agency's own details and seal in the staff UI;
nobody reaches another agency's (the Django admin is the platform administrators')."""
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from agencies import roles
from agencies.models import Agency
from agencies.services import (
    ERR_OTHER_AGENCY,
    ERR_PLATFORM_ONLY,
    agency_create,
    agency_seal_set,
    department_create,
    staff_create,
)
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/staff/agency/agency_settings/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def settings_data(agency, **changes):
    data = {f: getattr(agency, f) for f in ("ogi_office", "address", "postcode", "phone", "email", "website",
                                            "reconsideration_body", "court")}
    data.update(changes)
    return data


def test_the_agency_administrator_changes_the_court_in_the_staff_ui(agency, make_staff):
    admin = make_staff(roles.ADMINISTRATOR, full_name="陈管理")
    client = logged_in(admin)
    page = client.get(URL)
    assert page.status_code == 200 and agency.name in page.content.decode()
    resp = client.post(URL, settings_data(agency, court="平顶山市新华区人民法院"))
    assert resp.status_code == 302
    assert Agency.objects.get(pk=agency.pk).court == "平顶山市新华区人民法院"
    event = AuditEvent.objects.get(action="agency.updated")
    assert event.before == {"court": "平顶山市湛河区人民法院"} and event.actor_label == "陈管理"


def test_other_staff_cannot_open_the_agency_settings(make_staff):
    assert logged_in(make_staff(roles.HANDLER)).get(URL).status_code == 403
    assert logged_in(make_staff(roles.PERSON_IN_CHARGE)).get(URL).status_code == 403


def test_an_agency_administrator_cannot_touch_another_agency(agency, other_agency, make_staff):
    b_admin = make_staff(roles.ADMINISTRATOR, agency_=other_agency, department_=department_create(
        actor=None, agency=other_agency, name="政务公开股", code="ogi"))
    with pytest.raises(PermissionDenied) as exc:
        agency_seal_set(actor=b_admin, agency=agency, data=None)
    assert exc.value.args[0] == ERR_OTHER_AGENCY
    with pytest.raises(PermissionDenied):
        department_create(actor=b_admin, agency=agency, name="后门科", code="x")
    with pytest.raises(PermissionDenied):
        staff_create(actor=b_admin, username="mole", password="pw-for-tests-123", full_name="内线", agency=agency,
                     roles=[roles.PERSON_IN_CHARGE])
    with pytest.raises(PermissionDenied) as exc:
        agency_create(actor=b_admin, name="新机关", short_name="新", ogi_office="办公室", address="某地", phone="1",
                      reconsideration_body="某政府", court="某法院")
    assert exc.value.args[0] == ERR_PLATFORM_ONLY
    # the settings page shows and changes only the administrator's own agency
    page = logged_in(b_admin).get(URL).content.decode()
    assert other_agency.name in page and agency.name not in page


PEOPLE = "/staff/agency/people/"


def test_the_administrator_adds_a_department_and_a_colleague(agency, make_staff):
    from django.contrib.auth import get_user_model

    client = logged_in(make_staff(roles.ADMINISTRATOR, full_name="陈管理"))
    assert client.post(PEOPLE, {"form": "department", "name": "财政局", "code": "finance"}).status_code == 302
    finance = agency.departments.get(code="finance")
    resp = client.post(PEOPLE, {"form": "staff", "username": "liu", "full_name": "刘承办", "department": finance.pk,
                                "roles": [roles.HANDLER], "email": "", "password": "Gk-2026-shilong!"})
    assert resp.status_code == 302
    liu = get_user_model().objects.get(username="liu")
    assert not liu.is_staff and liu.staff_profile.agency == agency and liu.staff_profile.department == finance
    assert liu.has_perm("workflows.handle_request")
    assert AuditEvent.objects.get(action="staff.created", object_id=str(liu.pk)).actor_label == "陈管理"
    page = client.get(PEOPLE).content.decode()
    assert "刘承办" in page and "财政局" in page


def test_the_administrator_changes_roles_and_closes_an_account(agency, make_staff, department):
    client = logged_in(make_staff(roles.ADMINISTRATOR, full_name="陈管理"))
    colleague = make_staff(roles.HANDLER, full_name="王承办")
    url = f"{PEOPLE}{colleague.pk}/"
    assert "王承办" in client.get(url).content.decode()
    resp = client.post(url, {"department": department.pk, "roles": [roles.REGISTRAR]})  # is_active unticked
    assert resp.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert set(colleague.groups.values_list("name", flat=True)) == {roles.REGISTRAR}
    event = AuditEvent.objects.get(action="staff.updated", object_id=str(colleague.pk))
    assert event.before["roles"] == [roles.HANDLER] and event.after == {
        "roles": [roles.REGISTRAR], "department": department.pk, "is_active": False}


def test_the_people_pages_stay_inside_the_agency(agency, other_agency, make_staff):
    colleague = make_staff(roles.HANDLER, full_name="王承办")
    b_admin = make_staff(roles.ADMINISTRATOR, agency_=other_agency, department_=department_create(
        actor=None, agency=other_agency, name="政务公开股", code="ogi"))
    client = logged_in(b_admin)
    assert client.get(f"{PEOPLE}{colleague.pk}/").status_code == 404
    assert "王承办" not in client.get(PEOPLE).content.decode()
    assert logged_in(colleague).get(PEOPLE).status_code == 403
