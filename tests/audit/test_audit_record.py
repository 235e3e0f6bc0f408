import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AppendOnlyError, AuditEvent
from audit.selectors import audit_chain_is_intact
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_events_are_append_only_and_chained(agency):
    with transaction.atomic():
        e1 = audit_record(actor=None, action="x.done", obj=agency, reason="r1")
        e2 = audit_record(actor=None, action="x.again", obj=agency, after={"a": 1})
    assert e2.prev_digest == e1.digest and e2.sequence == e1.sequence + 1
    assert audit_chain_is_intact()
    with pytest.raises(AppendOnlyError):
        e1.reason = "changed"
        e1.save()
    with pytest.raises(AppendOnlyError):
        e1.delete()
    if connection.vendor == "postgresql":
        # the database refuses it too
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=e1.pk).update(reason="tampered")
    else:
        AuditEvent.objects.filter(pk=e1.pk).update(reason="tampered")  # behind the model's back
        assert not audit_chain_is_intact()


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused(agency):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", obj=agency)
