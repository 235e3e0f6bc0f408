"""The load of `make bench` (tests/bench/load.py runs it headless against gunicorn):
applicants apply on the portal and follow their cases' status; registrars log in and
work their inbox and queue (look at the lists, search, open a case, register a new
application). The web processes run tests/bench/locust_settings.py (bench only: the
CAPTCHA takes its test answer, the rate limits are off).

The staff are the bench history's accounts (tests/bench/history.py): `aNN_registrar`
and `aNN_handler` of agencies 1…AGENCIES; the applicants apply to those agencies, so
the registrars find their applications in the queue."""
from __future__ import annotations

import itertools
import random
import re

from locust import HttpUser, between, task

AGENCIES = 5  # the agencies the simulated applicants apply to and whose staff log in
PASSWORD = "bench-pw-2026"
TASK_LINK = re.compile(r'href="(/staff/workflow/flows/disclosurerequest/\d+/register/\d+/)"')
CASE_LINK = re.compile(r'href="(/staff/workflow/cases/\d+/)"')
ITEMS = ["2025年土地征收补偿方案", "2024年度财政预算执行情况", "城市更新项目环境影响评价报告", "学校布局调整规划"]

_staff_numbers = itertools.count()


def _csrf(user: HttpUser) -> str:
    return user.client.cookies.get("csrftoken", "")


class Applicant(HttpUser):
    """Applies now and then; mostly comes back to see how the application stands."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        self.cases: list[tuple[str, str]] = []
        self.agencies: list[str] = []

    @task(1)
    def apply(self):
        with self.client.get("/apply/", name="portal: apply form", catch_response=True) as page:
            key = re.search(r'name="captcha_0" value="([^"]+)"', page.text)
            if not key:
                page.failure("no CAPTCHA on the form")
                return
        if not self.agencies:
            select = re.search(r'<select name="agency"[^>]*>(.*?)</select>', page.text, re.S)
            values = [int(v) for v in re.findall(r'<option value="(\d+)"', select.group(1) if select else "")]
            self.agencies = [str(v) for v in sorted(values)[:AGENCIES]]
        n = random.randrange(10_000)
        data = {
            "csrfmiddlewaretoken": _csrf(self), "agency": random.choice(self.agencies),
            "applicant_type": "natural", "applicant_name": "张三", "id_type": "resident_id",
            "id_number": "11010519491231002X", "phone": "13800138000", "email": f"applicant{n}@example.com",
            "address": "石龙区龙兴街2号", "postcode": "467045", "form_wanted": "electronic", "delivery_wanted": "online",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "20", "items-0-title": random.choice(ITEMS), "items-0-document_number": "",
            "items-0-description": "全文", "captcha_0": key.group(1), "captcha_1": "passed",
        }
        with self.client.post("/apply/", data=data, name="portal: submit application", catch_response=True) as resp:
            tracking = re.search(r'id="tracking-number">([^<]+)<', resp.text)
            code = re.search(r'id="access-code">([^<]+)<', resp.text)
            if not (tracking and code):
                resp.failure("no tracking number and access code after submitting")
                return
        self.cases.append((tracking.group(1).strip(), code.group(1).strip()))

    @task(3)
    def track(self):
        if not self.cases:
            return self.apply()
        tracking, code = random.choice(self.cases)
        self.client.get("/track/", name="portal: track form")
        with self.client.post("/track/", data={"csrfmiddlewaretoken": _csrf(self), "tracking_number": tracking,
                                               "access_code": code},
                              name="portal: look up + status page", catch_response=True) as resp:
            if f"/cases/{tracking}/" not in resp.url:
                resp.failure("the look-up did not open the case")
                return
        self.client.get(f"/cases/{tracking}/", name="portal: status page")


class Registrar(HttpUser):
    """Logs in once, then works: the inbox, the queue (registering a new application),
    the case list and a case page."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        agency = next(_staff_numbers) % AGENCIES + 1
        self.client.get("/staff/accounts/login/", name="staff: log-in form")
        with self.client.post("/staff/accounts/login/", name="staff: log in", catch_response=True,
                              data={"csrfmiddlewaretoken": _csrf(self), "username": f"a{agency:02d}_registrar",
                                    "password": PASSWORD}) as resp:
            if "/staff/accounts/login/" in resp.url:
                resp.failure("log-in refused")

    @task(3)
    def inbox(self):
        self.client.get("/staff/workflow/inbox/", name="staff: inbox")

    @task(3)
    def register_from_queue(self):
        queue = self.client.get("/staff/workflow/queue/", name="staff: queue")
        tasks = sorted(set(TASK_LINK.findall(queue.text)))
        if not tasks:
            return
        base = random.choice(tasks)
        self.client.post(base + "assign/", data={"csrfmiddlewaretoken": _csrf(self)}, name="staff: claim 登记")
        self.client.get(base + "execute/", name="staff: 登记 form")
        with self.client.post(base + "execute/", data={"csrfmiddlewaretoken": _csrf(self)}, name="staff: register",
                              catch_response=True) as resp:
            if "/execute/" in resp.url:
                resp.failure("registration not accepted")

    @task(2)
    def cases(self):
        page = self.client.get("/staff/workflow/cases/", name="staff: case list")
        links = CASE_LINK.findall(page.text)
        if links:
            self.client.get(random.choice(links), name="staff: case page")
