"""Throughput and p95 of the deployed layout under a fixed load (`make bench`, on the
1 k-case history): Redis, web processes under gunicorn and a Celery worker against the
database in DATABASE_URL, and locust (tests/bench/locustfile.py) run headless with a
fixed number of users for a fixed time. The web processes and the worker run the
bench-only settings tests/bench/locust_settings.py.

    DATABASE_URL=postgres://…/ogi_bench_1k python -m tests.bench.load

BENCH_LOCUST_USERS (20), BENCH_LOCUST_SECONDS (60) and BENCH_LOCUST_WEB_WORKERS (2, the
gunicorn workers) set the load. The last line printed is one JSON object: locust_rps
(requests a second, all kinds), locust_p95_ms (95th percentile of all requests),
locust_failures, locust_requests, and the p95 of the heaviest kinds of request."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.stack import ROOT, Stack


def _figures(stats_csv: Path, users: int, seconds: int) -> dict:
    rows = {row["Name"]: row for row in csv.DictReader(stats_csv.open(encoding="utf-8"))}
    total = rows["Aggregated"]
    out = {
        "locust_users": users, "locust_seconds": seconds,
        "locust_requests": int(total["Request Count"]), "locust_failures": int(total["Failure Count"]),
        "locust_rps": round(float(total["Requests/s"]), 1), "locust_p95_ms": int(float(total["95%"])),
        "locust_median_ms": int(float(total["50%"])),
    }
    for name, key in [("portal: submit application", "locust_submit_p95_ms"),
                      ("portal: status page", "locust_status_p95_ms"), ("staff: inbox", "locust_inbox_p95_ms"),
                      ("staff: register", "locust_register_p95_ms")]:
        if name in rows and int(rows[name]["Request Count"]):
            out[key] = int(float(rows[name]["95%"]))
    return out


def main() -> None:
    users = int(os.environ.get("BENCH_LOCUST_USERS", "20"))
    seconds = int(os.environ.get("BENCH_LOCUST_SECONDS", "60"))
    web_workers = int(os.environ.get("BENCH_LOCUST_WEB_WORKERS", "2"))
    work = Path(tempfile.mkdtemp(prefix="ogi-bench-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "EMAIL_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.bench.locust_settings", "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY", "bench"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "OGI_OTP_REQUIRED": "0", "DB_CONN_MAX_AGE": "60",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend", "OGI_VAR_DIR": env.get("OGI_VAR_DIR", str(work)),
    })
    with Stack(env, logs=str(work / "logs")) as stack:
        stack.env["REDIS_URL"] = stack.redis()
        stack.worker("bench")
        base = stack.web(workers=web_workers, timeout=60)
        stack.wait_workers(["bench"])
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "tests/bench/locustfile.py"), "--headless",
             "--users", str(users), "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{seconds}s",
             "--host", base, "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10",
             "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=sys.stderr, stderr=sys.stderr,
            timeout=seconds + 120)
        figures = _figures(work / "locust_stats.csv", users, seconds)
        if locust.returncode not in (0, 1):  # 1: some requests failed (counted in locust_failures)
            raise SystemExit(f"locust failed ({locust.returncode})")
        if figures["locust_failures"]:
            print(stack.log(f"web-{base.rsplit(':', 1)[1]}"), file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
