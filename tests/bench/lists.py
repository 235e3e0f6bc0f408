"""Lists, pages, the reminder sweep and the annual report on a database with history
(`python -m tests.bench.lists --label 100k`; DATABASE_URL names a database built by
`tests.bench.history`).

For each page: median and p95 server time through the Django test client (logged in,
after warm-up requests) and its number of queries. Then the reminder sweep over the open
cases (first run, which sends, and the repeat run, which finds everything sent) in a
transaction rolled back afterwards, and `annual_report` for one agency and for all.
The last line printed is one JSON object, every key suffixed with the label.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

RUNS = int(os.environ.get("BENCH_LIST_RUNS", "15"))
WARM = 2


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.OTP_REQUIRED = False
    settings.DEBUG = False


def _p95(times: list[float]) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def _measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {"median_ms": round(1000 * statistics.median(times), 1), "p95_ms": round(1000 * _p95(times), 1),
            "queries": len(ctx.captured_queries)}


def pages() -> dict[str, tuple[str, str]]:
    """name -> (url, who): the busiest agency's staff (agency of the template cases)."""
    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, reverse

    from workflows.models import OPEN_STATUSES, DisclosureRequest

    User = get_user_model()
    handler = User.objects.get(username="a01_handler")
    open_case = (DisclosureRequest.objects.filter(agency=handler.staff_profile.agency, status__in=OPEN_STATUSES,
                                                  handler=handler).order_by("pk").first())
    out = {
        "inbox": ("/staff/workflow/inbox/", "a01_handler"),
        "queue": ("/staff/workflow/queue/", "a01_registrar"),
        "done": ("/staff/workflow/archive/", "a01_registrar"),
        "search": ("/staff/workflow/cases/", "a01_registrar"),
        "case_page": (reverse("workflow:case_detail", args=[open_case.pk]), "a01_handler"),
        "publication_queue": ("/staff/publication/queue/", "a01_publisher"),
    }
    sign_off = _sign_off_task(User.objects.get(username="a01_chief"))
    if sign_off is not None:  # 审签: the reply as it will be printed and every opinion before it
        out["sign_off"] = (sign_off.flow_task.reverse("execute", args=[sign_off.process_id, sign_off.pk]), "a01_chief")
    try:  # 案件查询 with a query, and 督办 (the person in charge's overdue and near-due cases)
        out["search_query"] = (reverse("workflow:cases:index") + "?applicant=申请人1", "a01_registrar")
        out["supervision"] = (reverse("workflow:supervision:index"), "a01_chief")
    except NoReverseMatch:
        out["search_query"] = ("/staff/workflow/cases/?applicant=申请人1", "a01_registrar")
    return out


def _sign_off_task(chief):
    """The busiest agency's open 审签 task, claimed by its person in charge (through the
    service, as the 认领 button does), or None when the history has none."""
    from viewflow.workflow.models import Task

    from workflows.services import request_task_claim

    task = (Task.objects.filter(flow_task__endswith=".sign_off", finished__isnull=True,
                                process__requestprocess__case__agency=chief.staff_profile.agency)
            .order_by("pk").first())
    if task is None:
        return None
    if task.owner_id is None:
        request_task_claim(actor=chief, case=task.process.requestprocess.case, task=task)
        task.refresh_from_db()
    return task


def portal(client) -> dict:
    """The applicant's status page, the session granted the case (as after a look-up)."""
    from workflows.models import DisclosureRequest

    case = DisclosureRequest.objects.filter(agency__short_name="基准01", status="archived").order_by("pk").first()
    import time as _time

    session = client.session
    now = int(_time.time())
    session["portal_cases"] = {str(case.pk): [now, now]}  # as the look-up grants it (portal.views._grant)
    session.save()
    return _measure(client, f"/cases/{case.tracking_number}/")


def sweep() -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from workflows.reminders import reminders_sweep

    out = {}
    with transaction.atomic():
        for run in ("first", "repeat"):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                fired = reminders_sweep()
                out[f"reminder_sweep_{run}_s"] = round(time.perf_counter() - t, 2)
            out[f"reminder_sweep_{run}_queries"] = len(ctx.captured_queries)
            out[f"reminder_sweep_{run}_fired"] = sum(fired.values())
        transaction.set_rollback(True)
    out["reminder_sweep_s"] = out["reminder_sweep_repeat_s"]
    out["reminder_sweep_queries"] = out["reminder_sweep_repeat_queries"]
    return out


def annual() -> dict:
    import io

    from django.core.management import call_command

    from agencies.models import Agency

    year = dt.date.today().year - 1
    out = {}
    for name, agency in (("one", str(Agency.objects.get(short_name="基准01").pk)), ("all", "all")):
        call_command("annual_report", year=year, agency=agency, format="json", stdout=io.StringIO())  # warm
        t = time.perf_counter()
        call_command("annual_report", year=year, agency=agency, format="json", stdout=io.StringIO())
        out[f"annual_report_{name}_s"] = round(time.perf_counter() - t, 3)
    out["annual_report_s"] = max(out["annual_report_one_s"], out["annual_report_all_s"])
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label", default="")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args(argv)
    _setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from workflows.models import DisclosureRequest

    User = get_user_model()
    label = args.label or f"{DisclosureRequest.objects.count() // 1000}k"
    figures: dict[str, float] = {}
    wanted = set(filter(None, args.only.split(",")))
    for name, (url, who) in pages().items():
        if wanted and name not in wanted:
            continue
        client = Client()
        client.force_login(User.objects.get(username=who))
        try:
            got = _measure(client, url)
        except Exception as exc:  # a page this installation lacks is reported, not fatal
            print(f"{name}: {exc!r}", file=sys.stderr)
            continue
        print(f"{label} {name:18s} {url}: median {got['median_ms']} ms, p95 {got['p95_ms']} ms, "
              f"{got['queries']} queries", file=sys.stderr)
        figures[f"{name}_ms"] = got["median_ms"]
        figures[f"{name}_p95_ms"] = got["p95_ms"]
        figures[f"{name}_queries"] = got["queries"]
    if not wanted or "portal" in wanted:
        got = portal(Client())
        figures.update(portal_ms=got["median_ms"], portal_p95_ms=got["p95_ms"], portal_queries=got["queries"])
    if not wanted or "sweep" in wanted:
        figures.update(sweep())
    if not wanted or "annual" in wanted:
        figures.update(annual())
    connection.close()
    print(json.dumps({f"{k}_{label}": v for k, v in figures.items()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
