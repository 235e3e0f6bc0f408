import pytest

from tests.applications import accepted

pytestmark = pytest.mark.django_db


def test_handler_sees_own_notices_and_marks_them_read(client, agency, people, land):
    accepted(agency, people, land)
    client.force_login(people["handler"])
    page = client.get("/staff/notices/notices/").content.decode()
    assert "分配给您办理" in page and "font-weight:bold" in page
    client.post("/staff/notices/notices/", {"all": "1"})
    assert "font-weight:bold" not in client.get("/staff/notices/notices/").content.decode()
    client.force_login(people["handler2"])
    assert "分配给您办理" not in client.get("/staff/notices/notices/").content.decode()
