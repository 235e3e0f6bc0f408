"""The review process driven end to end through viewflow nodes (no browser)."""
import pytest
from viewflow.workflow.status import STATUS

from reviews import services
from reviews.flows import PublicationFlow, publication_publish_now, publication_start_review, publications_publish_due
from reviews.models import Publication, ReviewRecord

from .conftest import TODAY, fresh, run_step, task_of

pytestmark = pytest.mark.django_db
F = PublicationFlow


def approve(pub, step, user, comment=""):
    return lambda: services.publication_review(actor=user, publication=fresh(pub), step=step, approve=True, comment=comment)


def test_clean_publication_goes_from_draft_to_published(team, draft):
    pub = draft()
    process = publication_start_review(actor=team.drafter, publication=pub)
    assert fresh(pub).state == Publication.FIRST_REVIEW  # checks passed automatically
    run_step(pub, F.first_review, team.publisher, approve(pub, ReviewRecord.FIRST, team.publisher))
    assert fresh(pub).state == Publication.SECOND_REVIEW
    run_step(pub, F.second_review, team.secrecy, approve(pub, ReviewRecord.SECOND, team.secrecy))
    assert fresh(pub).state == Publication.FINAL_REVIEW
    run_step(pub, F.final_review, team.chief,
             lambda: services.package_sign(actor=team.chief, publication=fresh(pub), approve=True, publish_on=TODAY))
    assert fresh(pub).state == Publication.SCHEDULED
    assert publications_publish_due(today=TODAY) == 1
    pub = fresh(pub)
    assert pub.state == Publication.PUBLISHED and pub.published_at
    assert pub.clock.stopped_on is not None
    process.refresh_from_db()
    assert process.status == STATUS.DONE
    steps = list(pub.review_records.values_list("step", "decision"))
    assert ("first", "approve") in steps and ("second", "approve") in steps and ("final", "approve") in steps


def test_findings_send_the_item_to_the_drafter_and_a_fix_clears_them(team, draft):
    pub = draft(body="联系人：张三，手机 13812345678。")
    publication_start_review(actor=team.drafter, publication=pub)
    pub = fresh(pub)
    assert pub.state == Publication.CHECKING
    assert {f.kind for f in services.open_findings(pub)} == {"mobile"}
    resolve = task_of(pub, F.resolve_findings)
    assert resolve.owner == team.drafter
    services.publication_update(actor=team.drafter, publication=pub, body="联系电话：0375-2881234（办公室）。")
    run_step(pub, F.resolve_findings, team.drafter,
             lambda: services.publication_resubmit(actor=team.drafter, publication=fresh(pub)))
    pub = fresh(pub)
    assert pub.state == Publication.FIRST_REVIEW
    assert pub.findings.filter(status="fixed").count() == 1


def test_any_reviewer_can_return_with_comments_and_the_item_comes_back(team, draft):
    pub = draft()
    publication_start_review(actor=team.drafter, publication=pub)
    run_step(pub, F.first_review, team.publisher, approve(pub, ReviewRecord.FIRST, team.publisher))
    run_step(pub, F.second_review, team.secrecy,
             lambda: services.publication_review(actor=team.secrecy, publication=fresh(pub), step=ReviewRecord.SECOND,
                                                 approve=False, comment="补贴对象名单须去标识化"))
    assert fresh(pub).state == Publication.RETURNED
    revise = task_of(pub, F.revise)
    assert revise.owner == team.drafter
    run_step(pub, F.revise, team.drafter, lambda: services.publication_resubmit(actor=team.drafter, publication=fresh(pub)))
    assert fresh(pub).state == Publication.FIRST_REVIEW
    rec = fresh(pub).review_records.get(decision="return")
    assert rec.comment == "补贴对象名单须去标识化" and rec.actor == team.secrecy


def test_policy_and_interpretation_are_reviewed_in_parallel_and_published_together(team, draft, department):
    policy = draft(kind=Publication.POLICY, title="石龙区促进就业创业若干措施", document_number="石政〔2025〕8号")
    interp = services.publication_create(actor=team.drafter, department=department, interprets=policy,
                                         title="《石龙区促进就业创业若干措施》政策解读", created_on=TODAY,
                                         body="一、出台背景……", qa="问：谁可以申请？\n答：在石龙区创业的高校毕业生。")
    process = publication_start_review(actor=team.drafter, publication=policy)
    # two parallel branches, each with its own 初审 task
    for doc in (policy, interp):
        run_step(doc, F.first_review, team.publisher, approve(doc, ReviewRecord.FIRST, team.publisher))
    run_step(policy, F.second_review, team.secrecy, approve(policy, ReviewRecord.SECOND, team.secrecy))
    assert task_of(policy, F.final_review) is None  # join waits for the interpretation branch
    run_step(interp, F.second_review, team.secrecy, approve(interp, ReviewRecord.SECOND, team.secrecy))
    run_step(policy, F.final_review, team.chief,
             lambda: services.package_sign(actor=team.chief, publication=fresh(policy), approve=True,
                                           publish_on=TODAY.replace(year=2099)))
    assert fresh(policy).state == fresh(interp).state == Publication.SCHEDULED
    assert publications_publish_due(today=TODAY) == 0  # not yet due
    assert publication_publish_now(actor=team.publisher, publication=interp)
    p, i = fresh(policy), fresh(interp)
    assert p.state == i.state == Publication.PUBLISHED and p.published_at == i.published_at
    process.refresh_from_db()
    assert process.status == STATUS.DONE


def test_final_return_sends_the_whole_package_back(team, draft, department):
    policy = draft(kind=Publication.POLICY)
    interp = services.publication_create(actor=team.drafter, department=department, interprets=policy, title="解读",
                                         created_on=TODAY, body="解读正文")
    publication_start_review(actor=team.drafter, publication=policy)
    for doc in (policy, interp):
        run_step(doc, F.first_review, team.publisher, approve(doc, ReviewRecord.FIRST, team.publisher))
        run_step(doc, F.second_review, team.secrecy, approve(doc, ReviewRecord.SECOND, team.secrecy))
    run_step(policy, F.final_review, team.chief,
             lambda: services.package_sign(actor=team.chief, publication=fresh(policy), approve=False, comment="解读过于简略"))
    assert fresh(policy).state == fresh(interp).state == Publication.RETURNED
    run_step(policy, F.revise_package, team.drafter,
             lambda: [services.publication_resubmit(actor=team.drafter, publication=x) for x in fresh(policy).package])
    assert fresh(policy).state == fresh(interp).state == Publication.FIRST_REVIEW
    assert task_of(interp, F.first_review) is not None
