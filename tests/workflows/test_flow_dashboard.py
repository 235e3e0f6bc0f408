"""The flow dashboard (viewflow's board of open tasks by step) in Chinese, scoped."""
import pytest

from tests.applications import accepted
from workflows.flows import DisclosureRequestFlow as Flow

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_each_open_task_by_number_and_time_to_its_agency_only(client, agency, people, land,
                                                                                    other_agency, make_staff):
    case = accepted(agency, people, land)
    task = case.processes.get().task_set.filter(finished__isnull=True).get()
    client.force_login(people["handler"])
    page = client.get(Flow.instance.reverse("index")).content.decode()
    assert f"#{task.process_id}/{task.pk}" in page and "创建时间" in page
    from agencies import roles
    from agencies.services import department_create

    elsewhere = department_create(actor=None, agency=other_agency, name="自然资源局", code="land")
    client.force_login(make_staff(roles.HANDLER, agency_=other_agency, department_=elsewhere, username="elsewhere"))
    assert f"#{task.process_id}/{task.pk}" not in client.get(Flow.instance.reverse("index")).content.decode()
