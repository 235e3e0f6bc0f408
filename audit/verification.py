"""Checking the audit record against its chain and its signed checkpoints.

Read-only. Anyone holding the checkpoint file and the key can run it
(`manage.py audit_verify`). It names the first place where the record differs from
what was sealed: an event changed, removed, inserted or moved, digests recomputed
(the chain no longer meets a signed checkpoint), events deleted at the end or the
whole table emptied (the checkpoint file says more events were sealed).
"""
from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import AuditCheckpoint, AuditEvent, AuditVerification
from .sealing import checkpoint_file, checkpoint_mac, hmac_key, key_id

CHANGED = "changed"
REMOVED = "removed"
INSERTED = "inserted"
REORDERED = "reordered"
RECOMPUTED = "recomputed"
TRUNCATED = "truncated"
TAIL_REMOVED = "tail_removed"
BAD_CHECKPOINT = "bad_checkpoint"


@dataclass
class Verdict:
    ok: bool
    count: int = 0  # sealed events found intact
    unsealed: int = 0  # recorded, not sealed yet
    kind: str = ""
    message: str = ""
    event_id: int | None = None
    last_checkpoint: dict | None = None
    checkpoints: int = 0
    notes: list[str] = field(default_factory=list)


class _Failed(Exception):
    def __init__(self, kind, message, event_id=None):
        super().__init__(message)
        self.kind, self.message, self.event_id = kind, message, event_id


def _read_file(path, key) -> tuple[dict[int, dict], list[str]]:
    checkpoints, notes = {}, []
    if not path.exists():
        return checkpoints, [f"检查点文件 {path.name} 不存在"]
    last = 0
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                payload = {k: v for k, v in data.items() if k != "mac"}
                position = int(data["position"])
            except (ValueError, KeyError, TypeError) as exc:
                raise _Failed(BAD_CHECKPOINT, f"检查点文件第{n}行无法读取：{exc}") from exc
            if not hmac.compare_digest(str(data.get("mac", "")), checkpoint_mac(payload, key)):
                if data.get("key_id") != key_id(key):
                    raise _Failed(BAD_CHECKPOINT, f"检查点文件第{n}行（第{position}条）由另一把密钥签署"
                                                  f"（{data.get('key_id')}），当前密钥为 {key_id(key)}：请用封存时的 AUDIT_HMAC_KEY 核验")
                raise _Failed(BAD_CHECKPOINT, f"检查点文件第{n}行（第{position}条）签名不符：该检查点被改写")
            if position <= last:
                raise _Failed(BAD_CHECKPOINT, f"检查点文件第{n}行（第{position}条）顺序不对：前一行已到第{last}条")
            last = position
            checkpoints[position] = data
    return checkpoints, notes


def _classify_broken_link(event, prev_event, position) -> _Failed:
    """The event is intact in itself but does not follow the one before it."""
    after = f"#{prev_event.pk}" if prev_event else "链首"
    if not event.prev_digest:  # it was the first event of the chain: what stands before it was put there
        first = AuditEvent.objects.filter(position__isnull=False).order_by("position").first()
        return _Failed(INSERTED, f"事件被插入：#{first.pk}（第{first.position}条）不在原链中，"
                                 f"#{event.pk} 原本是链上的第一条", first.pk)
    other = AuditEvent.objects.filter(digest=event.prev_digest).exclude(pk=event.pk).first()
    if other is None or other.position is None:
        return _Failed(REMOVED, f"事件被删除：{after} 与 #{event.pk}（第{position}条）之间原有的事件已不在记录中", event.pk)
    if other.position < position - 1:
        first = AuditEvent.objects.filter(position=other.position + 1).first()
        name = f"#{first.pk}" if first else f"第{other.position + 1}条"
        return _Failed(INSERTED, f"事件被插入：{name}（第{other.position + 1}条）不在原链中，"
                                 f"#{event.pk} 原本紧接在 #{other.pk} 之后", first.pk if first else None)
    return _Failed(REORDERED, f"事件顺序被调换：#{event.pk} 被排在第{position}条（{after} 之后），"
                              f"原本紧接在 #{other.pk}（现第{other.position}条）之后", event.pk)


def _walk(checkpoints: dict[int, dict]) -> tuple[int, AuditEvent | None]:
    expected, running = 1, ""
    prev_event = None
    batch_first = None  # first event after the last checkpoint met
    sealed = AuditEvent.objects.filter(position__isnull=False).order_by("position")
    for event in sealed.iterator(chunk_size=2000):
        if event.chain_digest(event.prev_digest) != event.digest:
            raise _Failed(CHANGED, f"事件被改动：#{event.pk}（第{event.position}条，{event.action}）的内容与其摘要不符", event.pk)
        if event.prev_digest != running:
            raise _classify_broken_link(event, prev_event, expected)
        if event.position != expected:
            raise _Failed(REMOVED, f"事件被删除：第{expected}至第{event.position - 1}条"
                                   f"（{f'#{prev_event.pk}' if prev_event else '链首'} 与 #{event.pk} 之间）不在记录中", event.pk)
        batch_first = batch_first or event
        running = event.digest
        cp = checkpoints.get(expected)
        if cp is not None:
            if cp["digest"] != running or int(cp["last_event"]) != event.pk:
                raise _Failed(RECOMPUTED, f"记录与签名的检查点（第{expected}条，封存于 {cp['at']}）不符："
                                          f"#{batch_first.pk} 至 #{event.pk}（第{batch_first.position}至第{expected}条）"
                                          f"之间的事件被改动、插入或删除，摘要被重新计算过", batch_first.pk)
            batch_first = None
        prev_event = event
        expected += 1
    return expected - 1, prev_event


