"""Two pushes of one application with the same Idempotency-Key at the same moment (a
portal that retries before the first answer came back): the second waits for the first
and replays its answer — one case, no error. Real threads on committed data: PostgreSQL
when the suite runs on it, a file SQLite database otherwise (tests/sqlite_file.py)."""
import pytest

from api.models import ApiPush
from tests.sqlite_file import file_database, race
from workflows.models import DisclosureRequest

from .conftest import KeyClient, application_body

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_pushes_with_one_key_make_one_case(tmp_path, keys, people):
    secret = keys["intake"][1]
    body = application_body(register=True)
    with file_database(tmp_path / "idempotency.sqlite3"):
        results = race(*[lambda: KeyClient(secret).post_json("/api/applications/", body,
                                                             HTTP_IDEMPOTENCY_KEY="12345-2026-0815")
                         for _ in range(2)])
        assert all(exc is None for _r, exc in results), [exc for _r, exc in results]
        answers = sorted((r.status_code, r.get("Idempotent-Replayed")) for r, _exc in results)
        assert answers == [(200, "true"), (201, None)], [r.content[:300] for r, _e in results]
        first, replay = sorted((r for r, _e in results), key=lambda r: r.status_code, reverse=True)
        assert replay.json()["id"] == first.json()["id"] and replay.json()["tracking_number"] == first.json()["tracking_number"]
        assert replay.json()["registration_number"] == first.json()["registration_number"]
        assert DisclosureRequest.objects.count() == 1 and ApiPush.objects.count() == 1
