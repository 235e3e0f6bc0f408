import datetime as dt
from types import SimpleNamespace

import pytest
from viewflow.workflow.status import STATUS

from agencies import roles
from reviews import services
from reviews.flows import PublicationFlow
from reviews.models import Publication

TODAY = dt.date(2025, 9, 1)


@pytest.fixture
def team(make_staff):
    return SimpleNamespace(
        drafter=make_staff(roles.HANDLER, full_name="王起草"),
        publisher=make_staff(roles.PUBLISHER, full_name="郑发布"),
        secrecy=make_staff(roles.CONFIDENTIALITY_REVIEWER, full_name="孙保密"),
        chief=make_staff(roles.PERSON_IN_CHARGE, full_name="吴负责"),
        auditor=make_staff(roles.AUDITOR, full_name="钱监督"),
    )


@pytest.fixture
def draft(team, department):
    def make(**kw):
        kw.setdefault("title", "关于2025年耕地地力保护补贴发放的公告")
        kw.setdefault("body", "根据有关规定，现将补贴标准公告如下：每亩补贴105元。")
        kw.setdefault("created_on", TODAY)
        return services.publication_create(actor=team.drafter, department=department, **kw)

    return make


def task_of(publication_or_process, node, status=None):
    from viewflow.workflow.models import Task

    qs = Task.objects.filter(flow_task=node)
    if isinstance(publication_or_process, Publication):
        qs = qs.filter(process__publicationprocess__publication=publication_or_process.package[0])
        if node not in (PublicationFlow.final_review, PublicationFlow.publish,
                                                             PublicationFlow.revise_package):
            qs = qs.filter(data__publication=publication_or_process.pk)
    else:
        qs = qs.filter(process=publication_or_process)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
    return qs.order_by("-id").first()


def fresh(p):
    return Publication.objects.get(pk=p.pk)


def run_step(pub, node, user, decide):
    """Take the task of `node` for `pub`, call `decide()` (the service), then finish it."""
    task = task_of(pub, node)
    assert task is not None, f"no open {node.name} task"
    with task.activation() as activation:
        if task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(SimpleNamespace(user=user))
        decide()
        activation.execute()
    return task


@pytest.fixture
def demo(client):
    """The demo log-ins and the proactive-disclosure demo (not the whole seed_demo, whose
    application cases and PDFs these pages do not need)."""
    import io

    from agencies.demo import seed_organisations
    from reviews.demo import seed_demo

    seed_organisations()
    seed_demo(io.StringIO())
