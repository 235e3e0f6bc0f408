"""A realistic history on PostgreSQL, built quickly (`python -m tests.bench.history
--cases 100000 --agencies 50`; DATABASE_URL must name an empty or already migrated
PostgreSQL database).

1. Agencies, departments and staff through the services (the same desks in each agency).
2. A few dozen template cases in the first agency, driven through the real services into
   every state: submitted, registered, awaiting supplement, in the department queue, in
   handling, consulting a third party, 会商, extension asked and granted, confidentiality
   review, sign-off, awaiting delivery, and archived with each outcome, withdrawn,
   lapsed. Their audit events are sealed by the real sealer.
3. Bulk clones in SQL (INSERT … SELECT over generate_series, one statement per table and
   chunk): fresh ids (id + group × stride), shifted dates (whole weeks, so weekdays stay),
   spread over all agencies (their departments and staff), for the cases and every row
   that hangs off them: items, notices, viewflow processes and tasks, clocks and segments,
   documents (the PDF bytes are not copied: the clones' documents name no file) and
   audit events. Closed cases are cloned into the past (`--years`); open ones only into
   every OPEN_EVERY-th group and only a few weeks back, so a few per cent of the history
   is open, as in an office. The clone runs as a bulk load (the generator connects as the
   database owner): no triggers or foreign-key checks for its session, the secondary
   indexes of the cloned tables dropped first and built once at the end.
4. The cloned audit events are chained exactly as the sealer chains them (same digest,
   same checkpoints, signed with the same key, appended to the checkpoint file): each
   chunk's events wait in a temporary table, are chained in id order and written once
   with their chain columns; `audit_verify` passes.

The last line printed is a JSON object (cases, tasks, audit events, seconds).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import sys
import time

OPEN_EVERY = 40  # open templates are cloned into one group in OPEN_EVERY


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("history: DATABASE_URL must name a PostgreSQL database")
    # Bench accounts only: staff log in with force_login, so their passwords need no
    # slow hash here (the services hash with whatever hasher is configured).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- 1. organisations ---------------------------------------------------------------

DEPARTMENTS = [("政务公开科", "ogi"), ("自然资源局", "land"), ("住房和城乡建设局", "housing")]
STAFF = [  # key, full name, roles, department code
    ("registrar", "李登记", ["registrar"], "ogi"),
    ("handler", "王承办", ["handler"], "land"),
    ("handler2", "赵承办", ["handler"], "housing"),
    ("secrecy", "孙保密", ["confidentiality_reviewer"], "ogi"),
    ("legal", "周法制", ["legal_reviewer"], "ogi"),
    ("chief", "吴负责", ["person_in_charge"], "ogi"),
    ("publisher", "郑发布", ["publisher"], "ogi"),
    ("auditor", "钱监督", ["auditor"], "ogi"),
]


def organisations(n_agencies: int) -> list[dict]:
    """Agencies 0..n-1, each {'agency', 'dept': {code: Department}, 'staff': {key: User}}."""
    from agencies import roles
    from agencies.models import Agency
    from agencies.services import agency_create, department_create, staff_create

    role_of = {"registrar": roles.REGISTRAR, "handler": roles.HANDLER,
               "confidentiality_reviewer": roles.CONFIDENTIALITY_REVIEWER, "legal_reviewer": roles.LEGAL_REVIEWER,
               "person_in_charge": roles.PERSON_IN_CHARGE, "publisher": roles.PUBLISHER, "auditor": roles.AUDITOR}
    out = []
    for i in range(n_agencies):
        name = f"基准测试第{i + 1:02d}区人民政府办公室"
        agency = Agency.objects.filter(name=name).first()
        if agency is None:
            agency = agency_create(actor=None, name=name, short_name=f"基准{i + 1:02d}",
                                   ogi_office=f"第{i + 1:02d}区人民政府办公室政务公开科", address="河南省平顶山市",
                                   phone="0375-1234567", reconsideration_body=f"第{i + 1:02d}区人民政府",
                                   court="平顶山市湛河区人民法院")
            for dname, code in DEPARTMENTS:
                department_create(actor=None, agency=agency, name=dname, code=code)
        dept = {d.code: d for d in agency.departments.all()}
        staff = {}
        from django.contrib.auth import get_user_model

        User = get_user_model()
        for key, full, rnames, dcode in STAFF:
            username = f"a{i + 1:02d}_{key}"
            user = User.objects.filter(username=username).first() or staff_create(
                actor=None, username=username, password="bench-pw-2026", full_name=full, agency=agency,
                department=dept[dcode], roles=[role_of[r] for r in rnames])
            staff[key] = user
        out.append({"agency": agency, "dept": dept, "staff": staff})
    return out


# --- 2. template cases through the services -------------------------------------------

CLOSED_OUTCOMES = ["1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4.1", "4.2",
                   "5.1", "5.3", "5.5", "already_public", "not_this_agency", "special_rules", "1", "1", "2", "4.1"]


def templates(org: dict) -> dict:
    """Drive template cases into every state; returns counts by state."""
    from django.utils import timezone

    from legal.selectors import local_today
    from workflows import services as svc
    from workflows.demo import disclosed_attachments

    agency, u, land, housing = org["agency"], org["staff"], org["dept"]["land"], org["dept"]["housing"]
    today = local_today()
    made: dict[str, int] = {}
    n = [0]

    def new(days_ago, channel="post", items=("2025年土地征收补偿方案",)):
        n[0] += 1
        received = today - dt.timedelta(days=days_ago)
        case, _code = svc.request_submit(
            actor=u["registrar"], agency=agency, applicant_type="natural", applicant_name=f"申请人{n[0]}",
            id_type="resident_id", id_number=f"4104021990010{n[0]:05d}", phone="13800000000", channel=channel,
            form_wanted="paper", delivery_wanted="post", address="河南省平顶山市石龙区人民路1号",
            description=f"申请公开{'、'.join(items)}", items=[{"title": t} for t in items],
            submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9, 30))))
        return case, received

    def reg(days_ago, **kw):
        case, received = new(days_ago, **kw)
        return svc.request_register(actor=u["registrar"], case=case, signed_for_on=received)

    def accept(days_ago, handler="handler", dept=land, **kw):
        case = reg(days_ago, **kw)
        return svc.request_accept(actor=u["registrar"], case=case, department=dept,
                                  handler=u[handler] if handler else None)

    def decide(case, code):
        extra = {"reasoning": "依法作出答复"}
        if code == "2":
            extra["withheld_parts"] = "涉及个人信息的部分"
        if code == "not_this_agency":
            extra["right_agency"] = "平顶山市自然资源和规划局"
        if code == "already_public":
            extra["where_published"] = "本机关门户网站政府信息公开专栏"
        return svc.request_determine(actor=case.handler, case=case, decisions=[
            {"item": it.pk, "outcome": code, **extra} for it in case.items.all()])

    def archive(case):
        h = case.handler
        svc.request_confidentiality_clear(actor=u["secrecy"], case=case)
        svc.request_reply_draft(actor=h, case=case, attachments=disclosed_attachments(case))
        svc.request_sign_off(actor=u["chief"], case=case, approve=True)
        svc.request_delivery_record(actor=u["registrar"], case=case, method="post", delivered_on=today,
                                    tracking_number="1190012345678")
        return svc.request_archive(actor=u["registrar"], case=case)

    def state(name, fn):
        try:
            fn()
            made[name] = made.get(name, 0) + 1
        except Exception as exc:  # a template that a rule refuses is left out, and said so
            print(f"history: template {name} skipped: {exc!r}", file=sys.stderr)

    # open
    state("submitted", lambda: new(0, channel="online"))
    state("submitted", lambda: new(1, channel="online"))
    state("registered", lambda: reg(1))
    state("awaiting_supplement", lambda: svc.request_supplement_notice(
        actor=u["registrar"], case=reg(3), what="请写明所需信息的年度和文号", days=10))
    state("queue", lambda: accept(4, handler=None))
    state("in_handling", lambda: accept(6))
    state("in_handling", lambda: accept(12, handler="handler2", dept=housing))
    state("in_handling_overdue", lambda: accept(30))
    state("third_party", lambda: svc.request_third_party_consult(
        actor=u["handler"], case=accept(8), third_party="平顶山某建设工程有限公司", matter="环评报告涉及企业技术资料"))
    state("consultation", lambda: svc.request_consultation_convene(
        actor=u["handler"], case=accept(9), participants=[u["legal"], u["secrecy"]], question="是否属于过程性信息"))

    def extension_asked():
        svc.request_extension_ask(actor=u["handler"], case=accept(18), days=15, reason="需调取档案，信息量较大")

    def extension_granted():
        case = accept(19)
        svc.request_extension_ask(actor=u["handler"], case=case, days=20, reason="需会商")
        svc.request_extension_decide(actor=u["chief"], case=case, approve=True, comment="同意")

    state("extension_asked", extension_asked)
    state("extended", extension_granted)
    state("confidentiality_review", lambda: decide(accept(10), "1"))

    def sign_off():
        case = decide(accept(11), "3.4")
        svc.request_confidentiality_clear(actor=u["secrecy"], case=case)
        svc.request_reply_draft(actor=u["handler"], case=case)

    def to_deliver():
        case = decide(accept(13, handler="handler2", dept=housing), "1")
        svc.request_confidentiality_clear(actor=u["secrecy"], case=case)
        svc.request_reply_draft(actor=u["handler2"], case=case, attachments=disclosed_attachments(case))
        svc.request_sign_off(actor=u["chief"], case=case, approve=True)

    state("sign_off", sign_off)
    state("delivery", to_deliver)
    # closed
    for i, code in enumerate(CLOSED_OUTCOMES):
        state(f"archived_{code}", lambda i=i, code=code: archive(decide(
            accept(40 + i, items=("2024年财政预算执行情况", "某项目环评批复")[: 1 + i % 2]), code)))

    def extended_archived():
        case = accept(15)
        svc.request_extension_ask(actor=u["handler"], case=case, days=20, reason="需会商")
        svc.request_extension_decide(actor=u["chief"], case=case, approve=True, comment="同意")
        archive(decide(case, "1"))

    state("archived_extended", extended_archived)
    state("withdrawn", lambda: svc.request_withdraw(actor=u["registrar"], case=reg(41), reason="申请人书面撤回"))

    def lapsed():
        received = today - dt.timedelta(days=40)
        case, _ = new(40)
        case = svc.request_register(actor=u["registrar"], case=case, signed_for_on=received)
        svc.request_supplement_notice(actor=u["registrar"], case=case, what="请补充身份证明", days=3,
                                      on=received + dt.timedelta(days=1), sent_via="email")
        from viewflow.workflow.timers import fire_due_timers  # the timer node lapses it, as in production

        fire_due_timers()

    state("closed_lapsed", lapsed)
    return made


def seed(n_agencies: int) -> tuple[list[dict], dict]:
    from django.core.management import call_command

    from audit.services import audit_seal
    from workflows.models import DisclosureRequest

    call_command("migrate", verbosity=0)
    orgs = organisations(n_agencies)
    have = DisclosureRequest.objects.count()
    if have > 100:
        sys.exit("history: the database already holds a history; give it an empty database")
    # a database holding only the templates (e.g. made from a seeded one with
    # CREATE DATABASE … TEMPLATE, with its checkpoint file) is cloned from as it is
    made = templates(orgs[0]) if not have else {"existing": have}
    audit_seal()
    return orgs, made


# --- 3. bulk clones in SQL -----------------------------------------------------------------

CASE = "workflows_disclosurerequest"
# What a row hangs off, as SQL giving (id, template case id) for the rows of each table.
CASE_OF = {
    CASE: f"SELECT id, id FROM {CASE}",
    "workflows_requestprocess": "SELECT process_ptr_id, case_id FROM workflows_requestprocess",
    "viewflow_process": "SELECT process_ptr_id, case_id FROM workflows_requestprocess",
    "viewflow_task": "SELECT t.id, rp.case_id FROM viewflow_task t"
                     " JOIN workflows_requestprocess rp ON rp.process_ptr_id = t.process_id",
    "viewflow_task_previous": "SELECT p.id, rp.case_id FROM viewflow_task_previous p"
                              " JOIN viewflow_task t ON t.id = p.from_task_id"
                              " JOIN workflows_requestprocess rp ON rp.process_ptr_id = t.process_id",
    "legal_clock": f"SELECT clock_id, id FROM {CASE} WHERE clock_id IS NOT NULL",
    "legal_clocksegment": f"SELECT s.id, r.id FROM legal_clocksegment s JOIN {CASE} r ON r.clock_id = s.clock_id",
    "documents_document": "SELECT id, request_id FROM documents_document WHERE request_id IS NOT NULL",
    "workflows_consultationopinion": "SELECT o.id, c.request_id FROM workflows_consultationopinion o"
                                     " JOIN workflows_consultation c ON c.id = o.consultation_id",
}
# Tables not cloned although they hang off a case: built files and the message outbox.
NOT_CLONED = {"documents_casefile", "workflows_registrationcounter"}
# Columns whose template values must not be copied (rendered output; the clones have none).
BLANKED = {("documents_document", "html"): "''", ("documents_document", "pdf"): "NULL",
           ("documents_document", "sha256"): "''"}
AUDIT_TYPES = {"workflows.disclosurerequest": CASE, "documents.document": "documents_document",
               "legal.clock": "legal_clock"}


def _q(cursor, sql, args=None):
    cursor.execute(sql, args)
    return cursor.fetchall()


def _tables(cursor) -> dict[str, str]:
    """Every table to clone -> the SQL of its (id, case) rows."""
    out = dict(CASE_OF)
    for (table,) in _q(cursor, "SELECT table_name FROM information_schema.columns WHERE column_name = 'request_id'"
                               " AND table_name LIKE 'workflows\\_%%'"):
        if table not in NOT_CLONED:
            out.setdefault(table, f"SELECT id, request_id FROM {table}")
    return out


def _columns(cursor, table: str) -> list[tuple[str, str, str | None]]:
    """(column, type, referenced table or None) of `table`."""
    fks = dict(_q(cursor, """
        SELECT a.attname, cf.relname FROM pg_constraint c
        JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class cf ON cf.oid = c.confrelid
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND cl.relname = %s""", [table]))
    cols = _q(cursor, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s"
                      " ORDER BY ordinal_position", [table])
    return [(c, t, fks.get(c)) for c, t in cols]


def _prepare(cursor, orgs: list[dict], tables: dict[str, str]) -> dict[str, int]:
    """Temp tables: the template rows and their case, the open cases, and the maps of agency,
    department and staff from the template agency to each agency index. Returns strides."""
    from workflows.models import OPEN_STATUSES

    cursor.execute("DROP TABLE IF EXISTS tpl_map, tpl_case, map_user, map_dept, map_agency")
    cursor.execute("CREATE TABLE tpl_map (tbl text, id bigint, case_id bigint, PRIMARY KEY (tbl, id))")
    for table, sql in tables.items():
        cursor.execute(f"INSERT INTO tpl_map SELECT %s, x.* FROM ({sql}) x", [table])
    for otype, table in AUDIT_TYPES.items():
        cursor.execute("INSERT INTO tpl_map SELECT 'audit_auditevent', e.id, m.case_id FROM audit_auditevent e"
                       " JOIN tpl_map m ON m.tbl = %s AND m.id::text = e.object_id WHERE e.object_type = %s",
                       [table, otype])
    # open: in an open status, or with a step still to do (a reply issued and not yet
    # delivered, a closure notice awaiting sign-off): cloned only into a few recent groups
    cursor.execute(f"CREATE TABLE tpl_case AS SELECT r.id AS case_id, r.status = ANY(%s) OR EXISTS ("
                   " SELECT 1 FROM viewflow_task t JOIN workflows_requestprocess rp ON rp.process_ptr_id = t.process_id"
                   " WHERE rp.case_id = r.id AND t.finished IS NULL AND t.status <> 'CANCELED') AS open"
                   f" FROM {CASE} r", [list(OPEN_STATUSES)])
    cursor.execute("CREATE TABLE map_agency (a int, old bigint, new bigint)")
    cursor.execute("CREATE TABLE map_dept (a int, old bigint, new bigint)")
    cursor.execute("CREATE TABLE map_user (a int, old bigint, new bigint)")
    base = orgs[0]
    for a, org in enumerate(orgs):
        cursor.execute("INSERT INTO map_agency VALUES (%s, %s, %s)", [a, base["agency"].pk, org["agency"].pk])
        for code, d in base["dept"].items():
            cursor.execute("INSERT INTO map_dept VALUES (%s, %s, %s)", [a, d.pk, org["dept"][code].pk])
        for key, user in base["staff"].items():
            cursor.execute("INSERT INTO map_user VALUES (%s, %s, %s)", [a, user.pk, org["staff"][key].pk])
    for t in ("map_agency", "map_dept", "map_user"):
        cursor.execute(f"CREATE INDEX ON {t} (a, old)")
    strides = {}
    for table in list(tables) + ["audit_auditevent"]:
        strides[table] = _q(cursor, "SELECT coalesce(max(id), 0) FROM tpl_map WHERE tbl = %s", [table])[0][0]
    strides["serial"] = _q(cursor, "SELECT coalesce(max(serial), 0) + 1 FROM documents_document")[0][0]
    return strides


def _insert_sql(cursor, table: str, strides: dict[str, int], weeks: int, n_agencies: int) -> str:
    """One INSERT … SELECT cloning the template rows of `table` into groups %(g0)s..%(g1)s."""
    exprs, joins = [], []
    for col, typ, ref in _columns(cursor, table):
        if (table, col) in BLANKED:
            exprs.append(BLANKED[(table, col)])
        elif col == "id":
            exprs.append(f"s.id + g.g * {strides[table]}")
        elif ref in strides:
            exprs.append(f"s.{col} + g.g * {strides[ref]}")
        elif ref in ("auth_user", "agencies_agency", "agencies_department"):
            m = {"auth_user": "map_user", "agencies_agency": "map_agency", "agencies_department": "map_dept"}[ref]
            joins.append(f"LEFT JOIN {m} j_{col} ON j_{col}.a = x.a AND j_{col}.old = s.{col}")
            exprs.append(f"coalesce(j_{col}.new, s.{col})")
        elif table == CASE and col == "tracking_number":
            exprs.append("s.tracking_number || lpad(g.g::text, 8, '0')")
        elif table == CASE and col == "id_number":  # another applicant in each clone
            exprs.append("left(s.id_number, 12) || lpad((g.g %% 1000000)::text, 6, '0')")
        elif table == CASE and col == "registration_number":
            exprs.append("CASE WHEN s.registration_number = '' THEN '' ELSE s.registration_number || '-' || g.g END")
        elif table == "documents_document" and col == "serial":
            exprs.append(f"s.serial + g.g * {strides['serial']}")
        elif table == "documents_document" and col == "year":
            exprs.append("CASE WHEN s.year IS NULL THEN NULL ELSE"
                         " extract(year FROM s.created_at - make_interval(days => x.sd))::int END")
        elif table == "audit_auditevent" and col == "object_id":
            exprs.append("(s.object_id::bigint + g.g * CASE s.object_type "
                         + " ".join(f"WHEN '{o}' THEN {strides[t]}" for o, t in AUDIT_TYPES.items())
                         + " END)::text")
        elif table == "audit_auditevent" and col in ("position", "prev_digest", "digest", "txid"):
            exprs.append({"position": "NULL", "txid": "NULL"}.get(col, "''"))
        elif typ == "date":
            exprs.append(f"s.{col} - x.sd")
        elif typ.startswith("timestamp"):
            exprs.append(f"s.{col} - make_interval(days => x.sd)")
        else:
            exprs.append(f"s.{col}")
    cols = ", ".join(f'"{c}"' for c, _t, _r in _columns(cursor, table))
    id_col = "process_ptr_id" if table == "workflows_requestprocess" else "id"
    target = STAGE if table == "audit_auditevent" else table
    return (f"INSERT INTO {target} ({cols}) SELECT {', '.join(exprs)} FROM {table} s"
            f" JOIN tpl_map m ON m.tbl = '{table}' AND m.id = s.{id_col}"
            " JOIN tpl_case c ON c.case_id = m.case_id"
            " CROSS JOIN generate_series(%(g0)s, %(g1)s) g(g)"
            # open clones (every OPEN_EVERY-th group) go round all the agencies too
            f" CROSS JOIN LATERAL (SELECT CASE WHEN c.open THEN (g.g / {OPEN_EVERY}) %% {n_agencies}"
            f" ELSE g.g %% {n_agencies} END AS a, (7 * CASE WHEN c.open THEN (g.g + m.case_id) %% 3"
            f" ELSE (g.g * 7919 + m.case_id * 104729) %% {weeks} END)::int AS sd) x "
            + " ".join(joins)
            + f" WHERE NOT c.open OR g.g %% {OPEN_EVERY} = 0")


# --- 4. the cloned audit events, chained as the sealer chains them --------------------------

CHECKPOINT_EVERY = 100_000
STAGE = "audit_stage"  # the chunk's cloned events wait here, unchained, until they are sealed


VARYING = ("id", "at", "actor", "agency", "object_id")  # what a clone changes in its template event's content
# `at` as the model's content writes it (datetime.isoformat in UTC: microseconds only when not zero)
AT_ISO = ("to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN"
          " date_part('microseconds', at)::bigint % 1000000 = 0 THEN '' ELSE to_char(at AT TIME ZONE 'UTC', '.US')"
          " END || '+00:00'")


def _canonical_formats(cursor) -> dict[int, str]:
    """Each template event's canonical content (the model's own `content`, serialised as
    the chain serialises it) as a format string with the five values a clone changes left
    open: a clone's canonical content is its template's with those filled in."""
    from audit.models import AuditEvent, canonical_content

    ids = [i for (i,) in _q(cursor, "SELECT id FROM tpl_map WHERE tbl = 'audit_auditevent'")]
    formats = {}
    for event in AuditEvent.objects.filter(pk__in=ids):
        content = {**event.content(), **{k: f"@@{k}@@" for k in VARYING}}
        text = canonical_content(content).replace("{", "{{").replace("}", "}}")
        for k in VARYING:
            if text.count(f'"@@{k}@@"') != 1:
                raise RuntimeError(f"audit clones: template event #{event.pk} holds the marker of {k}")
            text = text.replace(f'"@@{k}@@"', "{" + k + "}")
        formats[event.pk] = text
    return formats


def _seal_clones(cursor, formats: dict[int, str], stride: int) -> int:
    """Chain the chunk's cloned events (waiting in STAGE; the templates' were sealed by
    `audit_seal`) in id order, exactly as `audit.sealing` does: position, prev digest,
    digest = SHA-256(prev || canonical content), a signed checkpoint per CHECKPOINT_EVERY
    events, the chain head. A clone's canonical content is its template's format
    (`_canonical_formats`) filled with its own id, time, actor, agency and object; the
    first events of each chunk are also serialised from all their columns by the model's
    `content`, and the two must agree. The chunk's events are then written to the table
    once, with their chain columns (one INSERT … SELECT from STAGE joined to the digests).
    The checkpoints reach the file after commit (`checkpoints_export`)."""
    from types import SimpleNamespace

    from django.db import transaction
    from django.utils import timezone

    from audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, canonical_content, chain_digest
    from audit.sealing import _check_chain_end, _take_sealer_lock, checkpoint_mac, checkpoints_export, hmac_key, key_id

    _take_sealer_lock()
    transaction.on_commit(checkpoints_export)
    last = AuditEvent.objects.filter(position__isnull=False).order_by("-position").first()
    _check_chain_end(last)
    position, prev = (last.position, last.digest) if last else (0, "")
    key, done, rows = hmac_key(), 0, []

    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS seal_tmp (id bigint, position bigint, prev text, digest text)")
    cursor.execute("TRUNCATE seal_tmp")

    def flush():
        """A checkpoint at the end of `rows` (their digests wait in seal_tmp)."""
        nonlocal rows
        if not rows:
            return
        with cursor.cursor.copy("COPY seal_tmp (id, position, prev, digest) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)
        checkpoint = AuditCheckpoint(position=rows[-1][1], last_event=rows[-1][0], digest=rows[-1][3],
                                     count=len(rows), at=timezone.now(), key_id=key_id(key))
        checkpoint.mac = checkpoint_mac(checkpoint.payload(), key)
        checkpoint.save()
        AuditChainHead.objects.filter(pk=1).update(count=rows[-1][1], last_digest=rows[-1][3])
        rows = []

    # the check: the first events of the chunk, serialised the model's way from every column
    names = ["pk", "at", "actor_id", "actor_label", "agency_id", "object_type", "object_id", "object_repr",
             "action", "before", "after", "reason", "actor_detail"]
    full = {}
    for row in _q(cursor, f"SELECT {', '.join(['id', *names[1:]])} FROM {STAGE} ORDER BY id LIMIT 50"):
        row = [json.loads(v) if i in (9, 10, 12) and isinstance(v, str) else v for i, v in enumerate(row)]
        full[row[0]] = canonical_content(AuditEvent.content(SimpleNamespace(**dict(zip(names, row, strict=True)))))

    reader = cursor.connection.cursor(name="seal_clones")  # server-side, inside this transaction
    reader.itersize = 50_000
    reader.execute(f"SELECT id, actor_id, agency_id, object_id, {AT_ISO} FROM {STAGE} ORDER BY id")
    for pk, actor, agency, object_id, at in reader:
        canonical = formats[(pk - 1) % stride + 1].format(
            id=pk, at=f'"{at}"', actor="null" if actor is None else actor,
            agency="null" if agency is None else agency, object_id=json.dumps(object_id))
        if pk in full and full[pk] != canonical:
            raise RuntimeError(f"audit clones: event #{pk} serialised two ways differs:\n{full[pk]}\n{canonical}")
        position += 1
        digest = chain_digest(prev, canonical)
        rows.append((pk, position, prev, digest))
        prev = digest
        done += 1
        if len(rows) >= CHECKPOINT_EVERY:
            flush()
    reader.close()
    flush()
    # the chunk's events written once, with their chain columns (one hash join)
    all_columns = [c for c, _t, _r in _columns(cursor, "audit_auditevent")]
    chain = {"position": "t.position", "prev_digest": "t.prev", "digest": "t.digest"}
    sealed_columns = [chain.get(c, f"s.{c}") for c in all_columns]
    cursor.execute(f"ANALYZE {STAGE}")
    cursor.execute("ANALYZE seal_tmp")
    cursor.execute(f"INSERT INTO audit_auditevent ({', '.join(all_columns)})"
                   f" SELECT {', '.join(sealed_columns)} FROM {STAGE} s JOIN seal_tmp t ON t.id = s.id")
    if cursor.rowcount != done:
        raise RuntimeError("audit clones: an event changed while sealing")
    cursor.execute(f"TRUNCATE {STAGE}, seal_tmp")
    return done


def _bulk_load_mode(cursor, tables: list[str]) -> list[str]:
    """For the clone only (the generator runs as the database owner): no triggers and no
    foreign-key checks for this session (session_replication_role = replica; every cloned
    id is derived from a template row that passed both), and the secondary indexes of the
    cloned tables dropped, to be built once at the end. Returns their definitions."""
    cursor.execute("SET session_replication_role = replica")
    cursor.execute("SET maintenance_work_mem = '1GB'")
    defs = _q(cursor, """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relname = ANY(%s) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""", [tables])
    for name, _definition in defs:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in defs]


# --- the run ------------------------------------------------------------------------------------

def clone(orgs: list[dict], cases: int, years: int, chunk_cases: int = 20_000) -> dict:
    from django.db import connection, transaction

    from workflows.models import OPEN_STATUSES

    n_agencies, weeks = len(orgs), max(1, years * 52)
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        with transaction.atomic():
            strides = _prepare(cursor, orgs, tables)
        n_open, n_closed = (_q(cursor, "SELECT count(*) FILTER (WHERE open), count(*) FILTER (WHERE NOT open)"
                                       " FROM tpl_case")[0])
        have = n_open + n_closed
        per_group = n_closed + n_open / OPEN_EVERY
        groups = max(0, math.ceil((cases - have) / per_group))
        step = max(1, int(chunk_cases / per_group))
        sqls = {t: _insert_sql(cursor, t, strides, weeks, n_agencies) for t in list(tables) + ["audit_auditevent"]}
        events, spent = 0, {}
        indexes = _bulk_load_mode(cursor, list(sqls)) if groups else []
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE audit_auditevent)")
        formats = _canonical_formats(cursor)
        for g0 in range(1, groups + 1, step):
            g1 = min(groups, g0 + step - 1)
            with transaction.atomic():
                for table, sql in sqls.items():
                    t = time.perf_counter()
                    cursor.execute(sql, {"g0": g0, "g1": g1})
                    spent[table] = spent.get(table, 0) + time.perf_counter() - t
                t = time.perf_counter()
                events += _seal_clones(cursor, formats, strides["audit_auditevent"])
                spent["seal"] = spent.get("seal", 0) + time.perf_counter() - t
            print(f"history: groups {g1}/{groups}", file=sys.stderr, flush=True)
        t = time.perf_counter()
        for definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        spent["indexes"] = time.perf_counter() - t
        for table in list(tables) + ["audit_auditevent"]:
            id_col = "process_ptr_id" if table == "workflows_requestprocess" else "id"
            if table != "workflows_requestprocess":
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{id_col}'),"
                               f" (SELECT max({id_col}) FROM {table}))")
        cursor.execute("DROP TABLE IF EXISTS tpl_map, tpl_case, map_user, map_dept, map_agency")
        t = time.perf_counter()
        cursor.execute("ANALYZE")
        spent["analyze"] = time.perf_counter() - t
        print("history: seconds by table " + json.dumps({k: round(v, 1) for k, v in
                                                           sorted(spent.items(), key=lambda kv: -kv[1])}),
              file=sys.stderr, flush=True)
        total = _q(cursor, f"SELECT (SELECT count(*) FROM {CASE}), (SELECT count(*) FROM viewflow_task),"
                           " (SELECT count(*) FROM audit_auditevent),"
                           f" (SELECT count(*) FROM {CASE} WHERE status = ANY(%s))",
                   [list(OPEN_STATUSES)])[0]
    return {"cases": total[0], "tasks": total[1], "audit_events": total[2], "open_cases": total[3],
            "groups": groups, "sealed_clones": events}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--years", type=int, default=20, help="closed cases are spread over this many years back")
    args = parser.parse_args(argv)
    _setup()
    t0 = time.perf_counter()
    import contextlib

    with contextlib.redirect_stdout(io.StringIO()):  # the console SMS backend's chatter
        orgs, made = seed(args.agencies)
    t_seed = time.perf_counter() - t0
    figures = clone(orgs, args.cases, args.years)
    figures.update(templates=sum(made.values()), seed_s=round(t_seed, 1),
                   total_s=round(time.perf_counter() - t0, 1), agencies=args.agencies)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
