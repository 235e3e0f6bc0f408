"""On PostgreSQL the application runs as a role that cannot rewrite the record: it
records and seals events, and cannot delete, TRUNCATE or switch off the triggers."""
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import audit_record, audit_seal
from audit.verification import audit_verify

pytestmark = pytest.mark.django_db

ROLE = "ogi_app_test"


@pytest.fixture(autouse=True)
def postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        print("needs PostgreSQL: roles and privileges; `make test` runs this on PostgreSQL")
        pytest.skip("needs PostgreSQL: roles and privileges (set DATABASE_URL=postgres://…; `make test` does)")


@pytest.fixture
def as_app_role(db):
    """Inside the test's transaction (rolled back with it): the role, its grants, and
    the connection switched to it."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    call_command("audit_app_role", ROLE, stdout=None)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(sql, params=()):
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(exc.value)


def test_the_application_role_records_and_seals_but_cannot_rewrite(agency, as_app_role):
    with transaction.atomic():
        event = audit_record(actor=None, action="case.step", obj=agency, reason="理由")
    audit_seal()
    assert AuditEvent.objects.get(pk=event.pk).position is not None
    assert audit_verify().ok
    table = AuditEvent._meta.db_table
    assert "permission denied" in refused(f"TRUNCATE {table}")
    assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "permission denied" in refused("SET session_replication_role = replica")
    assert "permission denied" in refused(f"DELETE FROM {table} WHERE id = %s", [event.pk])
    assert "permission denied" in refused(f"UPDATE {table} SET reason = 'x' WHERE id = %s", [event.pk])
    assert "append-only" in refused(f"UPDATE {table} SET digest = 'x' WHERE id = %s", [event.pk])
