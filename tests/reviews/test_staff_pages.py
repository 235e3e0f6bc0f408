"""A person takes a publication and a policy package from draft to published in the staff
UI (viewflow frontend) with the demo log-ins; the public column shows the result."""
import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from reviews.flows import PublicationFlow
from reviews.models import Publication

pytestmark = pytest.mark.django_db
F = PublicationFlow
LIST = "/staff/publication/publications/"


def login(client, username):
    client.logout()
    resp = client.post("/staff/accounts/login/", {"username": username, "password": "demo-2026"})
    assert resp.status_code == 302, username
    return client


def take_and_do(client, pub, node, data):
    """Open the queue, take (assign) the task, open it and submit the form."""
    qs = Task.objects.filter(flow_task=node, process__publicationprocess__publication=pub.package[0]).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED])
    if node not in (F.final_review, F.revise_package):
        qs = qs.filter(data__publication=pub.pk)
    task = qs.get()
    if task.status == STATUS.NEW:
        queue = client.get("/staff/publication/queue/")
        assert queue.status_code == 200 and f"/{task.pk}/" in queue.content.decode()
        resp = client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk]))
        assert resp.status_code == 302
    url = task.flow_task.reverse("execute", args=[task.process_id, task.pk])
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    resp = client.post(url, data)
    return resp, page


def create(client, **fields):
    resp = client.post(f"{LIST}new/" + fields.pop("query", ""), fields)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    return Publication.objects.get(title=fields["title"])


def test_publication_from_draft_to_published_in_the_browser(client, demo):
    login(client, "handler")
    page = client.get(LIST)
    assert page.status_code == 200 and "石龙区2025年耕地地力保护补贴发放情况公告" in page.content.decode()
    form = client.get(f"{LIST}new/")
    assert form.status_code == 200 and "公开属性" in form.content.decode()
    dept = Publication.objects.filter(author__username="handler").first().department
    pub = create(client, title="石龙区2025年秋季义务教育招生公告", document_number="石教〔2025〕3号",
                 department=dept.pk, created_on="2025-09-01", attribute="proactive",
                 body="招生范围：石龙区户籍适龄儿童。咨询电话 13812345678。")
    detail = client.get(f"{LIST}{pub.pk}/").content.decode()
    assert "公开期限" in detail and "2025年9月28日" in detail
    client.post(f"{LIST}{pub.pk}/", {"action": "submit"})
    pub = Publication.objects.get(pk=pub.pk)
    assert pub.state == Publication.CHECKING
    assert "13812345678" in client.get(f"{LIST}{pub.pk}/").content.decode()
    # the drafter fixes the text through the task page and resubmits
    resp, page = take_and_do(client, pub, F.resolve_findings, {"comment": "已改为办公电话"})
    assert "修改正文" in page.content.decode()
    assert b"Task" not in resp.content
    edit = client.post(f"{LIST}{pub.pk}/edit/", {"title": pub.title, "document_number": pub.document_number,
                                                 "department": dept.pk, "created_on": "2025-09-01", "attribute": "proactive",
                                                 "body": "招生范围：石龙区户籍适龄儿童。咨询电话 0375-2881234。"})
    assert edit.status_code == 302
    resp, _ = take_and_do(client, pub, F.resolve_findings, {"comment": "已改为办公电话"})
    assert resp.status_code == 302
    assert Publication.objects.get(pk=pub.pk).state == Publication.FIRST_REVIEW

    login(client, "publisher")
    take_and_do(client, pub, F.first_review, {"decision": "approve", "comment": "同意"})
    login(client, "secrecy")
    take_and_do(client, pub, F.second_review, {"decision": "approve", "comment": "不涉密"})
    login(client, "chief")
    resp, page = take_and_do(client, pub, F.final_review, {"decision": "approve", "comment": "同意发布", "publish_on": "2099-01-01"})
    assert "公开期限" in page.content.decode()
    assert Publication.objects.get(pk=pub.pk).state == Publication.SCHEDULED
    login(client, "publisher")
    r = client.post(f"{LIST}{pub.pk}/", {"action": "publish"}, follow=True)
    assert "已发布" in r.content.decode(), [str(m) for m in r.context["messages"]]
    assert Publication.objects.get(pk=pub.pk).state == Publication.PUBLISHED
    open_steps = Task.objects.filter(process__publicationprocess__publication=pub).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED])
    assert not open_steps.exists(), [t.flow_task.name for t in open_steps]  # nothing left in anyone's 待办

    client.logout()
    public = client.get("/gk/", {"domain": ""}).content.decode()
    assert "石龙区2025年秋季义务教育招生公告" in public
    page = client.get(f"/gk/{pub.pk}/").content.decode()
    assert "石教〔2025〕3号" in page and "主动公开" in page and "2025年9月1日" in page


