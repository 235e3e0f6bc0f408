"""Audited writes per second with 1, 2 and 8 concurrent workers on PostgreSQL
(issue 14: one agency's step must not wait for another's). Each worker is a process
that works one case of its own agency: locks the case row, changes it and records an
audit event, one transaction each, for a fixed time, counted from when every worker is
connected and warm (a few writes each before the start). The cases are as far apart in the
table as cases worked at the same time are (`SPREAD` applications submitted between
them), not neighbours on one page. `--global-lock` adds what the first release did
(every transaction locked one shared row until commit), for comparison. Without it the
same statements are also replayed through the driver alone (no Django), with 1, 2 and 8
workers: what this machine allows (`audit_raw_sql_scaling_*`).

    DATABASE_URL=postgres://…/scratch python -m tests.bench.audit_writes [--global-lock]

The database is migrated and written to: use a scratch one. The last line printed is
one JSON object of figures."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import tempfile
import time

SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
WARM_WRITES = 20
SPREAD = int(os.environ.get("BENCH_AUDIT_SPREAD", "30"))


def _setup():
    os.environ.setdefault("AUDIT_CHECKPOINT_FILE", os.path.join(tempfile.gettempdir(), "ogi-bench-audit-checkpoints.jsonl"))
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _worker(case_id: int, global_lock: bool, start, seconds: float, out, raw: bool = False) -> None:
    _setup()
    from django.db import connection, transaction

    from audit.models import AuditChainHead
    from audit.services import audit_record
    from workflows.models import DisclosureRequest

    def write(n: int) -> None:
        with transaction.atomic():
            if global_lock:
                AuditChainHead.objects.select_for_update().get(pk=1)
            case = DisclosureRequest.objects.select_for_update().get(pk=case_id)
            DisclosureRequest.objects.filter(pk=case_id).update(phone=f"0375-{n % 10000:07d}")
            audit_record(actor=None, action="bench.step", obj=case, before={"n": n}, after={"n": n + 1},
                         reason="基准测试")

    for n in range(WARM_WRITES):  # connected and warm (imports, compiled queries) before the clock starts
        write(n)
    if raw:  # the statements of one write, replayed through the driver alone
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            write(WARM_WRITES)
        statements = [q["sql"] for q in ctx.captured_queries]
        cursor = connection.connection.cursor()
    start.wait()
    done, t_end = 0, time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        if raw:
            for sql in statements:
                cursor.execute(sql)
        else:
            write(done)
        done += 1
    connection.close()
    out.put(done)


def _case(agency, n: int) -> int:
    """An application of `agency`, submitted after SPREAD others (of the same agency) so
    that the workers' cases lie apart in the table."""
    from django.utils import timezone

    from workflows.services import request_submit

    made = None
    for k in range(SPREAD + 1):
        made, _code = request_submit(
            actor=None, agency=agency, applicant_type="natural", applicant_name=f"基准申请人{n}-{k}",
            id_type="resident_id", id_number="410402199001011234", phone="13800000000", channel="online",
            form_wanted="electronic", delivery_wanted="online", items=[{"title": "2025年财政预算执行情况"}],
            description="基准测试", address="河南省平顶山市", submitted_at=timezone.now())
    return made.pk


def rate(workers: int, agencies: list[int], global_lock: bool, raw: bool = False) -> float:
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(workers + 1), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(agencies[i], global_lock, start, SECONDS, out, raw))
             for i in range(workers)]
    for p in procs:
        p.start()
    start.wait()
    total = sum(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
    return total / SECONDS


def main() -> None:
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("needs DATABASE_URL=postgres://… (a scratch database)")
    global_lock = "--global-lock" in sys.argv
    settings.AUDIT_CHECKPOINT_FILE.unlink(missing_ok=True)  # the scratch database's own checkpoints only
    call_command("migrate", verbosity=0)
    from django.db import connection

    from agencies.services import agency_create
    from audit.models import AuditChainHead
    from audit.services import audit_seal

    AuditChainHead.objects.get_or_create(pk=1)
    from agencies.models import Agency

    agencies = [(Agency.objects.filter(name=f"基准机关{i}").first()
                 or agency_create(actor=None, name=f"基准机关{i}", short_name=f"基{i}", ogi_office="办公室", address="某地",
                                  phone="0375-0000000", reconsideration_body="某政府", court="某法院"))
                for i in range(8)]
    cases = [_case(agency, i) for i, agency in enumerate(agencies)]  # one case of each agency
    connection.close()
    figures = {}
    rates = {n: rate(n, cases, global_lock) for n in (1, 2, 8)}
    raw_rates = {} if global_lock else {n: rate(n, cases, False, raw=True) for n in (1, 2, 8)}
    t0 = time.perf_counter()
    sealed = sum(cp.count for cp in audit_seal())
    seal_s = time.perf_counter() - t0
    suffix = "_global_lock" if global_lock else ""
    figures[f"audit_writes_per_s_1{suffix}"] = round(rates[1], 1)
    figures[f"audit_write_scaling_2x{suffix}"] = round(rates[2] / rates[1], 2)
    figures[f"audit_write_scaling_8x{suffix}"] = round(rates[8] / rates[1], 2)
    figures["audit_seal_events_per_s"] = round(sealed / seal_s, 0) if seal_s else None
    if raw_rates:  # the same statements without the application: what the machine allows
        figures["audit_raw_sql_writes_per_s_1"] = round(raw_rates[1], 1)
        figures["audit_raw_sql_scaling_2x"] = round(raw_rates[2] / raw_rates[1], 2)
        figures["audit_raw_sql_scaling_8x"] = round(raw_rates[8] / raw_rates[1], 2)
    for n, r in rates.items():
        print(f"{n} worker(s): {r:.0f} audited writes/s{' (with the global lock)' if global_lock else ''}"
              + (f"; the raw SQL of the same writes {raw_rates[n]:.0f}/s" if raw_rates else ""))
    print(f"sealed {sealed} events in {seal_s:.2f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
