"""A step against the raw SQL of its own writes (issue 17, item 3: within 3×).

    DATABASE_URL=postgres://…/scratch python -m tests.bench.steps

For each of registering, accepting and deciding: a fresh application is brought to the
step and read as a view holds it before calling the service (the case, the form's
decisions: not timed). Then the step runs through its service inside a transaction that
is rolled back, once with its statements captured and once timed (capturing wraps every
cursor call, so the timed run has none, as in production). Then the statements that
write (INSERT, UPDATE, DELETE and the row locks, SELECT … FOR UPDATE) are replayed as
they were sent, through the driver's own cursor, in a transaction also rolled back; then
the step runs for real (committed) so that the next one can follow. Both are timed the
same way, PDFs queued (Celery not reached: the work a commit would start is not part of
either). The medians of each step and their ratio are printed; `step_vs_raw_ratio` is
the largest of the three.
The database is migrated and written to: use a scratch one. The last line is one JSON
object of figures."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import sys
import time

RUNS = int(os.environ.get("BENCH_STEP_RUNS", "25"))
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b|\bFOR (NO KEY )?UPDATE\b", re.I)


def _setup():
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


class _Rollback(Exception):
    pass


def _rolled_back(fn) -> float:
    """Seconds `fn` took inside a transaction rolled back afterwards."""
    from django.db import transaction

    t = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - t
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def _timed_rolled_back(fn) -> tuple[float, list[str]]:
    """Seconds `fn` took inside a transaction rolled back afterwards, and its statements.
    The statements are captured in a run of their own: capturing wraps every cursor call
    (timing, logging) and would be counted against the step, and production has none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        _rolled_back(fn)
    return _rolled_back(fn), [q["sql"] for q in ctx.captured_queries]


def _raw(statements: list[str]) -> float:
    """Seconds to send `statements` through the driver's cursor in a transaction (rolled back)."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection itself: no Django in the way
    with raw.cursor() as cur:
        t = time.perf_counter()
        cur.execute("BEGIN")
        for sql in statements:
            cur.execute(sql)
        elapsed = time.perf_counter() - t
        cur.execute("ROLLBACK")
    return elapsed


def main() -> None:
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        sys.exit("needs DATABASE_URL=postgres://… (a scratch database)")
    settings.CELERY_TASK_ALWAYS_EAGER = False  # queued: nothing rendered by either side
    call_command("migrate", verbosity=0)
    from django.db import connection, transaction
    from django.utils import timezone

    from legal.selectors import local_today
    from tests.bench.history import organisations
    from workflows import services as svc
    from workflows.models import DisclosureRequest, RequestItem

    org = organisations(1)[0]
    u, land = org["staff"], org["dept"]["land"]
    today = local_today()

    def submit(n: int):
        case, _ = svc.request_submit(
            actor=u["registrar"], agency=org["agency"], applicant_type="natural", applicant_name=f"步骤测试{n}",
            id_type="resident_id", id_number=f"41040219900101{n % 10000:04d}", phone="13800000000", channel="post",
            form_wanted="paper", delivery_wanted="post", address="河南省平顶山市石龙区人民路1号",
            description="申请公开2025年土地征收补偿方案", items=[{"title": "2025年土地征收补偿方案"}],
            submitted_at=timezone.now() - dt.timedelta(hours=1))
        return case

    # each step is (what its caller has read before calling it, the call): a view holds
    # the case and the submitted form before the service runs, so neither is timed
    # The timed runs call the service's body (`__wrapped__`) inside the bench's transaction,
    # which stands for the one `step_service` opens: a transaction of its own in production,
    # where the service's decorator would be a savepoint inside the bench's.
    register, accept, determine = (f.__wrapped__ for f in (svc.request_register, svc.request_accept,
                                                           svc.request_determine))
    steps = {
        "register": (lambda pk: DisclosureRequest.objects.get(pk=pk),
                     lambda case, run=register: run(actor=u["registrar"], case=case, signed_for_on=today)),
        "accept": (lambda pk: DisclosureRequest.objects.get(pk=pk),
                   lambda case, run=accept: run(actor=u["registrar"], case=case, department=land,
                                                handler=u["handler"])),
        "determine": (lambda pk: (DisclosureRequest.objects.get(pk=pk), [
                          {"item": pk, "outcome": "1", "reasoning": "依法公开"}
                          for pk in RequestItem.objects.filter(request_id=pk).values_list("pk", flat=True)]),
                      lambda held, run=determine: run(actor=u["handler"], case=held[0], decisions=held[1])),
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    raws: dict[str, list[float]] = {name: [] for name in steps}
    counts: dict[str, tuple[int, int]] = {}
    for n in range(RUNS + 2):  # the first two warm the process and are not counted
        pk = submit(n).pk
        for name, (read, step) in steps.items():
            elapsed, statements = _timed_rolled_back(lambda held=read(pk), step=step: step(held))
            writes = [s for s in statements if WRITE.search(s)]
            raw_elapsed = _raw(writes)
            with transaction.atomic():  # for real, committed
                step(read(pk))
            if n >= 2:
                times[name].append(elapsed)
                raws[name].append(raw_elapsed)
                counts[name] = (len(statements), len(writes))
    connection.close()
    figures: dict[str, float] = {}
    ratios = []
    for name in steps:
        step_ms, raw_ms = 1000 * statistics.median(times[name]), 1000 * statistics.median(raws[name])
        ratio = step_ms / raw_ms if raw_ms else 0.0
        ratios.append(ratio)
        figures[f"step_{name}_ms"] = round(step_ms, 1)
        figures[f"step_{name}_queries"] = counts[name][0]
        figures[f"step_{name}_raw_ms"] = round(raw_ms, 1)
        figures[f"step_{name}_raw_statements"] = counts[name][1]
        figures[f"step_{name}_vs_raw"] = round(ratio, 2)
        print(f"{name:10s} step {step_ms:6.1f} ms ({counts[name][0]} queries)  raw {raw_ms:5.1f} ms "
              f"({counts[name][1]} writes)  ×{ratio:.2f}", file=sys.stderr)
    figures["step_vs_raw_ratio"] = round(max(ratios), 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
