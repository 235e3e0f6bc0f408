"""A year of applications for the report tests, built through the services with the
calendar moved to each day the steps happen (a report is about dates in the past)."""
import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies import roles
from agencies.services import department_create
from tests.applications import svc
from workflows.demo import disclosed_attachments
from workflows.models import DisclosureRequest

YEAR = 2025

ID_TYPES = {"natural": ("resident_id", "410402199001011234")}


@pytest.fixture(autouse=True)
def _quick_steps(settings, monkeypatch):
    """The report reads dates, applicant types and outcomes. The PDFs each step renders and
    the slow hashing of access codes cost most of the set-up and play no part in it."""
    import documents.issuing

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    pdf = b"%PDF-1.7\n%%EOF\n"
    monkeypatch.setattr(documents.issuing, "render_pdf", lambda html: (pdf, hashlib.sha256(pdf).hexdigest(), 0.0))


@pytest.fixture
def travel(monkeypatch):
    """Move the system's 'today' (timezone.now, hence local_today) to a given day."""
    def go(day: dt.date):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return go


class Year:
    """Drives cases of one agency through the services on given days."""

    def __init__(self, agency, people, land, travel):
        self.agency, self.p, self.land, self.travel = agency, people, land, travel
        self.n = 0

    def receive(self, day, applicant_type="natural", items=("2024年度财政预算执行情况",), accept=True,
                channel="in_person"):
        self.travel(day)
        self.n += 1
        id_type, id_number = ID_TYPES.get(applicant_type, ("uscc", f"91410400MA{self.n:08d}"))
        case, _code = svc.request_submit(
            actor=self.p["registrar"], agency=self.agency, applicant_type=applicant_type,
            applicant_name=f"申请人{self.n}", id_type=id_type, id_number=id_number, phone="13800000000",
            channel=channel, form_wanted="paper", delivery_wanted="post",
            description=f"申请公开第{self.n}项信息", items=[{"title": t} for t in items],
            submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30))),
            address="河南省平顶山市石龙区人民路1号")
        case = svc.request_register(actor=self.p["registrar"], case=case,
                                    signed_for_on=day if channel == "post" else None)
        if accept:
            case = svc.request_accept(actor=self.p["registrar"], case=case, department=self.land,
                                      handler=self.p["handler"])
        return case

    def decide(self, day, case, *codes, **extra):
        """One code per item (in item order)."""
        self.travel(day)
        items = list(case.items.order_by("position"))
        decisions = [{"item": i.pk, "outcome": code, "reasoning": "依据条例作出处理",
                      "withheld_parts": "涉及个人隐私的部分", "right_agency": "平顶山市自然资源和规划局",
                      "where_published": "石龙区人民政府门户网站政府信息公开专栏", **extra}
                     for i, code in zip(items, codes, strict=True)]
        return svc.request_determine(actor=self.p["handler"], case=case, decisions=decisions)

    def reply(self, day, case, *, delivered=None):
        """Review, draft, sign and issue on `day`; delivered on `delivered` (default the same day)."""
        self.travel(day)
        svc.request_confidentiality_clear(actor=self.p["secrecy"], case=case)
        svc.request_reply_draft(actor=self.p["handler"], case=case, attachments=disclosed_attachments(case))
        svc.request_sign_off(actor=self.p["chief"], case=case, approve=True)
        if delivered is False:
            return DisclosureRequest.objects.get(pk=case.pk)
        self.travel(delivered or day)
        svc.request_delivery_record(actor=self.p["registrar"], case=DisclosureRequest.objects.get(pk=case.pk),
                                    method="post", delivered_on=delivered or day, tracking_number="1190012345678")
        return DisclosureRequest.objects.get(pk=case.pk)

    def answer(self, received, answered, applicant_type, *codes, channel="in_person", **extra):
        case = self.receive(received, applicant_type, items=[f"第{i + 1}项信息" for i in range(len(codes))],
                            channel=channel)
        case = self.decide(answered, case, *codes, **extra)
        return self.reply(answered, case)


def d(s):
    return dt.date.fromisoformat(s)