def _check_tail(checkpoints, count, last_event, file_checkpoints, key):
    top = max(checkpoints) if checkpoints else 0
    if count > top:
        _check_db_checkpoints(file_checkpoints, key)  # a forged checkpoint is the better diagnosis
        # The sealer writes a batch's rows and its checkpoint in one transaction, so every
        # sealed event lies under a signed checkpoint; one beyond the last was not sealed by it.
        extra = AuditEvent.objects.filter(position=top + 1).first()
        raise _Failed(INSERTED, f"事件被插入：#{extra.pk}（第{top + 1}条）标为已封存，却不在任何签名的检查点之内", extra.pk)
    if not checkpoints:
        return
    if top <= count:
        return
    cp = checkpoints[top]
    if count == 0:
        raise _Failed(TRUNCATED, f"记录被清空：表中没有已封存的事件，检查点文件记载已封存 {top} 条，最后一条为 #{cp['last_event']}")
    raise _Failed(TAIL_REMOVED, f"末尾的事件被删除：记录止于 #{last_event.pk}（第{count}条），"
                                f"检查点文件记载已封存 {top} 条，最后一条为 #{cp['last_event']}", last_event.pk)


def _check_unsealed(last_event) -> int:
    unsealed = AuditEvent.objects.filter(position__isnull=True)
    if last_event is not None:
        if connection.vendor == "postgresql":
            if last_event.txid is None:
                before = Q(txid__isnull=True)
            else:
                before = Q(txid__isnull=True) | Q(txid__lt=last_event.txid) | Q(txid=last_event.txid, id__lt=last_event.pk)
        else:
            before = Q(id__lt=last_event.pk)
        planted = unsealed.filter(before).order_by("id").first()
        if planted is not None:
            raise _Failed(INSERTED, f"事件被插入：#{planted.pk} 未经封存，却排在已封存的 #{last_event.pk} 之前", planted.pk)
    return unsealed.count()


def _check_db_checkpoints(file_checkpoints, key):
    for cp in AuditCheckpoint.objects.order_by("position"):
        if not hmac.compare_digest(cp.mac, checkpoint_mac(cp.payload(), key)):
            raise _Failed(BAD_CHECKPOINT, f"数据库中的检查点（第{cp.position}条，事件 #{cp.last_event}）签名不符：被无密钥者改写")
        other = file_checkpoints.get(cp.position)
        if other is not None and (other["digest"] != cp.digest or int(other["last_event"]) != cp.last_event):
            raise _Failed(BAD_CHECKPOINT, f"数据库中的检查点（第{cp.position}条）与检查点文件不符")


def audit_verify() -> Verdict:
    key = hmac_key()
    try:
        # The file first, then one consistent snapshot of the database: every checkpoint
        # in the file was committed before it was written, so the snapshot holds it.
        checkpoints, notes = _read_file(checkpoint_file(), key)
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            if notes and AuditCheckpoint.objects.exists():
                raise _Failed(BAD_CHECKPOINT, f"{notes[0]}，而数据库中已有检查点：无法与库外的记录核对")
            trusted = dict(checkpoints)
            for cp in AuditCheckpoint.objects.order_by("position"):
                if cp.position not in trusted and hmac.compare_digest(cp.mac, checkpoint_mac(cp.payload(), key)):
                    trusted[cp.position] = {**cp.payload(), "mac": cp.mac}
            count, last_event = _walk(trusted)
            _check_tail(trusted, count, last_event, checkpoints, key)
            unsealed = _check_unsealed(last_event)
            _check_db_checkpoints(checkpoints, key)
            missing = set(checkpoints) - set(AuditCheckpoint.objects.values_list("position", flat=True))
            if missing:
                raise _Failed(BAD_CHECKPOINT, f"数据库中的检查点第{min(missing)}条被删除（检查点文件中有）")
    except _Failed as failed:
        return Verdict(ok=False, kind=failed.kind, message=failed.message, event_id=failed.event_id)
    last = trusted[max(trusted)] if trusted else None
    return Verdict(ok=True, count=count, unsealed=unsealed, last_checkpoint=last, checkpoints=len(trusted), notes=notes)


def audit_verification_record(verdict: Verdict) -> AuditVerification:
    """Keep the outcome of a run for the auditors' page."""
    last = verdict.last_checkpoint or {}
    return AuditVerification.objects.create(
        at=timezone.now(), ok=verdict.ok, count=verdict.count, position=last.get("position"),
        kind=verdict.kind, message=verdict.message, event_id=verdict.event_id,
    )
