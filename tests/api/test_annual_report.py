"""表三 and 表四 as JSON for other systems (a data platform pulls them), the caller's agency only."""
import pytest

from api.models import ApiKey
from legal.selectors import local_today
from tests.applications import registered

from .conftest import KeyClient

pytestmark = pytest.mark.django_db
URL = "/api/reports/annual/"


def test_a_read_key_gets_its_agencys_tables_in_the_order_of_the_format(client_for, agency, other_agency, people, other_key):
    registered(agency, people)
    year = local_today().year
    resp = client_for(ApiKey.READ).get(URL, {"year": year})
    assert resp.status_code == 200, resp.content
    data = resp.json()
    assert data["agency"] == agency.name and data["year"] == year
    t3 = data["table3"]
    assert t3["columns"][-1] == "总计" and t3["rows"][0]["title"].startswith("一、本年新收政府信息公开申请数量")
    assert t3["rows"][0]["values"][-1] == 1 and t3["balanced"] is True
    assert [r["title"] for r in data["table4"]["rows"]][0] == "行政复议"
    # another agency's key sees its own (empty) year, never this one
    theirs = KeyClient(other_key[1]).get(URL, {"year": year}).json()
    assert theirs["agency"] == other_agency.name and theirs["table3"]["rows"][0]["values"][-1] == 0


def test_an_intake_key_cannot_read_reports_and_a_bad_year_is_a_problem(client_for):
    assert client_for(ApiKey.INTAKE).get(URL, {"year": 2026}).status_code == 403
    bad = client_for(ApiKey.READ).get(URL, {"year": 1800}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
