import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditEvent
from audit.selectors import audit_chain_is_intact
from audit.services import audit_record, audit_seal

pytestmark = pytest.mark.django_db


def test_events_are_numbered_then_sealed_into_a_chain(agency):
    with transaction.atomic():
        e1 = audit_record(actor=None, action="x.done", obj=agency, reason="r1")
        e2 = audit_record(actor=None, action="x.again", obj=agency, after={"a": 1})
    assert e2.sequence > e1.sequence
    assert AuditEvent.objects.get(pk=e1.pk).position is None  # recorded, not sealed yet
    audit_seal()
    e1, e2 = AuditEvent.objects.get(pk=e1.pk), AuditEvent.objects.get(pk=e2.pk)
    assert e2.prev_digest == e1.digest and e2.position == e1.position + 1
    assert audit_chain_is_intact()


def test_the_orm_refuses_to_change_or_delete_events(agency):
    with transaction.atomic():
        e1 = audit_record(actor=None, action="x.done", obj=agency, reason="r1")
    with pytest.raises(AppendOnlyError):
        e1.reason = "changed"
        e1.save()
    with pytest.raises(AppendOnlyError):
        e1.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=e1.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=e1.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([e1], ["reason"])
    assert AuditEvent.objects.get(pk=e1.pk).reason == "r1"


def test_the_database_refuses_to_change_a_sealed_event(agency):
    with transaction.atomic():
        e1 = audit_record(actor=None, action="x.done", obj=agency, reason="r1")
    audit_seal()
    table = AuditEvent._meta.db_table
    if connection.vendor != "postgresql":
        print("SQLite has no such trigger here: the model guards and `audit_verify` cover it")
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    for sql in (f"UPDATE {table} SET reason = 'tampered' WHERE id = %s",
                f"UPDATE {table} SET digest = 'x' WHERE id = %s",
                f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [e1.pk])
    # not yet sealed: only the sealer's update (the chain columns, nothing else) is allowed
    with transaction.atomic():
        e2 = audit_record(actor=None, action="x.later", obj=agency, reason="r2")
    for sql in (f"UPDATE {table} SET reason = 'tampered' WHERE id = %s",
                f"UPDATE {table} SET reason = 'tampered', position = 999, digest = 'x' WHERE id = %s",
                f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [e2.pk])
    # and a writer cannot choose its own place in the chain
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (at, actor_label, object_type, object_id, object_repr, action, reason,"
                       f" position, prev_digest, digest) VALUES (now(), '系统', 'x', '1', 'x', 'x.forged', '', 1, '', 'x')"
                       f" RETURNING position, digest")
        assert cursor.fetchone() == (None, "")


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused(agency):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", obj=agency)


def test_production_refuses_to_run_without_its_own_checkpoint_key(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.AUDIT_HMAC_KEY = ""
    with pytest.raises(SystemCheckError, match="audit.E001"):
        call_command("check", deploy=True)
    settings.AUDIT_HMAC_KEY = "a-key-from-the-environment"
    try:
        call_command("check", deploy=True)
    except SystemCheckError as exc:
        assert "audit.E001" not in str(exc)