def test_reviewer_sees_refusal_while_findings_stand(client, demo):
    pub = Publication.objects.get(title="石龙区2025年耕地地力保护补贴发放情况公告")
    from reviews import services

    login(client, "secrecy")
    services.sensitive_word_add(actor=None, agency=pub.agency, word="一卡通")
    client.post(f"{LIST}{pub.pk}/", {"action": "run_checks"})
    resp, _ = take_and_do(client, pub, F.second_review, {"decision": "approve"})
    assert resp.status_code == 200 and "未处理的发现" in resp.content.decode()
    assert Publication.objects.get(pk=pub.pk).state == Publication.SECOND_REVIEW
    finding = services.open_findings(pub).get()
    client.post(f"{LIST}{pub.pk}/", {"action": "justify", "finding": finding.pk, "justification": "“一卡通”为惠农补贴发放渠道名称"})
    resp, _ = take_and_do(client, pub, F.second_review, {"decision": "approve"})
    assert resp.status_code == 302 and Publication.objects.get(pk=pub.pk).state == Publication.FINAL_REVIEW


def test_policy_package_from_draft_to_published_in_the_browser(client, demo):
    login(client, "handler")
    dept = Publication.objects.filter(author__username="handler").first().department
    policy = create(client, query="?kind=policy", title="石龙区老旧小区改造实施办法", document_number="石政〔2025〕15号",
                    department=dept.pk, created_on="2025-09-01", attribute="proactive", body="第一条 为改善居住条件……")
    assert policy.kind == Publication.POLICY
    interp = create(client, query=f"?interprets={policy.pk}", title="《石龙区老旧小区改造实施办法》解读",
                    created_on="2025-09-01", attribute="proactive", body="一、背景", qa="问：改造哪些小区？\n答：2000年前建成的小区。",
                    video_url="https://www.gov.cn/")
    assert interp.interprets == policy and interp.department == policy.department
    client.post(f"{LIST}{policy.pk}/", {"action": "submit"})
    for user, node in (("publisher", F.first_review), ("secrecy", F.second_review)):
        login(client, user)
        for doc in (policy, interp):
            take_and_do(client, doc, node, {"decision": "approve", "comment": "同意"})
    login(client, "chief")
    resp, page = take_and_do(client, policy, F.final_review, {"decision": "approve", "comment": "同步签发"})
    assert "老旧小区改造实施办法》解读" in page.content.decode()  # both documents on the sign-off page
    login(client, "publisher")
    client.post(f"{LIST}{interp.pk}/", {"action": "publish"})
    p, i = Publication.objects.get(pk=policy.pk), Publication.objects.get(pk=interp.pk)
    assert p.state == i.state == Publication.PUBLISHED
    client.logout()
    assert f'href="/gk/{i.pk}/"' in client.get(f"/gk/{p.pk}/").content.decode()
    assert f'href="/gk/{p.pk}/"' in client.get(f"/gk/{i.pk}/").content.decode()


def test_public_column_lists_by_domain_searches_and_hides_unpublished(client, demo):
    body = client.get("/gk/").content.decode()
    assert "石龙区促进高校毕业生就业创业若干措施" in body and "耕地地力保护补贴" not in body
    assert "农村危房改造补助对象" not in body and "停水的通知" not in body  # withdrawn items leave the list
    assert "石龙区促进高校毕业生" in client.get("/gk/", {"domain": "就业"}).content.decode()
    assert "石龙区促进高校毕业生" not in client.get("/gk/", {"domain": "救灾"}).content.decode()
    assert "石龙区促进高校毕业生" in client.get("/gk/", {"q": "创业补贴"}).content.decode()
    withdrawn = Publication.objects.get(state=Publication.WITHDRAWN)
    page = client.get(f"/gk/{withdrawn.pk}/").content.decode()
    assert "已于" in page and "撤回" in page and withdrawn.body not in page
    checking = Publication.objects.get(state=Publication.CHECKING)
    assert client.get(f"/gk/{checking.pk}/").status_code == 404


