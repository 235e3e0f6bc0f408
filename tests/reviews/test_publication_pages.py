"""What the drafter and the reviewers see on the publication pages: dates kept in the date
picker, only departments they may draft for, checks shown once they ran and kept current,
the masking preview in place, and nobody reviewing their own draft."""
import re

import pytest
from django.core.exceptions import PermissionDenied
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from legal.selectors import local_today
from reviews import services
from reviews.flows import PublicationFlow, publication_start_review
from reviews.models import Publication, ReviewRecord

from .test_staff_pages import LIST, create, login

pytestmark = pytest.mark.django_db
F = PublicationFlow
PHONE_BODY = "咨询人：张三丰，联系电话 13812345678。"


def _fields(dept, **kw):
    data = {"title": "石龙区2026年冬季供暖公告", "document_number": "", "department": dept.pk,
            "created_on": local_today().isoformat(), "attribute": "proactive", "body": PHONE_BODY}
    data.update(kw)
    return data


def test_the_date_picker_shows_the_date_it_is_given(client, demo):
    login(client, "handler")
    page = client.get(f"{LIST}new/").content.decode()
    field = re.search(r'<input type="date" name="created_on"[^>]*>', page).group(0)
    assert f'value="{local_today().isoformat()}"' in field  # ISO: the browser shows it, instead of an empty box


def test_a_drafter_is_offered_only_their_own_department_and_a_refusal_keeps_the_text(client, demo):
    from agencies.models import Department

    login(client, "handler")  # 自然资源局
    page = client.get(f"{LIST}new/").content.decode()
    select = re.search(r'<select name="department".*?</select>', page, re.S).group(0)
    assert "自然资源局" in select and "住房和城乡建设局" not in select
    other = Department.objects.get(code="housing")
    resp = client.post(f"{LIST}new/", _fields(other, title="别的部门的公告"))
    assert resp.status_code == 200  # the form again, not a 403 page
    body = resp.content.decode()
    assert "别的部门的公告" in body and "13812345678" in body
    assert not Publication.objects.filter(title="别的部门的公告").exists()


def test_checks_are_shown_only_after_they_ran_and_rerun_after_each_change(client, demo):
    login(client, "handler")
    dept = Publication.objects.filter(author__username="handler").first().department
    pub = create(client, **_fields(dept))
    page = client.get(f"{LIST}{pub.pk}/").content.decode()
    assert "尚未进行自动检查" in page and "自动检查没有发现问题" not in page

    client.post(f"{LIST}{pub.pk}/", {"action": "run_checks"})
    page = client.get(f"{LIST}{pub.pk}/").content.decode()
    assert "最近一次检查" in page and "<code>13812345678</code>" in page
    assert services.open_findings(pub).count() >= 1

    # the masking preview: each replacement in place, no diff notation
    preview = client.get(f"{LIST}{pub.pk}/?deidentify=1").content.decode()
    assert "@@" not in preview
    assert re.search(r"<del[^>]*>[^<]*</del><mark>[^<]*\*{4}[^<]*</mark>", preview)  # 1381234 → 138****
    client.post(f"{LIST}{pub.pk}/", {"action": "deidentify"})
    pub = Publication.objects.get(pk=pub.pk)
    assert "13812345678" not in pub.body and "138****5678" in pub.body
    assert services.open_findings(pub).count() == 0  # the checks ran again on the masked text

    # an edit that brings a number back is found at once, without pressing 重新检查
    client.post(f"{LIST}{pub.pk}/edit/", _fields(dept, title=pub.title, body=pub.body + "另：13987654321"))
    assert services.open_findings(pub).filter(matched__contains="13987654321").exists()


def _queue_tasks(client):
    page = client.get("/staff/publication/queue/").content.decode()
    return page


def test_nobody_reviews_their_own_draft(client, demo):
    from django.contrib.auth import get_user_model

    publisher = get_user_model().objects.get(username="publisher")
    dept = publisher.staff_profile.department
    pub = services.publication_create(actor=publisher, department=dept, title="政务公开科工作动态",
                                      created_on=local_today(), body="本周完成政务公开标准目录更新。")
    publication_start_review(actor=publisher, publication=pub)
    pub = Publication.objects.get(pk=pub.pk)
    assert pub.state == Publication.FIRST_REVIEW
    task = Task.objects.get(flow_task=F.first_review, data__publication=pub.pk, status=STATUS.NEW)

    with pytest.raises(PermissionDenied, match="起草人不能审核本人起草的信息"):
        services.publication_review(actor=publisher, publication=pub, step=ReviewRecord.FIRST, approve=True)
    assert not F.first_review.can_assign(publisher, task)

    login(client, "publisher")
    assert f"/{task.pk}/" not in _queue_tasks(client)  # not offered in the queue
    resp = client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
    task.refresh_from_db()
    assert task.status == STATUS.NEW and resp.status_code in (302, 403)
