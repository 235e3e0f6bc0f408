"""Roles are Django groups with permissions (regulation §1). One place defines them."""
from django.utils.translation import gettext_lazy as _

REGISTRAR = "registrar"
HANDLER = "handler"
CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer"
LEGAL_REVIEWER = "legal_reviewer"
PERSON_IN_CHARGE = "person_in_charge"
PUBLISHER = "publisher"
AUDITOR = "auditor"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    REGISTRAR: _("登记人员"),
    HANDLER: _("承办人"),
    CONFIDENTIALITY_REVIEWER: _("保密审查员"),
    LEGAL_REVIEWER: _("法制审核人员"),
    PERSON_IN_CHARGE: _("公开工作机构负责人"),
    PUBLISHER: _("信息发布员"),
    AUDITOR: _("审计/监督人员"),
    ADMINISTRATOR: _("系统管理员"),
}

# Permissions per role as "app_label.codename". Later issues add their own codenames
# here, so the role table stays the single answer to "who may do what".
_CASE_READ = ["workflows.view_disclosurerequest", "workflows.view_requestprocess"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    REGISTRAR: ["agencies.view_agency", *_CASE_READ, "workflows.register_request", "workflows.view_all_departments"],
    HANDLER: ["agencies.view_agency", *_CASE_READ, "workflows.handle_request"],
    CONFIDENTIALITY_REVIEWER: ["agencies.view_agency", *_CASE_READ, "workflows.review_confidentiality",
                               "workflows.view_all_departments"],
    LEGAL_REVIEWER: ["agencies.view_agency", *_CASE_READ, "workflows.give_legal_opinion", "workflows.view_all_departments"],
    PERSON_IN_CHARGE: ["agencies.view_agency", *_CASE_READ, "workflows.approve_request", "workflows.view_all_departments",
                       "workflows.manage_requestprocess"],
    PUBLISHER: ["agencies.view_agency"],
    AUDITOR: ["agencies.view_agency", "audit.view_auditevent", *_CASE_READ, "workflows.view_all_departments"],
    ADMINISTRATOR: [
        "agencies.view_agency",
        "agencies.change_agency",
        "agencies.view_department",
        "agencies.add_department",
        "agencies.change_department",
        "legal.view_calendarday",
        "legal.add_calendarday",
        "legal.change_calendarday",
        "legal.delete_calendarday",
        "legal.manage_calendar",
        "audit.view_auditevent",
    ],
}

# Documents (issue 4): who drafts, signs (审签) and issues notices and replies.
_DOC_VIEW = "documents.view_document"
ROLE_PERMISSIONS[REGISTRAR] += [_DOC_VIEW, "documents.draft_document", "documents.issue_document"]
ROLE_PERMISSIONS[HANDLER] += [_DOC_VIEW, "documents.draft_document", "documents.issue_document"]
ROLE_PERMISSIONS[CONFIDENTIALITY_REVIEWER] += [_DOC_VIEW]
ROLE_PERMISSIONS[LEGAL_REVIEWER] += [_DOC_VIEW, "documents.draft_document"]
ROLE_PERMISSIONS[PERSON_IN_CHARGE] += [_DOC_VIEW, "documents.draft_document", "documents.sign_document",
                                       "documents.issue_document"]
ROLE_PERMISSIONS[AUDITOR] += [_DOC_VIEW]
ROLE_PERMISSIONS[ADMINISTRATOR] += [_DOC_VIEW]

# Roles whose holders see every department of their agency (not only their own).
AGENCY_WIDE_ROLES = {REGISTRAR, CONFIDENTIALITY_REVIEWER, LEGAL_REVIEWER, PERSON_IN_CHARGE, AUDITOR, ADMINISTRATOR}


def ensure_roles() -> None:
    """Create the role groups and grant their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)


def user_roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_ogi_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._ogi_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))

# Proactive disclosure (issue 6): drafting, 三审 (初审 publisher, 复审 confidentiality
# reviewer, 终审/审签 person in charge), publishing and withdrawal, catalogue upkeep.
_PUB_VIEW = ["reviews.view_publication", "reviews.view_catalogueitem", "reviews.view_publicationprocess"]
_PUB_DRAFT = ["reviews.add_publication", "reviews.change_publication"]
ROLE_PERMISSIONS[HANDLER] += _PUB_VIEW + _PUB_DRAFT
ROLE_PERMISSIONS[PUBLISHER] += _PUB_VIEW + _PUB_DRAFT + ["reviews.review_first", "reviews.publish_publication",
                                                        "reviews.manage_catalogue"]
ROLE_PERMISSIONS[CONFIDENTIALITY_REVIEWER] += _PUB_VIEW + ["reviews.review_second"]
ROLE_PERMISSIONS[LEGAL_REVIEWER] += _PUB_VIEW
ROLE_PERMISSIONS[PERSON_IN_CHARGE] += _PUB_VIEW + ["reviews.review_final", "reviews.publish_publication",
                                                   "reviews.withdraw_publication"]
ROLE_PERMISSIONS[AUDITOR] += _PUB_VIEW
ROLE_PERMISSIONS[ADMINISTRATOR] += _PUB_VIEW + ["reviews.manage_catalogue"]

# Reconsideration and litigation (行政复议 / 行政诉讼): the OGI office, legal staff and the
# person in charge record them, their answers and results; auditors and handlers read.
_REMEDY_VIEW, _REMEDY_MANAGE = "workflows.view_remedyproceeding", "workflows.manage_remedy"
for _role in (REGISTRAR, LEGAL_REVIEWER, PERSON_IN_CHARGE):
    ROLE_PERMISSIONS[_role] += [_REMEDY_VIEW, _REMEDY_MANAGE]
ROLE_PERMISSIONS[HANDLER] += [_REMEDY_VIEW]
ROLE_PERMISSIONS[AUDITOR] += [_REMEDY_VIEW]

# Importing the agency's earlier register (台账) of applications: the agency's administrator
# and the OGI office (its registrars and the person in charge), for their own agency only.
for _role in (ADMINISTRATOR, REGISTRAR, PERSON_IN_CHARGE):
    ROLE_PERMISSIONS[_role] += ["workflows.import_register"]
