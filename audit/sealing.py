"""Sealing: chaining committed events in order, in batches, and signing each batch.

Services record events without any shared lock (`audit_record` only inserts; the
event's number comes from the database sequence). The sealer (`audit_seal`, run by
Celery beat every minute and by `manage.py audit_seal`) then, holding the one sealer
lock (`AuditChainHead`, never taken by writers):

1. takes the unsealed events that are *final*, in a fixed order,
2. gives each its place in the chain (`position`, dense: 1, 2, 3 …) and
   `digest = SHA-256(prev_digest || canonical content)`,
3. ends the batch in an `AuditCheckpoint` (last position, last event, digest, count,
   time) signed with HMAC-SHA256 under a key from the environment, and
4. after commit appends the checkpoint to the checkpoint file outside the database.

Which events are final (the gap problem): an event's number is taken when it is
inserted, but its transaction may commit much later or roll back, so numbers do not
commit in order and some are never used. The chain therefore never relies on numbers
being contiguous: it runs over positions, given only to events whose transaction has
ended, and a number lost to a rollback simply never appears.
- PostgreSQL: a trigger stores the inserting transaction's id (`txid`) on each event.
  The sealer reads the oldest writing transaction still running in this database
  (`pg_stat_activity`, widened to 64 bits; see `_HORIZON_SQL`) and seals
  only events of transactions older than it, ordered by (txid, id). Every such
  transaction has committed or rolled back, and any transaction that can still commit
  an event has a larger txid, so it lands after everything sealed: exact, with no
  waiting period to guess. (A transaction left open anywhere in the cluster holds
  sealing back until it ends; nothing is lost.)
- SQLite: one writer at a time. The sealer first takes the write lock; then no other
  transaction is open for writing and every committed event is visible, so all of
  them are final, ordered by id.
"""
from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import AuditChainHead, AuditCheckpoint, AuditEvent

log = logging.getLogger(__name__)

_DERIVED_KEY_LABEL = b"ogi audit checkpoint key v1"


def hmac_key() -> bytes:
    """AUDIT_HMAC_KEY from the environment; in development a key derived from the
    SECRET_KEY (neither is stored in the database). `check --deploy` requires the real one."""
    key = getattr(settings, "AUDIT_HMAC_KEY", "")
    if key:
        return key.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), _DERIVED_KEY_LABEL, hashlib.sha256).digest()


def key_id(key: bytes | None = None) -> str:
    """A short public name of the key, so a checkpoint signed under another key is told
    apart from a forged one."""
    return hashlib.sha256(b"ogi audit key id\n" + (key or hmac_key())).hexdigest()[:12]


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checkpoint_mac(payload: dict, key: bytes | None = None) -> str:
    return hmac.new(key or hmac_key(), canonical_json(payload).encode("utf-8"), hashlib.sha256).hexdigest()


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


# The oldest transaction that may still add an event: the lowest transaction id among the
# writing transactions connected to THIS database (other databases on the same server
# cannot add events here, so their long transactions must not hold sealing back), or the
# next id to be assigned when there is none. pg_stat_activity gives 32-bit ids: they are
# widened with the epoch of the snapshot's xmax. A transaction that has not written yet
# will get an id at or above that xmax, after everything sealed below it. The statistics
# snapshot is cleared first: within a transaction PostgreSQL would otherwise keep showing
# the sessions as they were at the first look.
def _horizon(cursor) -> tuple[int, int | None]:
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint,"
                   " pg_current_xact_id_if_assigned()::text::bigint")
    xmax, own = cursor.fetchone()
    if own is not None:  # a snapshot kept from before this transaction wrote: the next id is above its own
        xmax = max(xmax, own + 1)
    cursor.execute("SELECT backend_xid::text::bigint FROM pg_stat_activity"
                   " WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                   " UNION ALL SELECT transaction::text::bigint FROM pg_prepared_xacts"
                   " WHERE database = current_database()")
    epoch = (xmax >> 32) << 32
    running = []
    for (x32,) in cursor.fetchall():
        full = epoch + x32
        if full > xmax + 2 ** 31:  # assigned before the epoch turned over
            full -= 2 ** 32
        running.append(full)
    return min(running + [xmax]), own


def _final_events(last: AuditEvent | None):
    """Unsealed events whose transaction has ended, in sealing order (see the module
    docstring): on SQLite those after the last sealed number, on PostgreSQL a range of
    the partial index of unsealed events on (txid, id)."""
    qs = AuditEvent.objects.filter(position__isnull=True)
    if connection.vendor != "postgresql":
        return (qs.filter(pk__gt=last.pk) if last else qs).order_by("id")
    with connection.cursor() as cursor:
        horizon, own = _horizon(cursor)
    final = Q(txid__lt=horizon)
    if own is not None and own <= horizon:
        # Events of this very transaction commit together with their seal; they may
        # join when no older transaction is still running.
        final |= Q(txid=own)
    return qs.filter(final).order_by("txid", "id")


def _take_sealer_lock() -> None:
    """One sealer at a time. A write first: on SQLite it takes the database's write lock
    before anything is read (see the module docstring); on PostgreSQL it locks the row."""
    if not AuditChainHead.objects.filter(pk=1).update(count=F("count")):
        AuditChainHead.objects.get_or_create(pk=1)
        AuditChainHead.objects.filter(pk=1).update(count=F("count"))


