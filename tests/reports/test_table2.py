"""表二: shown in the layout of the format (0 where nothing was entered); the figures the
system does not hold are entered by the agency's person in charge, each change audited."""
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from agencies import roles
from audit.models import AuditEvent
from reports.models import ProactiveFigures
from reports.services import ERR_NOT_ALLOWED, proactive_figures_set

pytestmark = pytest.mark.django_db

URL = "/staff/reports/table2/"
FIGURES = {"rules_made": "1", "rules_repealed": "0", "rules_in_force": "12", "normative_made": "5",
           "normative_repealed": "2", "normative_in_force": "40", "licensing_decisions": "1320",
           "penalty_decisions": "86", "enforcement_decisions": "3", "fees_amount": "12.5", "reason": "依据法制科台账"}


def cells(html):
    return [re.sub(r"<[^>]+>", "", td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)]


def test_the_person_in_charge_enters_the_figures_and_the_change_is_audited(agency, people, client):
    client.force_login(people["chief"])
    html = client.get(URL, {"year": 2025}).content.decode()
    assert "二、主动公开政府信息情况" in html and "本年度尚未填报" in html
    assert cells(html) == ["0"] * 9 + ["0.0000"]
    order = ["第二十条第（一）项", "规章", "行政规范性文件", "第二十条第（五）项", "行政许可", "第二十条第（六）项",
             "行政处罚", "行政强制", "第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费"]
    table = html[html.index('id="table2"'):]
    assert [table.index(x) for x in order] == sorted(table.index(x) for x in order)

    response = client.post(f"{URL}?year=2025&agency={agency.pk}", FIGURES)
    assert response.status_code == 302
    html = client.get(URL, {"year": 2025}).content.decode()
    assert cells(html) == ["1", "0", "12", "5", "2", "40", "1320", "86", "3", "12.5000"]
    assert "最近填报：吴负责" in html
    event = AuditEvent.objects.get(action="report.table2_set")
    assert event.reason == "依据法制科台账"
    assert event.before["licensing_decisions"] == 0 and event.after["licensing_decisions"] == 1320


def test_a_negative_figure_is_refused_on_the_page(agency, people, client):
    client.force_login(people["chief"])
    html = client.post(f"{URL}?year=2025", {**FIGURES, "penalty_decisions": "-1"}).content.decode()
    assert "不能为负数" in html and not ProactiveFigures.objects.exists()


def test_a_handler_and_another_agency_cannot_enter_figures(agency, other_agency, people, make_staff, client):
    with pytest.raises(PermissionDenied, match=ERR_NOT_ALLOWED):
        proactive_figures_set(actor=people["handler"], agency=agency, year=2025, rules_made=1)
    client.force_login(people["handler"])
    assert 'id="figures-form"' not in client.get(URL, {"year": 2025}).content.decode()
    assert client.post(f"{URL}?year=2025", FIGURES).status_code == 403
    from agencies.services import department_create

    office_b = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    chief_b = make_staff(roles.PERSON_IN_CHARGE, agency_=other_agency, department_=office_b, username="chief_b")
    with pytest.raises(PermissionDenied):
        proactive_figures_set(actor=chief_b, agency=agency, year=2025, rules_made=1)
    client.force_login(chief_b)
    assert client.post(f"{URL}?year=2025&agency={agency.pk}", FIGURES).status_code == 403
    assert not ProactiveFigures.objects.exists()


def test_the_consolidated_table_adds_the_agencies(agency, other_agency, people, make_staff, client):
    from agencies.services import department_create

    proactive_figures_set(actor=people["chief"], agency=agency, year=2025, licensing_decisions=100, fees_amount="1.25")
    office_b = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    chief_b = make_staff(roles.PERSON_IN_CHARGE, agency_=other_agency, department_=office_b, username="chief_b")
    proactive_figures_set(actor=chief_b, agency=other_agency, year=2025, licensing_decisions=20, fees_amount="0.5")
    chief = people["chief"]
    chief.user_permissions.add(Permission.objects.get(codename="view_all_agencies"))
    client.force_login(type(chief).objects.get(pk=chief.pk))
    html = client.get(URL, {"year": 2025, "agency": "all"}).content.decode()
    assert cells(html)[6] == "120" and cells(html)[-1] == "1.7500"
    assert 'id="figures-form"' not in html  # the sum is not entered, only read
