"""Retention: the record is kept. Nothing in the admin deletes or changes it, and
deleting a person or an agency that appears in it is refused."""
import pytest
from django.db import transaction
from django.db.models import ProtectedError

from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_record, audit_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(agency, people):
    with transaction.atomic():
        e = audit_record(actor=people["registrar"], action="request.registered", obj=agency, reason="登记")
    audit_seal()
    return e


@pytest.fixture
def superuser_client(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-123")
    client.force_login(root)
    return client


def test_the_admin_shows_events_but_offers_no_way_to_change_or_delete_them(superuser_client, event):
    page = superuser_client.get("/admin/audit/auditevent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "request.registered" in html
    assert "delete_selected" not in html and "/admin/audit/auditevent/add/" not in html
    detail = superuser_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert superuser_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "改"}).status_code == 403
    assert superuser_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = superuser_client.post("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk]})
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk, reason="登记").exists()


def test_the_admin_cannot_delete_checkpoints(superuser_client, event):
    cp = AuditCheckpoint.objects.get()
    assert superuser_client.get("/admin/audit/auditcheckpoint/").status_code == 200
    assert superuser_client.post(f"/admin/audit/auditcheckpoint/{cp.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditCheckpoint.objects.filter(pk=cp.pk).exists()


def test_deleting_a_person_or_agency_in_the_record_is_refused(event, people, agency):
    with pytest.raises(ProtectedError), transaction.atomic():
        people["registrar"].delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        agency.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()
