"""Ten people press 提交申请 at the same moment on the embedded default (SQLite): every
one of them gets a tracking number, none a server error ("database is locked")."""
import contextlib
import re
import sqlite3
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from workflows.models import DisclosureRequest

from .helpers import application_data

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANTS = 10


@contextlib.contextmanager
def file_database(path):
    """On SQLite the test database lives in memory, where every thread shares one cache
    and SQLite's file locking (what production meets) never happens. Copy it to a file
    and point every new connection (each thread opens its own) at that file, with the
    settings' OPTIONS (WAL, IMMEDIATE, busy timeout) as in production."""
    if not connection.vendor == "sqlite":
        yield
        return
    memory = connections["default"]
    memory.ensure_connection()
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    saved = connections.settings["default"]
    on_file = {**saved, "NAME": str(path)}
    connections.settings["default"] = on_file
    connections["default"] = memory.__class__(on_file, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = saved
        connections["default"] = memory


def test_ten_simultaneous_applications_all_succeed(tmp_path):
    from agencies.services import agency_create

    cache.clear()
    with file_database(tmp_path / "portal.sqlite3"):
        if connection.vendor == "sqlite":
            mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
            assert mode == "wal", "SQLite 应以 WAL 模式运行"
        agency = agency_create(actor=None, name="安岳县人民政府办公室", short_name="安府办",
                               ogi_office="安岳县人民政府办公室政务公开股", address="四川省资阳市安岳县岳阳镇",
                               phone="028-24521234", reconsideration_body="安岳县人民政府", court="资阳市雁江区人民法院")
        barrier = threading.Barrier(APPLICANTS)
        results = [None] * APPLICANTS

        def apply(i):
            client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")  # ten different people
            try:
                data = application_data(agency, client.get("/apply/").content.decode(),
                                        applicant_name=f"申请人{i}", phone=f"1380013{i:04d}")
                barrier.wait(30)
                response = client.post("/apply/", data)
                results[i] = (response.status_code, response.get("Location", ""))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                results[i] = (type(exc).__name__, str(exc))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=apply, args=(i,)) for i in range(APPLICANTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)

        assert all(status == 302 and re.search(r"/cases/[^/]+/submitted/", where) for status, where in results), results
        assert DisclosureRequest.objects.count() == APPLICANTS
        assert len(set(DisclosureRequest.objects.values_list("tracking_number", flat=True))) == APPLICANTS
        assert DisclosureRequest.objects.filter(applicant_name="申请人7").exists()
