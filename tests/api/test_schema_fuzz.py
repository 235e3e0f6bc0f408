"""schemathesis over the whole API: the schema is loaded from the Django app itself (WSGI,
no server) and every operation is called with generated data, with a key of each scope
and without one. No answer may be a server error, and every answer must match the schema
(status code, content type, body); invalid input gets a documented problem answer,
never a server error. Deterministic and small (a few examples per
operation) so it runs in every CI build."""
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.models import AuditEvent

from .conftest import KeyClient, application_body

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4


class _InTestTransaction(WSGIHandler):
    """Django's WSGI handler inside the test's transaction: as the test client does, it must
    not close the connection around a request. The test client reconnects the closing hook
    after each of its own requests, so it is taken off again at every call (on PostgreSQL
    the connection would otherwise be closed in the middle of the test)."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return super().__call__(environ, start_response)


@pytest.fixture
def wsgi_app():
    try:
        yield _InTestTransaction()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(operation, headers_by_caller, path_parameters=None, *, mode=GenerationMode.POSITIVE, examples=EXAMPLES):
    kwargs = {"generation_mode": mode, **({"path_parameters": path_parameters} if path_parameters else {})}
    # invalid input cannot match the schema's request, only its answers: no body check then
    checks = CHECKS if mode == GenerationMode.POSITIVE else CHECKS[:3]

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(**kwargs))
    def check(case):
        for headers in headers_by_caller:
            response = case.call(headers={**(case.headers or {}), **headers})
            case.validate_response(response, checks=checks)

    try:
        check()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # an operation without input has no invalid form


def test_every_operation_answers_within_its_schema_for_every_scope(wsgi_app, keys, land):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    # one real application (registered, with its receipt) so object URLs also reach real objects
    pushed = KeyClient(keys["full"][1]).post_json("/api/applications/", application_body(register=True)).json()
    real = KeyClient(keys["full"][1]).get(f"/api/applications/{pushed['id']}/").json()
    real_ids = {"/api/applications/": pushed["id"], "/api/documents/": real["documents"][0]["id"]}
    callers = [{"Authorization": f"Api-Key {secret}"} for _key, secret in keys.values()] + [{}]
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        _run(operation, callers)
        if "{id}" in operation.path:
            real_id = next(v for prefix, v in real_ids.items() if operation.path.startswith(prefix))
            _run(operation, callers, path_parameters={"id": real_id})
        # and invalid input (wrong types, missing fields, bad paths), with the full key: a problem, never a 5xx
        _run(operation, callers[2:3], mode=GenerationMode.NEGATIVE, examples=3)
    assert operations >= 17
    # the calls really went through: each key's calls are in the audit record, by operation
    called = AuditEvent.objects.filter(action="api.called")
    assert called.count() >= operations * 3 * 2
    assert {e.after["status"] for e in called} >= {200, 201, 400, 403, 404}