class SealRefused(Exception):
    """The sealed chain does not end where the last checkpoint says: sealing on would
    sign over the damage. Run `audit_verify` to see what happened."""


def _check_chain_end(last: AuditEvent | None) -> None:
    position, digest = (last.position, last.digest) if last else (0, "")
    checkpoint = AuditCheckpoint.objects.order_by("-position").first()
    if checkpoint is not None and (checkpoint.position, checkpoint.digest) != (position, digest):
        raise SealRefused(f"拒绝封存：已封存的记录止于第{position}条，而最后一个检查点是第{checkpoint.position}条"
                          f"（事件 #{checkpoint.last_event}），或其摘要不符。请运行 audit_verify。")
    if checkpoint is None and position:
        raise SealRefused(f"拒绝封存：已有 {position} 条事件标为封存，却没有检查点。请运行 audit_verify。")
    line = last_checkpoint_in_file()
    if line and (int(line["position"]) > position or (int(line["position"]) == position and line["digest"] != digest)):
        raise SealRefused(f"拒绝封存：检查点文件记载已封存 {line['position']} 条（最后一条 #{line['last_event']}），"
                          f"记录中的链却止于第{position}条或与之不符。请运行 audit_verify。")


@transaction.atomic
def _seal_batch(batch_size: int) -> AuditCheckpoint | None:
    _take_sealer_lock()
    # After commit, append this batch's checkpoint to the file, or catch up on one whose
    # export failed before (the export always writes everything the file lacks).
    transaction.on_commit(checkpoints_export)
    last = AuditEvent.objects.filter(position__isnull=False).order_by("-position").first()
    _check_chain_end(last)
    position, prev = (last.position, last.digest) if last else (0, "")
    events = list(_final_events(last)[:batch_size])
    if not events:
        return None
    rows = []
    for event in events:
        position += 1
        digest = event.chain_digest(prev)
        rows.append((position, prev, digest, event.pk))
        prev = digest
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        # The one update an event ever gets (the PostgreSQL trigger allows exactly this).
        cursor.executemany(
            f"UPDATE {table} SET position = %s, prev_digest = %s, digest = %s WHERE id = %s AND position IS NULL",
            rows,
        )
    if AuditEvent.objects.filter(position__gte=rows[0][0], position__lte=position).count() != len(rows):
        raise SealRefused("封存时有事件被改动或删除，本批未封存。")
    key = hmac_key()
    checkpoint = AuditCheckpoint(
        position=position, last_event=events[-1].pk, digest=prev, count=len(events),
        at=timezone.now(), key_id=key_id(key),
    )
    checkpoint.mac = checkpoint_mac(checkpoint.payload(), key)
    checkpoint.save()
    AuditChainHead.objects.filter(pk=1).update(count=position, last_digest=prev)
    return checkpoint


def audit_seal(*, batch_size: int | None = None) -> list[AuditCheckpoint]:
    """Seal every final event, one checkpoint per batch, each batch in its own
    transaction, and append each checkpoint to the file once it has committed. Returns
    the new checkpoints. Safe to run at any time and from several processes at once (the
    second waits for the first, batch by batch)."""
    batch_size = batch_size or settings.AUDIT_SEAL_BATCH
    made = []
    while (checkpoint := _seal_batch(batch_size)) is not None:
        made.append(checkpoint)
        if checkpoint.count < batch_size:
            break
    return made


# --- the checkpoint file ---------------------------------------------------------

def checkpoint_line(checkpoint: AuditCheckpoint) -> str:
    return canonical_json({**checkpoint.payload(), "mac": checkpoint.mac})


def last_checkpoint_in_file() -> dict | None:
    path = checkpoint_file()
    if not path.exists():
        return None
    with open(path, "rb") as fh:
        return _last_line_in(fh)


def _last_position_in(fh) -> int:
    line = _last_line_in(fh)
    return int(line["position"]) if line else 0


def _last_line_in(fh) -> dict | None:
    fh.seek(0, os.SEEK_END)
    end = fh.tell()
    if end == 0:
        return None
    step, data = 4096, b""
    while True:
        start = max(0, end - step)
        fh.seek(start)
        data = fh.read(end - start)
        lines = [ln for ln in data.splitlines() if ln.strip()]
        if len(lines) >= 2 or start == 0:
            break
        step *= 2
    return json.loads(lines[-1]) if lines else None


def checkpoints_export() -> int:
    """Append to the checkpoint file every committed checkpoint it does not hold yet, in
    order (a catch-up, so a failed or concurrent export leaves no hole). Only
    checkpoints whose signature is valid are exported. Returns how many were appended."""
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = hmac_key()
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            done = _last_position_in(fh)
            new = []
            for cp in AuditCheckpoint.objects.filter(position__gt=done).order_by("position"):
                if not hmac.compare_digest(cp.mac, checkpoint_mac(cp.payload(), key)):
                    log.error("audit checkpoint %s has an invalid signature; not exported", cp.position)
                    break
                new.append(checkpoint_line(cp))
            if new:
                fh.seek(0, os.SEEK_END)
                fh.write(("\n".join(new) + "\n").encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            return len(new)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
