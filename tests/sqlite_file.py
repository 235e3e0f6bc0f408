"""Running a test on a file-based SQLite database, as production's embedded default runs.

On SQLite the test database lives in memory, where every thread shares one cache and
SQLite's file locking (what production meets) never happens. `file_database` copies the
test database (schema and the rows the test has committed so far) to a file and points
every new connection at it (each thread opens its own), with the settings' OPTIONS (WAL,
IMMEDIATE transactions, busy timeout). On PostgreSQL it does nothing. Use it in tests
marked `django_db(transaction=True)`."""
import contextlib
import sqlite3
import threading

from django.db import connection, connections


@contextlib.contextmanager
def file_database(path):
    if connection.vendor != "sqlite":
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


def race(*calls, timeout=120):
    """Run the calls at the same moment in threads; return [(result, exception)]."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(30)
            results[i] = (fn(), None)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results[i] = (None, exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
