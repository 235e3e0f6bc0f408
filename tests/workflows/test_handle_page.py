"""The 承办 page: the handler first picks what to do next and sees only that part (each field
says which choice it belongs to); colleagues for a 会商 are listed by name, department and
role, never by log-in name."""
import re

import pytest

from tests.applications import accepted, task_of
from workflows.flows import DisclosureRequestFlow

pytestmark = pytest.mark.django_db


def test_the_handle_page_shows_each_part_for_its_choice_and_people_by_name(client, agency, people, land):
    case = accepted(agency, people, land)
    task = task_of(case, DisclosureRequestFlow.handle)
    client.force_login(people["handler"])
    page = client.get(DisclosureRequestFlow.handle.reverse("execute", args=[task.process_id, task.pk]))
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    assert 'data-choice="action"' in html
    branch = {name: show for show, name in re.findall(
        r'<div class="ogi-field" data-show-for="([^"]+)">\s*<label[^>]*for="id_([a-z_0-9]+)', html)}
    item = case.items.get()
    assert branch[f"item_{item.pk}_outcome"] == "determine"
    assert branch["question"] == "consult" and branch["days"] == "extension" and branch["basis"] == "fee"
    assert branch["matter"] == "third_party other_agency"
    participants = html.split('data-show-for="consult"')[1]
    assert "周法制（政务公开科，法制审核人员）" in participants
    assert ">secrecy<" not in participants and "(secrecy)" not in participants and "王承办" not in participants
