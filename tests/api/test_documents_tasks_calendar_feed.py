"""Documents with their digest, tasks, the working-day calculator and the public feed."""
import hashlib

import pytest
from django.test import Client

from documents.models import Document
from legal.selectors import local_today
from reviews.models import Publication
from tests.applications import accepted

from .conftest import KeyClient

pytestmark = pytest.mark.django_db


def test_a_documents_pdf_comes_with_its_sha256(client_for, agency, people, land):
    case = accepted(agency, people, land)
    doc = Document.objects.filter(request=case).exclude(sha256="").first()
    assert doc is not None
    read = client_for("read")
    meta = read.get(f"/api/documents/{doc.pk}/").json()
    assert meta["sha256"] == doc.sha256 and meta["has_pdf"] and meta["kind_label"]
    pdf = read.get(f"/api/documents/{doc.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Content-SHA256"] == hashlib.sha256(pdf.content).hexdigest() == doc.sha256
    assert pdf["Repr-Digest"].startswith("sha-256=:")


def test_the_full_keys_queue_holds_the_registrars_steps(client_for, agency, people, land):
    from .conftest import application_body
    pushed = client_for("full").post_json("/api/applications/", application_body()).json()
    queue = client_for("full").get("/api/tasks/queue/").json()
    assert [(t["application"], t["step"]) for t in queue] == [(pushed["id"], "登记")]
    assert client_for("full").get("/api/tasks/inbox/").json() == []
    client = Client()
    client.force_login(people["registrar"])
    assert [t["application"] for t in client.get("/api/tasks/queue/").json()] == [pushed["id"]]


def test_the_calculator_explains_its_answer_at_both_addresses(client_for):
    for url in ("/api/calendar/add-workdays/", "/api/legal/calendar/add-workdays/"):
        body = client_for("intake").get(url, {"start": "2025-09-30", "days": 20}).json()
        assert body["due_date"] == "2025-11-04" and body["provisional"] is False
        assert any("跳过" in line for line in body["derivation"])
    day = client_for("read").get("/api/calendar/is-workday/", {"date": "2025-10-01"}).json()
    assert day["is_workday"] is False and day["name"]
    year = client_for("read").get("/api/calendar/years/2025/").json()
    assert year["official"] and any(d["date"] == "2025-10-01" and not d["is_workday"] for d in year["days"])
    assert client_for("read").get("/api/calendar/years/1800/").status_code == 404
    bad = client_for("read").get("/api/calendar/is-workday/", {"date": "1800-01-01"})
    assert bad.status_code == 400 and "2000" in bad.json()["detail"]


def test_the_public_feed_needs_no_key(agency, make_staff, land):
    from agencies import roles
    from reviews.services import publication_create
    drafter = make_staff(roles.HANDLER, username="drafter", department_=land)
    p = publication_create(actor=drafter, department=land, title="石龙区2025年财政预算", body="预算公开。",
                           created_on=local_today())
    client = Client()
    assert client.get("/api/publications/").json()["results"] == []  # not yet published
    Publication.objects.filter(pk=p.pk).update(state=Publication.PUBLISHED, published_at=p.created_at)
    items = client.get("/api/publications/").json()["results"]
    assert [i["title"] for i in items] == ["石龙区2025年财政预算"]
    atom = client.get("/api/publications/feed.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "石龙区2025年财政预算" in atom.content.decode() and "<feed" in atom.content.decode()


def test_the_index_schema_and_offline_docs(settings):
    client = Client()
    parts = client.get("/api/").json()["parts"]
    assert {"schema", "docs", "redoc", "applications", "publications_atom"} <= set(parts)
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/applications/" in schema["paths"]
    undescribed = [f"{name}.{field}" for name, component in schema["components"]["schemas"].items()
                   for field, prop in component.get("properties", {}).items() if " / " not in prop.get("description", "")]
    undescribed += [f"{path} {param['name']}" for path, ops in schema["paths"].items() for op in ops.values()
                    for param in op.get("parameters", []) if " / " not in param.get("description", "")]
    assert not undescribed, "every field and parameter is described in Chinese and English"
    docs = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in docs and "cdn" not in docs.lower()
    assert client.get("/api/redoc/").status_code == 200
    assert KeyClient("ogi_x_y").get("/api/").status_code == 200


def test_an_unknown_address_under_the_api_is_a_problem_too():
    response = Client().get("/api/applications/not-a-number/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert Client().post("/api/nothing/here/").json()["status"] == 404
