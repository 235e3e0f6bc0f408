"""The deployment that grows by adding machines, on loopback: two web processes under
gunicorn and two Celery workers against one PostgreSQL and one Redis. Applicants apply
on both web processes, the registrar works the cases on both; what a web process queues
(the 登记回执 PDF, the applicant's mail) is done by the workers; the portal's rate limit,
the applicants' sessions and the staff log-in hold across the two web processes.

Runs once, in the PostgreSQL phase of `make test` (it needs a server that other
processes can reach; SQLite is one file on one machine)."""
import os
import re
import time

import pytest
import requests
from django.db import connection

from agencies import roles
from documents import kinds
from documents.models import Document, RenderStatus
from notifications.models import Message
from tests.portal.helpers import application_data
from tests.stack import SmtpSink, Stack
from workflows.flows import DisclosureRequestFlow as Flow
from workflows.models import DisclosureRequest, RequestStatus

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.production_password_hashing]

APPLICANTS = {"张三": "zhangsan", "李四": "lisi", "王五": "wangwu", "赵六": "zhaoliu", "孙七": "sunqi"}
PASSWORD = "pw-for-tests-123"


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def machines(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL reachable from other processes (`make test` runs it in its PostgreSQL phase)")
    sink = SmtpSink()
    stack = Stack({
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OGI_", "EMAIL_", "REDIS_"))},
        "DATABASE_URL": database_url(), "DJANGO_SECRET_KEY": "test-two-machines", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "OGI_VAR_DIR": str(tmp_path / "var"), "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "OGI_OTP_REQUIRED": "0", "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)
    }, logs=str(tmp_path / "logs"))
    try:
        stack.env["REDIS_URL"] = stack.redis()
        for name in ("w1", "w2"):
            stack.worker(name)
        webs = stack.webs(2)
        stack.wait_workers(["w1", "w2"])
        yield stack, webs, sink
    finally:
        stack.close()
        sink.close()


def csrf(session: requests.Session) -> str:
    return session.cookies.get("csrftoken", "")


def apply(session: requests.Session, base: str, agency, name: str) -> requests.Response:
    page = session.get(f"{base}/apply/")
    assert page.status_code == 200
    data = application_data(agency, page.text, applicant_name=name, email=f"{APPLICANTS.get(name, 'zhouba')}@example.com")
    return session.post(f"{base}/apply/", data={**data, "csrfmiddlewaretoken": csrf(session)}, allow_redirects=False)


def register(session: requests.Session, base: str, case: DisclosureRequest) -> None:
    """The registrar takes the case's 登记 task from the queue and registers it (the staff pages)."""
    from viewflow.workflow.models import Task

    task = Task.objects.get(process__in=case.processes.values("pk"), flow_task=Flow.register)
    token = {"csrfmiddlewaretoken": csrf(session)}
    if task.status == "NEW":
        resp = session.post(base + Flow.register.reverse("assign", args=[task.process_id, task.pk]), data=token,
                            allow_redirects=False)
        assert resp.status_code == 302, resp.text[:500]
    url = base + Flow.register.reverse("execute", args=[task.process_id, task.pk])
    assert session.get(url).status_code == 200
    resp = session.post(url, data=token, allow_redirects=False)
    assert resp.status_code == 302, resp.text[:2000]


def wait_for(what: str, check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"not done in {timeout:.0f} s: {what}")


def test_two_web_processes_and_two_workers_share_one_database_and_one_redis(machines, agency, make_staff):
    stack, (web_a, web_b), sink = machines
    make_staff(roles.REGISTRAR, username="registrar", full_name="李登记")

    # Applicants apply on both web processes; the page after submitting (the one-time
    # access code, kept in the session) opens on the other one: sessions are shared.
    applicant = requests.Session()
    tracking = []
    for n, name in enumerate(APPLICANTS):
        here, there = (web_a, web_b) if n % 2 == 0 else (web_b, web_a)
        resp = apply(applicant, here, agency, name)
        assert resp.status_code == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</', resp.text, re.S)
        page = applicant.get(there + resp.headers["Location"]).text
        tracking.append(re.search(r'id="tracking-number">([^<]+)<', page).group(1))
        assert re.search(r'id="access-code">([^<]+)<', page), "the access code is shown on the other web process"
    # Five applications an hour per client, counted once for both web processes (Redis):
    # the sixth is refused wherever it is sent.
    refused = apply(applicant, web_b, agency, "周八")
    assert refused.status_code == 200 and "操作过于频繁，请稍后再试。" in refused.text
    assert DisclosureRequest.objects.count() == len(APPLICANTS)

    # The registrar logs in on web A and works the queue on web B (and A).
    staff = requests.Session()
    staff.get(f"{web_a}/staff/accounts/login/")
    resp = staff.post(f"{web_a}/staff/accounts/login/", allow_redirects=False,
                      data={"username": "registrar", "password": PASSWORD, "csrfmiddlewaretoken": csrf(staff)})
    assert resp.status_code == 302, resp.text[:1000]
    queue = staff.get(f"{web_b}/staff/workflow/queue/")
    assert queue.status_code == 200 and "/staff/accounts/login/" not in queue.url
    for name in APPLICANTS:
        assert name in queue.text
    cases = {c.tracking_number: c for c in DisclosureRequest.objects.filter(tracking_number__in=tracking)}
    for n, number in enumerate(tracking):
        register(staff, web_b if n % 2 == 0 else web_a, cases[number])
    assert set(DisclosureRequest.objects.values_list("status", flat=True)) == {RequestStatus.REGISTERED}

    # The web processes only queued the receipts and the mail; the workers did them.
    receipts = Document.objects.filter(kind=kinds.RECEIPT, request__tracking_number__in=tracking)
    wait_for("five 登记回执 numbered and rendered", lambda: receipts.filter(render_status=RenderStatus.DONE).count() == 5)
    assert all(bytes(d.pdf).startswith(b"%PDF") and d.number for d in receipts)
    mails = Message.objects.filter(channel=Message.EMAIL, subject="申请已登记")
    wait_for("five 申请已登记 mails sent", lambda: mails.filter(status=Message.SENT).count() == 5)
    wait_for("five mails at the mail server", lambda: len(sink.messages) >= 5)
    assert sorted(m["To"] for m in sink.messages) == sorted(f"{mail}@example.com" for mail in APPLICANTS.values())
    assert all("申请已登记" == m["Subject"] for m in sink.messages)
    logs = stack.log("worker-w1", tail=10**6) + stack.log("worker-w2", tail=10**6)
    assert len(re.findall(r"Task documents\.document_issue\[[^]]+\] succeeded", logs)) == 5
    assert "Traceback" not in logs

    # The applicant follows the status on either web process: the case page says 已登记.
    page = applicant.get(f"{web_a}/cases/{tracking[1]}/")
    assert page.status_code == 200 and "已登记" in page.text
