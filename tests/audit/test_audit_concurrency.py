"""Recording takes no shared lock, and sealing never lets an event that commits late
slip in below the sealed chain. Needs PostgreSQL (real concurrent transactions)."""
import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from audit.models import AuditEvent
from audit.services import audit_record, audit_seal
from audit.verification import audit_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        print("needs PostgreSQL: concurrent writers; `make test` runs this on PostgreSQL")
        pytest.skip("needs PostgreSQL: concurrent transactions (set DATABASE_URL=postgres://…; `make test` does)")


class SlowStep(threading.Thread):
    """One agency's step that records its event and then keeps its transaction open."""

    def __init__(self, agency, *, roll_back=False):
        super().__init__()
        self.agency, self.roll_back = agency, roll_back
        self.recorded, self.release = threading.Event(), threading.Event()
        self.event_id, self.error = None, None

    def run(self):
        try:
            with transaction.atomic():
                self.event_id = audit_record(actor=None, action="case.slow_step", obj=self.agency).pk
                self.recorded.set()
                self.release.wait(30)
                if self.roll_back:
                    raise RuntimeError("the slow step failed")
        except RuntimeError as exc:
            self.error = exc
        finally:
            self.recorded.set()
            connection.close()

    def finish(self):
        self.release.set()
        self.join(30)


def quick_step(agency) -> tuple[int, float]:
    started = time.perf_counter()
    with transaction.atomic():
        event = audit_record(actor=None, action="case.quick_step", obj=agency)
    return event.pk, time.perf_counter() - started


def test_a_slow_step_does_not_hold_up_another_agencys_step(agency, other_agency):
    slow = SlowStep(agency)
    slow.start()
    try:
        assert slow.recorded.wait(10)
        quick_id, took = quick_step(other_agency)
        assert took < 2.0, f"the other agency's step waited {took:.1f} s"
        assert slow.is_alive()  # it did not wait for the slow step to commit
        # the quick event is committed, but an older transaction is still open: not sealed yet
        audit_seal()
        assert AuditEvent.objects.get(pk=quick_id).position is None
    finally:
        slow.finish()
    audit_seal()
    slow_event, quick_event = AuditEvent.objects.get(pk=slow.event_id), AuditEvent.objects.get(pk=quick_id)
    assert slow_event.position is not None and quick_event.position == slow_event.position + 1
    verdict = audit_verify()
    assert verdict.ok and verdict.unsealed == 0, verdict.message


def test_a_step_that_rolls_back_leaves_no_hole_in_the_chain(agency, other_agency):
    slow = SlowStep(agency, roll_back=True)
    slow.start()
    try:
        assert slow.recorded.wait(10)
        quick_id, _took = quick_step(other_agency)
    finally:
        slow.finish()
    assert isinstance(slow.error, RuntimeError)
    audit_seal()
    assert not AuditEvent.objects.filter(pk=slow.event_id).exists()
    assert AuditEvent.objects.get(pk=quick_id).position is not None
    verdict = audit_verify()
    assert verdict.ok and verdict.count == AuditEvent.objects.count(), verdict.message


def test_two_sealers_at_once_make_one_chain(agency, other_agency):
    for n in range(40):
        with transaction.atomic():
            audit_record(actor=None, action="case.step", obj=agency if n % 2 else other_agency)
    barrier = threading.Barrier(2)
    errors = []

    def seal():
        try:
            barrier.wait()
            audit_seal(batch_size=7)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=seal) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    positions = list(AuditEvent.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, AuditEvent.objects.count() + 1))
    verdict = audit_verify()
    assert verdict.ok, verdict.message
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == verdict.checkpoints
