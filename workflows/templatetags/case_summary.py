"""`{% case_summary subject %}`: the one case summary every task page starts with — our
step pages, the case page and viewflow's own task pages (detail, claim), whose templates
are overridden in templates/viewflow/workflow/. `subject` is a case, a viewflow process
or a task; a process of another flow (publications) shows nothing."""
from django import template

from ..models import DisclosureRequest
from ..selectors import case_summary as summary_of

register = template.Library()


def _case_of(subject):
    if isinstance(subject, DisclosureRequest):
        return subject
    process = getattr(subject, "process", None) if hasattr(subject, "flow_task") else subject
    for candidate in (process, getattr(process, "coerced", None)):
        case = getattr(candidate, "case", None)
        if isinstance(case, DisclosureRequest):
            return case
    requestprocess = getattr(process, "requestprocess", None)
    return getattr(requestprocess, "case", None)


@register.inclusion_tag("workflows/_case_summary.html")
def case_summary(subject, ledger=False, notes=True):
    """`ledger=True` (the case page) opens the clock's derivation; task pages fold it.
    `notes=False` on a page that lists every opinion itself (审签, 保密审查)."""
    case = _case_of(subject) if subject is not None else None
    if case is None:
        return {"case": None}
    facts = summary_of(case)
    if not notes:
        facts["notes"] = []
    return {**facts, "ledger": ledger}
