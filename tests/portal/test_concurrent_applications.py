"""The embedded default (SQLite) under concurrent use: ten people press 提交申请 at the
same moment and every one gets a tracking number; two registrars register the same
application at once and the second is told it is done, instead of a server error
("database is locked")."""
import re

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client

from audit.models import AuditEvent
from tests.applications import submit, svc
from tests.sqlite_file import file_database, race
from workflows.models import DisclosureRequest, RequestStatus

from .helpers import application_data

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANTS = 10


def test_ten_simultaneous_applications_all_succeed(tmp_path, agency):
    caches["shared"].clear()  # the rate-limit counters
    with file_database(tmp_path / "portal.sqlite3"):
        if connection.vendor == "sqlite":
            mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
            assert mode == "wal", "SQLite 应以 WAL 模式运行"
        pages = []
        for i in range(APPLICANTS):
            client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")  # ten different people
            pages.append((client, application_data(agency, client.get("/apply/").content.decode(),
                                                   applicant_name=f"申请人{i}", phone=f"1380013{i:04d}")))
        results = race(*[lambda c=c, d=d: c.post("/apply/", d) for c, d in pages])

        assert all(e is None for _r, e in results), [e for _r, e in results if e is not None]
        answers = [(r.status_code, r.get("Location", "")) for r, _e in results]
        assert all(status == 302 and re.search(r"/cases/[^/]+/submitted/", where) for status, where in answers), answers
        assert DisclosureRequest.objects.count() == APPLICANTS
        assert len(set(DisclosureRequest.objects.values_list("tracking_number", flat=True))) == APPLICANTS
        assert DisclosureRequest.objects.filter(applicant_name="申请人7").exists()


def test_two_registrars_registering_the_same_application_at_once(tmp_path, agency, people, make_staff):
    from agencies import roles

    second = make_staff(roles.REGISTRAR, username="registrar2", full_name="二号登记员")
    case, _code = submit(agency, people["registrar"])
    with file_database(tmp_path / "race.sqlite3"):
        results = race(
            lambda: svc.request_register(actor=people["registrar"], case=case),
            lambda: svc.request_register(actor=second, case=case),
        )
        errors = [e for _r, e in results if e is not None]
        assert sum(e is None for _r, e in results) == 1 and len(errors) == 1, results
        assert isinstance(errors[0], (ValidationError, PermissionDenied)), repr(errors[0])  # a message, not a 500
        case = DisclosureRequest.objects.get(pk=case.pk)
        assert case.status == RequestStatus.REGISTERED and case.registration_number
        assert AuditEvent.objects.filter(action="request.registered", object_id=str(case.pk)).count() == 1
