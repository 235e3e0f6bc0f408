"""`manage.py audit_verify` on an intact record, and after each kind of tampering a
database administrator could do: it fails and names the place."""
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from audit.models import AuditCheckpoint, AuditEvent, chain_digest
from audit.services import audit_record, audit_seal

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
CP_TABLE = AuditCheckpoint._meta.db_table


@pytest.fixture
def sealed(agency):
    """What setting up the agency recorded, sealed; then six events recorded by three
    services' transactions and sealed two per checkpoint. Returns the six."""
    audit_seal()
    for n in range(3):
        with transaction.atomic():
            audit_record(actor=None, action="case.step", obj=agency, reason=f"第{n}步", after={"n": n})
            audit_record(actor=None, action="case.note", obj=agency, reason=f"第{n}步的说明")
    audit_seal(batch_size=2)
    mine = list(AuditEvent.objects.order_by("position"))[-6:]
    assert [e.action for e in mine] == ["case.step", "case.note"] * 3
    return mine


def total():
    return AuditEvent.objects.count()


def verify():
    """Run the command as a user would: (exit status 0 or 1, what it printed)."""
    import io

    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        return 1, str(exc)
    return 0, out.getvalue()


def as_dba(sql, params=()):
    """Raw SQL as the database's administrator, with the append-only triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")


def test_an_intact_record_verifies(sealed, settings):
    status, out = verify()
    assert status == 0
    assert out.splitlines()[0] == f"ok {total()} events"
    assert f"event #{sealed[-1].pk}" in out
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    n = sealed[-1].position
    assert [json.loads(line)["position"] for line in lines][-3:] == [n - 4, n - 2, n]


def test_events_recorded_after_the_seal_wait_for_the_next_one(sealed, agency):
    n = total()
    with transaction.atomic():
        late = audit_record(actor=None, action="case.late", obj=agency)
    status, out = verify()
    assert status == 0 and out.startswith(f"ok {n} events") and "1 events recorded, not sealed yet" in out
    audit_seal()
    assert AuditEvent.objects.get(pk=late.pk).position == n + 1
    status, out = verify()
    assert status == 0 and out.startswith(f"ok {n + 1} events")


def test_a_rolled_back_event_leaves_no_hole(sealed, agency):
    n = total()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="case.failed", obj=agency)
        raise RuntimeError("the step failed")
    with transaction.atomic():
        audit_record(actor=None, action="case.retried", obj=agency)
    audit_seal()
    status, out = verify()
    assert status == 0 and out.startswith(f"ok {n + 1} events")
    assert not AuditEvent.objects.filter(action="case.failed").exists()


def test_a_field_changed_by_raw_sql_is_named(sealed):
    victim = sealed[2]
    as_dba(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", ["无", victim.pk])
    status, message = verify()
    assert status == 1
    assert "(changed)" in message and f"#{victim.pk}（第{victim.position}条" in message


def test_digests_recomputed_without_the_key_are_caught_by_the_checkpoint(sealed):
    victim = sealed[2]
    as_dba(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", ["无", victim.pk])
    # the attacker recomputes every digest from the changed event on, and the checkpoints
    prev = sealed[1].digest
    for event in AuditEvent.objects.filter(position__gte=victim.position).order_by("position"):
        digest = chain_digest(prev, event.canonical())
        as_dba(f"UPDATE {TABLE} SET prev_digest = %s, digest = %s WHERE id = %s", [prev, digest, event.pk])
        as_dba(f"UPDATE {CP_TABLE} SET digest = %s WHERE last_event = %s", [digest, event.pk])
        prev = digest
    status, message = verify()
    assert status == 1
    assert "(recomputed)" in message and f"#{victim.pk} 至 #{sealed[3].pk}" in message


def test_recomputed_checkpoints_in_the_database_alone_fail_their_signature(sealed, settings):
    settings.AUDIT_CHECKPOINT_FILE.unlink()
    settings.AUDIT_CHECKPOINT_FILE.write_text("")
    event = sealed[-1]
    as_dba(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", ["无", event.pk])
    digest = chain_digest(event.prev_digest, AuditEvent.objects.get(pk=event.pk).canonical())
    as_dba(f"UPDATE {TABLE} SET digest = %s WHERE id = %s", [digest, event.pk])
    as_dba(f"UPDATE {CP_TABLE} SET digest = %s WHERE position = %s", [digest, event.position])
    status, message = verify()
    assert status == 1 and "(bad_checkpoint)" in message and f"第{event.position}条" in message and "签名不符" in message


def test_an_event_deleted_in_the_middle_is_named(sealed):
    as_dba(f"DELETE FROM {TABLE} WHERE id = %s", [sealed[2].pk])
    status, message = verify()
    assert status == 1
    assert "(removed)" in message and f"#{sealed[1].pk} 与 #{sealed[3].pk}" in message


def test_events_deleted_at_the_tail_are_caught_by_the_checkpoint_file(sealed):
    keep = sealed[3].position
    as_dba(f"DELETE FROM {TABLE} WHERE position > %s", [keep])
    as_dba(f"DELETE FROM {CP_TABLE} WHERE position > %s", [keep])
    status, message = verify()
    assert status == 1
    assert "(tail_removed)" in message and f"记录止于 #{sealed[3].pk}（第{keep}条）" in message
    assert f"已封存 {sealed[-1].position} 条，最后一条为 #{sealed[-1].pk}" in message


def test_a_truncated_table_is_caught_by_the_checkpoint_file(sealed):
    if connection.vendor == "postgresql":
        as_dba("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own open transaction has deferred checks
        as_dba(f"TRUNCATE {TABLE}, {CP_TABLE}")
    else:
        as_dba(f"DELETE FROM {TABLE}")
        as_dba(f"DELETE FROM {CP_TABLE}")
    status, message = verify()
    assert status == 1
    assert "(truncated)" in message and f"已封存 {sealed[-1].position} 条，最后一条为 #{sealed[-1].pk}" in message


def test_reordered_events_are_named(sealed):
    a, b = sealed[2], sealed[3]
    as_dba(f"UPDATE {TABLE} SET position = -1 WHERE id = %s", [a.pk])
    as_dba(f"UPDATE {TABLE} SET position = %s WHERE id = %s", [a.position, b.pk])
    as_dba(f"UPDATE {TABLE} SET position = %s WHERE id = %s", [b.position, a.pk])
    status, message = verify()
    assert status == 1
    assert "(reordered)" in message and f"#{b.pk} 被排在第{a.position}条" in message and f"紧接在 #{a.pk}" in message


def test_an_event_inserted_into_the_chain_is_named(sealed, agency):
    for event in reversed(sealed[2:]):
        as_dba(f"UPDATE {TABLE} SET position = position + 1 WHERE id = %s", [event.pk])
    forged = AuditEvent(pk=10_000, at=sealed[1].at, actor_label="系统", agency=agency, object_type="x",
                        object_id="1", object_repr="伪造", action="case.step", reason="补记")
    digest = chain_digest(sealed[1].digest, forged.canonical())
    as_dba(
        f"INSERT INTO {TABLE} (id, at, actor_label, agency_id, object_type, object_id, object_repr, action,"
        f" before, after, reason, position, prev_digest, digest)"
        f" VALUES (%s, %s, '系统', %s, 'x', '1', '伪造', 'case.step', NULL, NULL, '补记', %s, %s, %s)",
        [forged.pk, forged.at, agency.pk, sealed[2].position, sealed[1].digest, digest],
    )
    status, message = verify()
    assert status == 1
    assert "(inserted)" in message and f"#{forged.pk}（第{sealed[2].position}条）不在原链中" in message


def test_an_unsealed_event_slipped_in_among_sealed_ones_is_named(sealed, agency):
    as_dba(
        f"INSERT INTO {TABLE} (id, at, actor_label, agency_id, object_type, object_id, object_repr, action,"
        f" before, after, reason, txid, position, prev_digest, digest)"
        f" VALUES (-5, %s, '系统', %s, 'x', '1', '补记', 'case.step', NULL, NULL, '', 1, NULL, '', '')",
        [sealed[0].at, agency.pk],
    )
    status, message = verify()
    assert status == 1 and "(inserted)" in message and "#-5 未经封存" in message


def test_a_rewritten_checkpoint_file_fails_its_signature(sealed, settings):
    path = settings.AUDIT_CHECKPOINT_FILE
    lines = path.read_text().splitlines()
    data = json.loads(lines[-2])
    data["count"] = 3
    lines[-2] = json.dumps(data)
    path.write_text("\n".join(lines) + "\n")
    status, message = verify()
    assert status == 1 and f"检查点文件第{len(lines) - 1}行（第{data['position']}条）签名不符" in message


def test_verifying_with_another_key_says_so(sealed, settings):
    settings.AUDIT_HMAC_KEY = "a-different-key"
    status, message = verify()
    assert status == 1 and "由另一把密钥签署" in message


def test_a_lost_checkpoint_file_is_not_taken_for_an_intact_record(sealed, settings):
    settings.AUDIT_CHECKPOINT_FILE.unlink()
    status, message = verify()
    assert status == 1 and "检查点文件 audit-checkpoints.jsonl 不存在" in message
    audit_seal()  # the next seal writes every checkpoint again (after checking its signature)
    assert verify()[0] == 0


def forge(agency, *, pk, position, prev, at):
    forged = AuditEvent(pk=pk, at=at, actor_label="系统", agency=agency, object_type="x",
                        object_id="1", object_repr="伪造", action="case.step", reason="补记")
    digest = chain_digest(prev, forged.canonical())
    as_dba(
        f"INSERT INTO {TABLE} (id, at, actor_label, agency_id, object_type, object_id, object_repr, action,"
        f" before, after, reason, position, prev_digest, digest)"
        f" VALUES (%s, %s, '系统', %s, 'x', '1', '伪造', 'case.step', NULL, NULL, '补记', %s, %s, %s)",
        [pk, at, agency.pk, position, prev, digest],
    )


def test_an_event_put_before_the_first_is_named(sealed, agency):
    for event in AuditEvent.objects.filter(position__isnull=False).order_by("-position"):
        as_dba(f"UPDATE {TABLE} SET position = position + 1 WHERE id = %s", [event.pk])
    forge(agency, pk=10_001, position=1, prev="", at=sealed[0].at)
    status, message = verify()
    assert status == 1 and "(inserted)" in message and "#10001（第1条）不在原链中" in message


def test_an_event_appended_after_the_last_checkpoint_is_named(sealed, agency):
    forge(agency, pk=10_002, position=sealed[-1].position + 1, prev=sealed[-1].digest, at=sealed[-1].at)
    status, message = verify()
    assert status == 1 and "(inserted)" in message
    assert f"#10002（第{sealed[-1].position + 1}条）标为已封存，却不在任何签名的检查点之内" in message


def test_the_sealer_refuses_to_sign_over_a_damaged_end(sealed, agency):
    from audit.sealing import SealRefused

    keep = sealed[3].position
    as_dba(f"DELETE FROM {TABLE} WHERE position > %s", [keep])
    as_dba(f"DELETE FROM {CP_TABLE} WHERE position > %s", [keep])
    with transaction.atomic():
        audit_record(actor=None, action="case.after", obj=agency)
    with pytest.raises(SealRefused, match=f"检查点文件记载已封存 {sealed[-1].position} 条"):
        audit_seal()
    assert not AuditEvent.objects.filter(action="case.after", position__isnull=False).exists()
    assert verify()[0] == 1
