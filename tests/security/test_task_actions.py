"""viewflow's own task actions inside one agency: cancelling, undoing and reviving are
closed even to the person in charge (a case changes only through its step services);
claiming and giving back a review task go through the services and are audited; the
Django admin belongs to platform administrators only."""
import pytest
from django.test import Client
from viewflow.workflow.status import STATUS

from agencies import roles
from audit.models import AuditEvent
from legal.selectors import local_today
from reviews.flows import PublicationFlow, publication_start_review
from reviews.models import Publication
from reviews.services import publication_create
from tests.applications import accepted, task_of
from workflows.flows import DisclosureRequestFlow as Flow

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def review_task(publication, node):
    from viewflow.workflow.models import Task

    return Task.objects.filter(process__publicationprocess__publication=publication, flow_task=node).order_by("-id").first()


@pytest.fixture
def under_review(make_staff, land):
    drafter = make_staff(roles.HANDLER, username="drafter", full_name="王起草", department_=land)
    publication = publication_create(actor=drafter, department=land, title="石龙区2026年农村公路养护计划",
                                     body="现将养护计划公告如下。", created_on=local_today())
    publication_start_review(actor=drafter, publication=publication)
    return Publication.objects.get(pk=publication.pk)


def test_the_person_in_charge_cannot_cancel_undo_or_revive_a_case_step_by_hand(agency, people, land):
    case = accepted(agency, people, land)
    handle, register = task_of(case, Flow.handle), task_of(case, Flow.register)
    chief = logged_in(people["chief"])
    audited = AuditEvent.objects.count()
    base = f"/staff/workflow/flows/disclosurerequest/{handle.process_id}"
    process_page = chief.get(f"{base}/")
    assert process_page.status_code == 200 and f"{base}/cancel/" not in process_page.content.decode()  # not offered
    task_page = chief.get(f"{base}/handle/{handle.pk}/detail/").content.decode()
    assert "/cancel/" not in task_page and "/undo/" not in task_page
    for url in (f"{base}/handle/{handle.pk}/cancel/", f"{base}/register/{register.pk}/undo/",
                f"{base}/register/{register.pk}/revive/", f"{base}/cancel/"):
        assert chief.get(url).status_code == 403, url
        assert chief.post(url, {"_confirm": "1", "_cancel_process": "1"}).status_code == 403, url
    handle.refresh_from_db()
    register.refresh_from_db()
    assert (handle.status, handle.owner) == (STATUS.ASSIGNED, people["handler"])
    assert register.status == STATUS.DONE
    assert AuditEvent.objects.count() == audited


def test_the_person_in_charge_reassigns_a_case_with_a_reason(agency, people, land):
    case = accepted(agency, people, land)
    chief = logged_in(people["chief"])
    page = chief.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    assert f'href="/staff/workflow/cases/{case.pk}/reassign/"' in page
    form = chief.get(f"/staff/workflow/cases/{case.pk}/reassign/").content.decode()
    assert "赵承办" in form and "王承办" not in form.split("改派给")[1]  # the current handler is not offered
    refused = chief.post(f"/staff/workflow/cases/{case.pk}/reassign/", {"to_user": people["handler2"].pk, "reason": " "})
    assert "该字段是必填项" in refused.content.decode()
    assert task_of(case, Flow.handle).owner == people["handler"]
    resp = chief.post(f"/staff/workflow/cases/{case.pk}/reassign/",
                      {"to_user": people["handler2"].pk, "reason": "原承办人休假"})
    assert resp.status_code == 302
    assert task_of(case, Flow.handle).owner == people["handler2"]
    event = AuditEvent.objects.get(action="request.reassigned", object_id=str(case.pk))
    assert event.reason == "原承办人休假" and event.actor_label == "吴负责"
    # a handler of another department sees neither the case nor its reassignment page
    assert logged_in(people["ogi_handler"]).get(f"/staff/workflow/cases/{case.pk}/reassign/").status_code == 404


def test_a_reviewer_claims_and_gives_back_a_review_task_through_the_service(under_review, make_staff):
    publisher = make_staff(roles.PUBLISHER, username="publisher", full_name="郑发布")
    task = review_task(under_review, PublicationFlow.first_review)
    assert task.status == STATUS.NEW
    client = logged_in(publisher)
    base = f"/staff/publication/{task.process_id}/first_review/{task.pk}"
    assert client.get(f"{base}/assign/").status_code == 200
    resp = client.post(f"{base}/assign/")
    assert resp.status_code == 302 and resp["Location"].endswith(f"{base}/execute/")
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, publisher)
    claimed = AuditEvent.objects.get(action="publication.task_claimed")
    assert claimed.actor_label == "郑发布" and claimed.object_id == str(under_review.pk)

    assert client.post(f"{base}/unassign/").status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.NEW, None)
    assert AuditEvent.objects.filter(action="publication.task_released").count() == 1


def test_only_the_reviewer_who_claimed_a_task_gives_it_back(under_review, make_staff):
    from reviews import services

    task = review_task(under_review, PublicationFlow.first_review)
    publisher = make_staff(roles.PUBLISHER, username="publisher", full_name="郑发布")
    services.publication_task_claim(actor=publisher, task=task)
    other = make_staff(roles.PUBLISHER, username="publisher2", full_name="冯发布")
    resp = logged_in(other).post(f"/staff/publication/{task.process_id}/first_review/{task.pk}/unassign/")
    assert resp.status_code == 403
    task.refresh_from_db()
    assert task.owner == publisher
    assert not AuditEvent.objects.filter(action="publication.task_released").exists()


def test_claiming_selected_review_tasks_goes_through_the_service(under_review, make_staff):
    publisher = make_staff(roles.PUBLISHER, username="publisher", full_name="郑发布")
    task = review_task(under_review, PublicationFlow.first_review)
    resp = logged_in(publisher).post("/staff/publication/queue/assign/", {"pk": [task.pk], "_confirm": "1"})
    assert resp.status_code == 302
    task.refresh_from_db()
    assert task.owner == publisher
    assert AuditEvent.objects.filter(action="publication.task_claimed", object_id=str(under_review.pk)).count() == 1


def test_only_platform_administrators_enter_the_django_admin(make_staff, django_user_model):
    agency_admin = make_staff(roles.ADMINISTRATOR, username="sysadmin", full_name="陈管理")
    assert not agency_admin.is_staff  # agency staff work in the staff UI
    resp = logged_in(agency_admin).get("/admin/agencies/agency/")
    assert resp.status_code == 302 and resp["Location"].startswith("/admin/login/")
    # a flag set by hand opens nothing either
    agency_admin.is_staff = True
    agency_admin.save(update_fields=["is_staff"])
    resp = logged_in(agency_admin).get("/admin/audit/auditevent/")
    assert resp.status_code == 302 and resp["Location"].startswith("/admin/login/")
    root = django_user_model.objects.create_superuser("root", "root@example.gov.cn", "pw-for-tests-123")
    assert logged_in(root).get("/admin/agencies/agency/").status_code == 200
