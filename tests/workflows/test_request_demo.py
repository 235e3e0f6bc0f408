"""The demo leaves cases in every state and can be loaded twice."""
import io

import pytest
from django.core.management import call_command

from workflows.models import DisclosureRequest, RequestStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_every_state_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    statuses = set(DisclosureRequest.objects.values_list("status", flat=True))
    for status in [RequestStatus.SUBMITTED, RequestStatus.REGISTERED, RequestStatus.AWAITING_SUPPLEMENT,
                   RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING, RequestStatus.CONFIDENTIALITY_REVIEW,
                   RequestStatus.SIGN_OFF, RequestStatus.ISSUED, RequestStatus.ARCHIVED, RequestStatus.WITHDRAWN]:
        assert status in statuses, status
    assert DisclosureRequest.objects.filter(description__startswith="【演示】").count() == 13
    client.post("/staff/accounts/login/", {"username": "handler", "password": "demo-2026"})
    body = client.get("/staff/workflow/inbox/").content.decode()
    assert "个工作日" in body
    assert "王五" in client.get("/staff/workflow/queue/").content.decode()
    client.post("/staff/accounts/login/", {"username": "anyue_handler", "password": "demo-2026"})
    assert "张三" not in client.get("/staff/workflow/cases/").content.decode()
