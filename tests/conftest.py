import datetime as dt

import pytest

from agencies import roles
from agencies.services import agency_create, department_create, staff_create


@pytest.fixture(autouse=True, scope="session")
def _staff_site_loaded():
    """Flow nodes learn their URL namespaces when the staff site is built (config.urls),
    as they always have in a running server; a test that reverses a node URL before any
    request must not depend on another test having loaded them."""
    import config.urls  # noqa: F401


@pytest.fixture(autouse=True)
def _commits_as_in_production(request, monkeypatch):
    """Under pytest-django's `db` fixture a test runs inside one transaction that never
    commits, so work the code defers to `transaction.on_commit` (numbering and rendering
    documents, dispatching messages, building case files) would never run. Here the
    outermost transaction that the code under test opens behaves as a commit: when it
    exits cleanly, its on-commit work runs, as it does in production. Tests that need
    real commits (concurrency, the live server) use `transactional_db` instead."""
    if "db" not in request.fixturenames or {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection, transaction

    request.getfixturevalue("db")
    depth = len(connection.atomic_blocks)
    exit_atomic = transaction.Atomic.__exit__

    def __exit__(self, exc_type, exc_value, traceback):
        result = exit_atomic(self, exc_type, exc_value, traceback)
        if exc_type is None and len(connection.atomic_blocks) == depth and connection.run_on_commit:
            pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
            for _sids, func, _robust in pending:
                func()
        return result

    monkeypatch.setattr(transaction.Atomic, "__exit__", __exit__)
    yield


@pytest.fixture(autouse=True)
def _outbox_delivers_inline(settings):
    """Without a broker the outbox delivers in a thread beside the request; tests that
    read what was sent right after the change deliver inline (Celery eager) instead.
    tests/notifications/test_mail_never_blocks.py switches the thread back on."""
    settings.OUTBOX_DELIVER_IN_BACKGROUND = False
    settings.CASE_FILE_BUILD_IN_BACKGROUND = False  # likewise the case file (卷宗) on archiving


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(settings, tmp_path):
    """Each test seals into its own checkpoint file (the database is fresh per test too)."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def agency(db):
    return agency_create(
        actor=None,
        name="平顶山市石龙区人民政府办公室",
        short_name="石龙政办",
        ogi_office="石龙区人民政府办公室政务公开科",
        address="河南省平顶山市石龙区龙兴街1号",
        phone="0375-1234567",
        reconsideration_body="平顶山市石龙区人民政府",
        court="平顶山市湛河区人民法院",
    )


@pytest.fixture
def other_agency(db):
    return agency_create(
        actor=None,
        name="安岳县人民政府办公室",
        short_name="安府办",
        ogi_office="安岳县人民政府办公室政务公开股",
        address="四川省资阳市安岳县岳阳镇",
        phone="028-24521234",
        reconsideration_body="安岳县人民政府",
        court="资阳市雁江区人民法院",
    )


@pytest.fixture
def department(agency):
    return department_create(actor=None, agency=agency, name="政务公开科", code="ogi")


@pytest.fixture
def make_staff(agency, department):
    counter = {"n": 0}

    def make(*role_names, agency_=None, department_=None, **kw):
        counter["n"] += 1
        return staff_create(
            actor=None,
            username=kw.pop("username", f"staff{counter['n']}"),
            password="pw-for-tests-123",
            full_name=kw.pop("full_name", f"工作人员{counter['n']}"),
            agency=agency_ or agency,
            department=department_ if department_ is not None else department,
            roles=list(role_names),
            **kw,
        )

    return make


@pytest.fixture
def calendar_admin(make_staff):
    return make_staff(roles.ADMINISTRATOR, full_name="日历管理员")


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


# --- an agency's staff for the application tests (built through the services) ---

@pytest.fixture
def land(agency):
    return department_create(actor=None, agency=agency, name="自然资源局", code="land")


@pytest.fixture
def people(make_staff, land, department):
    return {
        "registrar": make_staff(roles.REGISTRAR, username="registrar", full_name="李登记"),
        "handler": make_staff(roles.HANDLER, username="handler", full_name="王承办", department_=land),
        "handler2": make_staff(roles.HANDLER, username="handler2", full_name="赵承办", department_=land),
        "ogi_handler": make_staff(roles.HANDLER, username="ogi_handler", full_name="钱承办", department_=department),
        "secrecy": make_staff(roles.CONFIDENTIALITY_REVIEWER, username="secrecy", full_name="孙保密"),
        "legal": make_staff(roles.LEGAL_REVIEWER, username="legal", full_name="周法制"),
        "chief": make_staff(roles.PERSON_IN_CHARGE, username="chief", full_name="吴负责"),
        "auditor": make_staff(roles.AUDITOR, username="auditor", full_name="钱监督"),
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Test accounts' passwords are hashed with a fast hasher, as Django advises for tests:
    the production hasher (PBKDF2, a million rounds) costs about 0.4 s a password here, and
    most tests make eight staff. Every production hasher still verifies. Tests whose
    passwords are checked by other processes with the production settings (the deployment
    test) keep the production hashers (`production_password_hashing`)."""
    if request.node.get_closest_marker("production_password_hashing"):
        return
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *global_settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _second_factor_off_unless_asked(request, settings):
    """Most tests sign staff in with `force_login` or the password alone; the second
    factor has its own tests (tests/security/test_staff_authentication.py), which ask
    for it with the `otp_required` marker."""
    settings.OTP_REQUIRED = bool(request.node.get_closest_marker("otp_required"))
