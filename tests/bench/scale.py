"""`make bench`: the document figures (`python -m tests.bench`), then lists, pages, the
reminder sweep and the annual report on PostgreSQL with 1 k and 100 k cases of history
across 50 agencies (and 1 M with BENCH_SCALE=1m); then a step against the raw SQL of its
writes (`tests.bench.steps`) and audited writes with 1, 2 and 8 workers
(`tests.bench.audit_writes`). BENCH_PG is the server's base URL
(`scripts/postgres.sh start` without the database name). The template cases are built
once through the services; each scale starts from a copy of that database
(CREATE DATABASE … TEMPLATE) and its audit checkpoint file, then `tests.bench.history`
clones it up to the size. On the 1 k history, `tests.bench.load` puts the deployed layout
(gunicorn, a Celery worker, Redis) under a fixed locust load (locust_rps, locust_p95_ms;
BENCH_NO_LOAD=1 skips it). The last line printed is one JSON object of all figures."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SCALES = {"1k": 1_000, "100k": 100_000, "1m": 1_000_000}


def _last_json(out: str) -> dict:
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def _run(args: list[str], env: dict) -> dict:
    proc = subprocess.run([sys.executable, *args], env=env, stdout=subprocess.PIPE, text=True)
    if proc.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed ({proc.returncode})")
    return _last_json(proc.stdout)


def _psql(base: str, *sql: str) -> None:
    for statement in sql:
        subprocess.run(["psql", f"{base}/postgres", "-qc", statement], check=True)


def main() -> None:
    base = os.environ.get("BENCH_PG", "")
    scales = ["1k", "100k"] + (["1m"] if os.environ.get("BENCH_SCALE", "") == "1m" else [])
    if os.environ.get("BENCH_SCALES"):  # e.g. BENCH_SCALES=1k for a quick run
        scales = [s for s in os.environ["BENCH_SCALES"].split(",") if s in SCALES]
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench")}
    figures = _run(["-m", "tests.bench"], {k: v for k, v in env.items() if k != "DATABASE_URL"})
    if not base:
        print("bench: BENCH_PG not set; the scale figures are skipped", file=sys.stderr)
        print(json.dumps(figures, ensure_ascii=False))
        return
    work = tempfile.mkdtemp(prefix="ogi-bench-scale-")
    seed_var = os.path.join(work, "seed")
    _psql(base, "DROP DATABASE IF EXISTS ogi_bench_seed", "CREATE DATABASE ogi_bench_seed")
    t = time.perf_counter()
    _run(["-m", "tests.bench.history", "--cases", "0", "--agencies", "50"],
         {**env, "DATABASE_URL": f"{base}/ogi_bench_seed", "OGI_VAR_DIR": seed_var})
    figures["history_seed_s"] = round(time.perf_counter() - t, 1)
    for scale in scales:
        db, var = f"ogi_bench_{scale}", os.path.join(work, scale)
        _psql(base, f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db} TEMPLATE ogi_bench_seed")
        shutil.copytree(seed_var, var)
        scale_env = {**env, "DATABASE_URL": f"{base}/{db}", "OGI_VAR_DIR": var}
        t = time.perf_counter()
        made = _run(["-m", "tests.bench.history", "--cases", str(SCALES[scale]), "--agencies", "50"], scale_env)
        figures[f"history_s_{scale}"] = round(time.perf_counter() - t, 1)
        figures[f"cases_{scale}"] = made.get("cases")
        figures[f"tasks_{scale}"] = made.get("tasks")
        figures[f"audit_events_{scale}"] = made.get("audit_events")
        figures.update(_run(["-m", "tests.bench.lists", "--label", scale], scale_env))
        if scale == "1k" and not os.environ.get("BENCH_NO_LOAD"):
            # the deployed layout under load: gunicorn, a Celery worker, Redis; locust's users
            figures.update(_run(["-m", "tests.bench.load"], scale_env))
        if not os.environ.get("BENCH_KEEP"):
            _psql(base, f"DROP DATABASE IF EXISTS {db}")
        print(json.dumps(figures, ensure_ascii=False), file=sys.stderr, flush=True)
    _psql(base, "DROP DATABASE IF EXISTS ogi_bench_seed")
    # a step against the raw SQL of its writes, and audited writes with 1, 2 and 8 workers,
    # each in a scratch database of its own
    for module, db in (("tests.bench.steps", "ogi_bench_steps"), ("tests.bench.audit_writes", "ogi_bench_audit")):
        _psql(base, f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}")
        var = os.path.join(work, db)
        figures.update(_run(["-m", module], {**env, "DATABASE_URL": f"{base}/{db}", "OGI_VAR_DIR": var,
                                             "AUDIT_CHECKPOINT_FILE": os.path.join(var, "checkpoints.jsonl")}))
        _psql(base, f"DROP DATABASE IF EXISTS {db}")
        print(json.dumps(figures, ensure_ascii=False), file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    figures["machine_cores"] = os.cpu_count()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