@pytest.fixture
def year_of_cases(agency, other_agency, people, land, travel, make_staff):
    """2025 for agency A (石龙政办), what each case should count as noted beside it."""
    y = Year(agency, people, land, travel)
    c = {}
    # closed within 2024: in no row of 2025
    c["closed_2024"] = y.answer(d("2024-11-04"), d("2024-11-20"), "natural", "1")
    # carried in (二): received in 2024, answered in 2025 / still open at the end of 2025
    c["in_answered"] = y.receive(d("2024-12-23"), "natural")
    c["in_open"] = y.receive(d("2024-12-24"), "commercial")
    c["in_answered"] = y.reply(d("2025-01-06"), y.decide(d("2025-01-06"), c["in_answered"], "1"))
    # new in 2025, answered in 2025
    c["partial"] = y.answer(d("2025-03-03"), d("2025-03-20"), "natural", "1", "3.1")  # (二) 部分公开
    c["secret"] = y.answer(d("2025-03-04"), d("2025-03-21"), "natural", "3.1", channel="online")
    c["third_party"] = y.answer(d("2025-04-01"), d("2025-04-18"), "commercial", "3.4", channel="post")
    c["process_info"] = y.answer(d("2025-04-02"), d("2025-04-21"), "research", "3.6", channel="fax")
    c["not_held"] = y.answer(d("2025-05-06"), d("2025-05-20"), "research", "4.1", channel="email")
    c["not_ours"] = y.answer(d("2025-05-07"), d("2025-05-21"), "public_welfare", "not_this_agency")  # → 4.1
    c["must_make"] = y.answer(d("2025-05-08"), d("2025-05-22"), "public_welfare", "4.2")
    c["petition"] = y.answer(d("2025-06-03"), d("2025-06-17"), "legal_service", "5.1")
    c["publication"] = y.answer(d("2025-06-04"), d("2025-06-18"), "other", "5.3", channel="ordinary_mail")
    c["already_public"] = y.answer(d("2025-06-05"), d("2025-06-19"), "commercial", "already_public")  # → (一)
    c["disclosed"] = y.answer(d("2025-06-06"), d("2025-06-20"), "other", "1")
    # 其他处理 1: no supplement in time
    c["no_supplement"] = y.receive(d("2025-07-01"), "natural", accept=False)
    travel(d("2025-07-02"))
    svc.request_supplement_notice(actor=people["registrar"], case=c["no_supplement"], what="请写明所需信息的名称", days=5,
                                  sent_via="email")
    travel(d("2025-07-14"))
    c["no_supplement"] = svc.request_supplement_lapse(case=DisclosureRequest.objects.get(pk=c["no_supplement"].pk))
    # 其他处理 2: fee not paid; and a fee paid (part 六) before a disclosure
    c["fee_lapsed"] = y.receive(d("2025-08-04"), "commercial")
    travel(d("2025-08-05"))
    svc.request_fee_notice(actor=people["handler"], case=c["fee_lapsed"], method="per_page", quantity=150,
                           sent_via="email")
    travel(d("2025-09-10"))
    c["fee_lapsed"] = svc.request_fee_lapse(case=DisclosureRequest.objects.get(pk=c["fee_lapsed"].pk))
    c["fee_paid"] = y.receive(d("2025-08-11"), "natural")
    travel(d("2025-08-12"))
    svc.request_fee_notice(actor=people["handler"], case=c["fee_paid"], method="per_application", quantity=11,
                           sent_via="email")
    travel(d("2025-08-20"))
    svc.request_fee_paid(actor=people["handler"], case=DisclosureRequest.objects.get(pk=c["fee_paid"].pk))
    c["fee_paid"] = y.reply(d("2025-09-01"), y.decide(d("2025-09-01"), c["fee_paid"], "1"))
    # 其他处理 3: withdrawn
    c["withdrawn"] = y.receive(d("2025-10-09"), "legal_service")
    travel(d("2025-10-15"))
    c["withdrawn"] = svc.request_withdraw(actor=people["registrar"], case=c["withdrawn"], reason="申请人书面撤回")
    # carried out (四): open at the end of 2025; one replied but delivered only in 2026
    c["out_open"] = y.receive(d("2025-12-15"), "legal_service")
    c["out_delivered_2026"] = y.reply(d("2025-12-30"), y.decide(d("2025-12-29"), y.receive(d("2025-12-22"), "natural"), "1"),
                                      delivered=d("2026-01-05"))
    # a fee paid in 2024 does not count in 2025 (part 六 is by payment date)
    # another agency's case: only in the 汇总
    office_b = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    registrar_b = make_staff(roles.REGISTRAR, agency_=other_agency, department_=office_b, username="registrar_b",
                             full_name="安登记")
    travel(d("2025-05-12"))
    c["other_agency"], _code = svc.request_submit(
        actor=registrar_b, agency=other_agency, applicant_type="research", applicant_name="安岳研究所",
        id_type="uscc", id_number="91511000MA00000001", phone="028-1", channel="in_person", form_wanted="paper",
        delivery_wanted="post", items=[{"title": "安岳县2024年财政决算"}],
        submitted_at=timezone.make_aware(dt.datetime(2025, 5, 12, 9, 0)))
    c["other_agency"] = svc.request_register(actor=registrar_b, case=c["other_agency"])
    # a submission never confirmed as received: not an application yet, counts nowhere
    travel(d("2025-11-03"))
    c["unconfirmed"], _code = svc.request_submit(
        actor=None, agency=agency, applicant_type="natural", applicant_name="网上申请人", id_type="resident_id",
        id_number="410402199001019999", phone="13900000000", channel="online", form_wanted="electronic",
        delivery_wanted="email", items=[{"title": "石龙区2025年民生实事"}])
    travel(d("2026-02-02"))
    return {k: DisclosureRequest.objects.get(pk=v.pk) for k, v in c.items()}


EXPECTED_FEES = (1, Decimal("100"))
