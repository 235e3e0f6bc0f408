"""Demo organisations and log-ins (real agency names from shared/seeds). Idempotent."""
from django.contrib.auth import get_user_model

from . import roles
from .models import Agency, Department
from .services import agency_create, department_create, staff_create

DEMO_PASSWORD = "demo-2026"

AGENCIES = [
    {
        "name": "平顶山市石龙区人民政府办公室",
        "short_name": "石龙政办",
        "ogi_office": "石龙区人民政府办公室政务公开科",
        "address": "河南省平顶山市石龙区龙兴街 1 号",
        "postcode": "467045",
        "phone": "0375-2881234",
        "reconsideration_body": "平顶山市石龙区人民政府",
        "court": "平顶山市湛河区人民法院",
        "departments": [("政务公开科", "ogi"), ("自然资源局", "land"), ("住房和城乡建设局", "housing")],
    },
    {
        "name": "安岳县人民政府办公室",
        "short_name": "安府办",
        "ogi_office": "安岳县人民政府办公室政务公开股",
        "address": "四川省资阳市安岳县岳阳镇兴安路 18 号",
        "postcode": "642350",
        "phone": "028-24521234",
        "reconsideration_body": "安岳县人民政府",
        "court": "资阳市雁江区人民法院",
        "departments": [("政务公开股", "ogi"), ("财政局", "finance")],
    },
]

# username, full name, roles, agency index, department code
STAFF = [
    ("registrar", "李登记", [roles.REGISTRAR], 0, "ogi"),
    ("handler", "王承办", [roles.HANDLER], 0, "land"),
    ("handler2", "赵承办", [roles.HANDLER], 0, "housing"),
    ("secrecy", "孙保密", [roles.CONFIDENTIALITY_REVIEWER], 0, "ogi"),
    ("legal", "周法制", [roles.LEGAL_REVIEWER], 0, "ogi"),
    ("chief", "吴负责", [roles.PERSON_IN_CHARGE], 0, "ogi"),
    ("publisher", "郑发布", [roles.PUBLISHER], 0, "ogi"),
    ("auditor", "钱监督", [roles.AUDITOR], 0, "ogi"),
    ("sysadmin", "陈管理", [roles.ADMINISTRATOR], 0, "ogi"),
    ("anyue_handler", "刘承办", [roles.HANDLER, roles.REGISTRAR], 1, "finance"),
]

# The demo log-ins; `make run` may exempt exactly these from the second factor.
DEMO_USERNAMES = frozenset([username for username, *_ in STAFF] + ["admin"])


def seed_organisations() -> list[tuple[str, str, str]]:
    User = get_user_model()
    agencies = []
    for spec in AGENCIES:
        spec = dict(spec)
        departments = spec.pop("departments")
        agency = Agency.objects.filter(name=spec["name"]).first() or agency_create(actor=None, **spec)
        for name, code in departments:
            if not Department.objects.filter(agency=agency, code=code).exists():
                department_create(actor=None, agency=agency, name=name, code=code)
        agencies.append(agency)
    logins = []
    for username, full_name, role_names, agency_index, dept_code in STAFF:
        agency = agencies[agency_index]
        if not User.objects.filter(username=username).exists():
            staff_create(actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name, agency=agency,
                         department=Department.objects.get(agency=agency, code=dept_code), roles=role_names)
        logins.append((username, full_name, "、".join(str(roles.ROLE_LABELS[r]) for r in role_names) + f"（{agency.short_name}）"))
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.gov.cn", DEMO_PASSWORD, first_name="超级管理员")
    logins.append(("admin", "超级管理员", "Django 管理后台 /admin/"))
    return logins
