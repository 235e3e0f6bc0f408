"""Rules of the review: findings block approval, the package is published whole or not at
all, withdrawal keeps the record, the attribute and interpretation rules hold."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from legal.selectors import clock_state
from reviews import services
from reviews.flows import PublicationFlow, publication_publish_now, publication_start_review
from reviews.models import Finding, Publication, ReviewRecord

from .conftest import TODAY, fresh, run_step, task_of

pytestmark = pytest.mark.django_db
F = PublicationFlow


def to_final(team, *docs):
    for doc in docs:
        run_step(doc, F.first_review, team.publisher, lambda d=doc: services.publication_review(
            actor=team.publisher, publication=fresh(d), step=ReviewRecord.FIRST, approve=True))
        run_step(doc, F.second_review, team.secrecy, lambda d=doc: services.publication_review(
            actor=team.secrecy, publication=fresh(d), step=ReviewRecord.SECOND, approve=True))


def test_art_26_clock_runs_20_working_days_from_creation(draft):
    pub = draft(created_on=TODAY)  # Mon 2025-09-01; Sun 2025-09-28 is a make-up working day
    state = clock_state(pub.clock)
    assert state.allowed_days == 20 and str(state.due_date) == "2025-09-28"
    assert pub.clock.segments.first().basis == "《政府信息公开条例》第二十六条"


def test_a_change_restarts_the_clock_from_the_change_date(team, draft):
    pub = draft(created_on=TODAY)
    old_clock = pub.clock
    pub = services.publication_update(actor=team.drafter, publication=pub, created_on=TODAY.replace(day=15))
    assert pub.clock != old_clock and str(pub.clock.due_date) == "2025-10-17"  # 1–8 Oct skipped


def test_non_proactive_attribute_needs_reason_and_ground(team, draft):
    with pytest.raises(ValidationError) as exc:
        draft(attribute=Publication.NOT_DISCLOSED)
    assert services.ERR_ATTRIBUTE_REASON in str(exc.value)
    pub = draft(attribute=Publication.NOT_DISCLOSED, attribute_reason="属于内部事务信息",
                attribute_ground="《政府信息公开条例》第十六条第一款")
    assert pub.clock is None
    with pytest.raises(ValidationError, match=services.ERR_NOT_PROACTIVE):
        publication_start_review(actor=team.drafter, publication=pub)


def test_reviewer_cannot_approve_while_a_finding_stands_until_justified(team, draft):
    pub = draft(body="行政处罚决定：当事人王五，联系电话13812345678。")
    publication_start_review(actor=team.drafter, publication=pub)
    finding = services.open_findings(fresh(pub)).get()
    # the drafter asks to keep it (e.g. the number is a published hotline) and resubmits
    services.finding_justify(actor=team.drafter, finding=finding, justification="该号码为公开的举报热线")
    run_step(pub, F.resolve_findings, team.drafter, lambda: services.publication_resubmit(actor=team.drafter, publication=fresh(pub)))
    pub = fresh(pub)
    assert pub.state == Publication.FIRST_REVIEW
    assert pub.findings.filter(run=2, status=Finding.JUSTIFIED).count() == 1  # justification carried over

    # a new sensitive word is added; the reviewer re-runs the checks: approval now refused
    services.sensitive_word_add(actor=team.publisher, agency=pub.agency, word="处罚")
    assert services.publication_run_checks(actor=team.publisher, publication=pub) == 1
    with pytest.raises(ValidationError) as exc:
        services.publication_review(actor=team.publisher, publication=fresh(pub), step=ReviewRecord.FIRST, approve=True)
    assert services.ERR_OPEN_FINDINGS.format(n=1) in exc.value.messages
    assert fresh(pub).state == Publication.FIRST_REVIEW
    with pytest.raises(ValidationError, match=services.ERR_JUSTIFICATION_REQUIRED):
        services.finding_justify(actor=team.publisher, finding=services.open_findings(pub).get(), justification=" ")
    services.finding_justify(actor=team.publisher, finding=services.open_findings(pub).get(), justification="行政处罚决定依法公开")
    services.publication_review(actor=team.publisher, publication=fresh(pub), step=ReviewRecord.FIRST, approve=True)
    assert fresh(pub).state == Publication.SECOND_REVIEW
    assert AuditEvent.objects.filter(action="finding.justified").count() == 2


def test_only_the_right_tier_may_review(team, draft):
    pub = draft()
    publication_start_review(actor=team.drafter, publication=pub)
    for user in (team.drafter, team.secrecy, team.auditor):
        with pytest.raises(PermissionDenied):
            services.publication_review(actor=user, publication=fresh(pub), step=ReviewRecord.FIRST, approve=True)
    with pytest.raises(ValidationError, match=services.ERR_COMMENT_REQUIRED):
        services.publication_review(actor=team.publisher, publication=fresh(pub), step=ReviewRecord.FIRST, approve=False)


def test_interpretation_is_by_the_drafting_department(team, draft, agency, make_staff):
    from agencies.services import department_create

    other = department_create(actor=None, agency=agency, name="财政局", code="finance")
    policy = draft(kind=Publication.POLICY)
    with pytest.raises(ValidationError, match=services.ERR_INTERPRETER):
        services.publication_create(actor=make_staff("handler", department_=other), department=other,
                                    interprets=policy, title="解读", created_on=TODAY)


def test_policy_without_interpretation_needs_the_chiefs_reason(team, draft):
    policy = draft(kind=Publication.POLICY)
    publication_start_review(actor=team.drafter, publication=policy)
    to_final(team, policy)
    with pytest.raises(ValidationError, match=services.ERR_NO_INTERPRETATION):
        services.package_sign(actor=team.chief, publication=fresh(policy), approve=True)
    run_step(policy, F.final_review, team.chief, lambda: services.package_sign(
        actor=team.chief, publication=fresh(policy), approve=True, no_interpretation_reason="仅调整执行期限，内容未变"))
    p = fresh(policy)
    assert p.state == Publication.SCHEDULED and p.no_interpretation_by == team.chief


def test_package_cannot_be_half_published(team, draft, department, monkeypatch):
    policy = draft(kind=Publication.POLICY, title="政策")
    interp = services.publication_create(actor=team.drafter, department=department, interprets=policy, title="解读",
                                         created_on=TODAY, body="解读")
    publication_start_review(actor=team.drafter, publication=policy)
    to_final(team, policy, interp)
    run_step(policy, F.final_review, team.chief,
             lambda: services.package_sign(actor=team.chief, publication=fresh(policy), approve=True))

    real = services._publish_one

    def failing(p, **kw):
        if p.kind == Publication.INTERPRETATION:
            raise RuntimeError("网站发布接口故障")
        return real(p, **kw)

    monkeypatch.setattr(services, "_publish_one", failing)
    with pytest.raises(RuntimeError):
        publication_publish_now(actor=team.publisher, publication=policy)
    assert fresh(policy).state == fresh(interp).state == Publication.SCHEDULED
    assert fresh(policy).published_at is None and fresh(policy).clock.stopped_on is None
    assert task_of(policy, F.publish) is not None  # the publish step is still waiting
    assert not AuditEvent.objects.filter(action="publication.published").exists()

    monkeypatch.setattr(services, "_publish_one", real)
    publication_publish_now(actor=team.publisher, publication=policy)
    assert fresh(policy).state == fresh(interp).state == Publication.PUBLISHED


def test_withdrawal_keeps_the_record_and_history(team, draft):
    pub = draft()
    publication_start_review(actor=team.drafter, publication=pub)
    to_final(team, pub)
    run_step(pub, F.final_review, team.chief, lambda: services.package_sign(actor=team.chief, publication=fresh(pub), approve=True))
    publication_publish_now(actor=team.publisher, publication=pub)
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(actor=team.publisher, publication=fresh(pub), reason="x")
    with pytest.raises(ValidationError, match=services.ERR_WITHDRAW_REASON):
        services.publication_withdraw(actor=team.chief, publication=fresh(pub), reason="")
    services.publication_withdraw(actor=team.chief, publication=fresh(pub), reason="补贴标准已调整，发布新公告")
    p = fresh(pub)
    assert p.state == Publication.WITHDRAWN and p.published_at and p.withdrawn_at
    assert p.withdraw_reason == "补贴标准已调整，发布新公告"
    steps = list(p.review_records.values_list("step", flat=True))
    assert steps[-2:] == [ReviewRecord.PUBLISH, ReviewRecord.WITHDRAW] and ReviewRecord.FIRST in steps
    actions = list(AuditEvent.objects.filter(object_type="reviews.publication", object_id=str(p.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions[0] == "publication.created" and actions[-2:] == ["publication.published", "publication.withdrawn"]


def test_staff_of_another_agency_cannot_act(team, draft, other_agency, make_staff):
    from agencies.services import department_create

    dept = department_create(actor=None, agency=other_agency, name="财政局", code="finance")
    stranger = make_staff("publisher", agency_=other_agency, department_=dept)
    pub = draft()
    publication_start_review(actor=team.drafter, publication=pub)
    with pytest.raises(PermissionDenied, match=services.ERR_OTHER_AGENCY):
        services.publication_review(actor=stranger, publication=fresh(pub), step=ReviewRecord.FIRST, approve=True)