def test_catalogue_sensitive_words_and_deidentify_pages(client, demo):
    login(client, "publisher")
    page = client.get("/staff/publication/catalogue/").content.decode()
    assert "保障性住房" in page and "城乡规划" in page
    xlsx = client.get("/staff/publication/catalogue/", {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.post("/staff/publication/sensitive_words/", {"word": "仅供参考", "note": "x"})
    assert "仅供参考" in client.get("/staff/publication/sensitive_words/").content.decode()
    resp = client.post("/staff/publication/deidentify/", {"text": "申请人：李四，手机13812345678", "names": ""})
    body = resp.content.decode()
    assert "李某某" in body and "138****5678" in body and "-申请人：李四" in body


def test_staff_pages_are_scoped_to_the_agency(client, demo):
    login(client, "anyue_handler")
    pub = Publication.objects.filter(state=Publication.PUBLISHED).first()
    assert client.get(f"{LIST}{pub.pk}/").status_code == 404
    assert pub.title not in client.get(LIST).content.decode()
    assert "耕地地力" not in client.get("/staff/publication/queue/").content.decode()


def test_inbox_and_queue_show_the_art_26_limit(client, demo):
    pub = Publication.objects.get(title="石龙区2025年耕地地力保护补贴发放情况公告")
    login(client, "secrecy")
    queue = client.get("/staff/publication/queue/").content.decode()
    due = f"{pub.clock.due_date.year}年{pub.clock.due_date.month}月{pub.clock.due_date.day}日"
    assert f"公开期限 {due}" in queue
    take_and_do(client, pub, F.second_review, {"decision": "return", "comment": ""})  # taken, refused without comment
    inbox = client.get("/staff/publication/inbox/").content.decode()
    assert pub.title in inbox and f"公开期限 {due}" in inbox


def test_publish_due_command_publishes_scheduled_packages(demo):
    import io

    from reviews import services

    pub = Publication.objects.get(title="石龙区2025年耕地地力保护补贴发放情况公告")
    from django.contrib.auth import get_user_model

    User = get_user_model()
    from .conftest import run_step

    secrecy, chief = User.objects.get(username="secrecy"), User.objects.get(username="chief")
    run_step(pub, F.second_review, secrecy, lambda: services.publication_review(
        actor=secrecy, publication=Publication.objects.get(pk=pub.pk), step="second", approve=True))
    run_step(pub, F.final_review, chief, lambda: services.package_sign(
        actor=chief, publication=Publication.objects.get(pk=pub.pk), approve=True))
    out = io.StringIO()
    call_command("publish_due", stdout=out)
    assert "已发布 1 件" in out.getvalue()
    assert Publication.objects.get(pk=pub.pk).state == Publication.PUBLISHED


def test_queue_badge_counts_only_the_own_agency(client, demo):
    """The menu count must not reveal how many publications another agency has in review."""
    import re

    from agencies import roles as role_names
    from agencies.models import Agency
    from agencies.services import staff_create

    other = Agency.objects.get(name="安岳县人民政府办公室")
    staff_create(actor=None, username="anyue_secrecy", password="demo-2026", full_name="安岳保密员", agency=other,
                 roles=[role_names.CONFIDENTIALITY_REVIEWER])
    counts = {}
    for username in ("secrecy", "anyue_secrecy"):
        login(client, username)
        page = client.get("/staff/publication/queue/").content.decode()
        counts[username] = int(re.search(r'/staff/publication/queue/".*?mdc-list-item__meta">(\d+)<', page, re.S).group(1))
    assert counts["secrecy"] >= 1 and counts["anyue_secrecy"] == 0
