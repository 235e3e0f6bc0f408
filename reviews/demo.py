"""Demo data for proactive disclosure (idempotent): the 26-domain catalogue and
publications in several states for 平顶山市石龙区人民政府办公室, all driven through the
real services and flow so the records and the audit trail look as in production."""
from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from agencies.models import Agency
from legal.selectors import local_today

from . import services
from .flows import PublicationFlow, publication_publish_now, publication_start_review
from .models import CatalogueItem, Publication, ReviewRecord

AGENCY = "平顶山市石龙区人民政府办公室"
F = PublicationFlow


def _task(pub, node):
    qs = Task.objects.filter(flow_task=node, process__publicationprocess__publication=pub.package[0]).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED])
    if node not in (F.final_review, F.publish, F.revise_package):
        qs = qs.filter(data__publication=pub.pk)
    return qs.order_by("-id").first()


def _step(pub, node, user, decide):
    task = _task(pub, node)
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(SimpleNamespace(user=user))
        decide()
        activation.execute()


def _fresh(p):
    return Publication.objects.get(pk=p.pk)


def _review(pub, u, through_second=True):
    _step(pub, F.first_review, u.publisher, lambda: services.publication_review(
        actor=u.publisher, publication=_fresh(pub), step=ReviewRecord.FIRST, approve=True, comment="内容准确，同意"))
    if through_second:
        _step(pub, F.second_review, u.secrecy, lambda: services.publication_review(
            actor=u.secrecy, publication=_fresh(pub), step=ReviewRecord.SECOND, approve=True, comment="不涉密，同意公开"))


def seed_demo(stdout) -> None:
    agency = Agency.objects.filter(name=AGENCY).first()
    if agency is None:
        return
    User = get_user_model()
    u = SimpleNamespace(**{k: User.objects.get(username=k) for k in ("handler", "publisher", "secrecy", "chief")})
    services.catalogue_seed(actor=None, agency=agency)
    for word in ("内部掌握", "领导批示"):
        services.sensitive_word_add(actor=None, agency=agency, word=word, note="演示敏感词")
    dept = u.handler.staff_profile.department
    today = local_today()

    def item(domain):
        return CatalogueItem.objects.filter(agency=agency, domain=domain).first()

    def exists(title):
        return Publication.objects.filter(agency=agency, title=title).exists()

    t1 = "石龙区2025年农村危房改造补助对象公示"
    if not exists(t1):
        p = services.publication_create(
            actor=u.handler, department=dept, title=t1, created_on=today, catalogue_item=item("农村危房改造"),
            body="经村民评议、乡镇审核，拟确定以下补助对象：\n张建国，身份证号410423196805121235，联系电话13937512345；\n"
                 "补助资金将打入本人银行卡。详见内网 http://192.168.10.8/wfgz 。")
        publication_start_review(actor=u.handler, publication=p)  # findings: stays with the drafter

    t2 = "石龙区2025年耕地地力保护补贴发放情况公告"
    if not exists(t2):
        p = services.publication_create(
            actor=u.handler, department=dept, title=t2, created_on=today, catalogue_item=item("涉农补贴"),
            document_number="石农〔2025〕12号", body="2025年全区耕地地力保护补贴标准为每亩105元，已通过“一卡通”发放到户。")
        publication_start_review(actor=u.handler, publication=p)
        _review(p, u, through_second=False)  # now in 复审

    t3 = "石龙区促进高校毕业生就业创业若干措施"
    if not exists(t3):
        policy = services.publication_create(
            actor=u.handler, department=dept, kind=Publication.POLICY, title=t3, created_on=today,
            catalogue_item=item("就业"), document_number="石政〔2025〕8号", legal_form=Publication.NORMATIVE,
            body="第一条 为促进高校毕业生在我区就业创业，制定本措施。\n第二条 对首次创业的高校毕业生给予一次性创业补贴5000元。")
        interp = services.publication_create(
            actor=u.handler, department=dept, interprets=policy, title=f"《{t3}》政策解读", created_on=today,
            catalogue_item=item("就业"), body="一、出台背景\n二、主要内容：一次性创业补贴5000元。\n三、适用对象",
            qa="问：谁可以申请一次性创业补贴？\n答：毕业5年内、在石龙区首次创办企业的高校毕业生。",
            video_url="https://www.gov.cn/")
        publication_start_review(actor=u.handler, publication=policy)
        _review(policy, u)
        _review(interp, u)
        _step(policy, F.final_review, u.chief, lambda: services.package_sign(
            actor=u.chief, publication=_fresh(policy), approve=True, comment="同意发布"))
        publication_publish_now(actor=u.publisher, publication=policy)

    t4 = "关于石龙区2024年城区供水管网改造停水的通知"
    if not exists(t4):
        p = services.publication_create(
            actor=u.handler, department=dept, title=t4, created_on=today, catalogue_item=item("市政服务"),
            body="因管网改造，龙兴街片区将于6月10日停水一天。")
        publication_start_review(actor=u.handler, publication=p)
        _review(p, u)
        _step(p, F.final_review, u.chief, lambda: services.package_sign(actor=u.chief, publication=_fresh(p), approve=True))
        publication_publish_now(actor=u.publisher, publication=p)
        services.publication_withdraw(actor=u.chief, publication=_fresh(p), reason="停水时间调整，已另行发布新通知")

    stdout.write("主动公开：标准目录26个领域，演示公开信息（待处理检查发现、复审中、政策及解读已发布、已撤回）已就绪；公开专栏 /gk/")
