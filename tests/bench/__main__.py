"""Render benchmarks for documents (`make bench`). Plain Python: a throwaway SQLite
database in a temp dir, migrated, seeded through the services; then the median time
to render each document kind's PDF from its fixed HTML in this warm process.
The last line printed is one JSON object of figures."""
from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ogi-bench-")
    os.environ["OGI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import datetime as dt

    from pypdf import PdfReader

    from agencies import roles
    from agencies.services import agency_create, department_create, staff_create
    from documents import kinds
    from documents.rendering import document_html, harfbuzz_subsetting, render_pdf
    from documents.services import case_document_issue_now
    from workflows.services import request_register, request_submit

    t0 = time.perf_counter()
    import weasyprint  # noqa: F401  (the once-per-process import cost)

    import_s = time.perf_counter() - t0
    agency = agency_create(actor=None, name="平顶山市石龙区人民政府办公室", short_name="石龙政办",
                           ogi_office="石龙区人民政府办公室政务公开科", address="河南省平顶山市石龙区龙兴街1号",
                           phone="0375-1234567", reconsideration_body="平顶山市石龙区人民政府", court="平顶山市湛河区人民法院")
    dept = department_create(actor=None, agency=agency, name="政务公开科", code="ogi")
    registrar = staff_create(actor=None, username="bench-registrar", password="bench-pw-123456", full_name="登记员",
                             agency=agency, department=dept, roles=[roles.REGISTRAR, roles.HANDLER])
    items = [{"title": f"石龙区2025年第{i}批建设项目环境影响评价审批文件及附件清单"} for i in range(1, 4)]
    case, _code = request_submit(
        actor=None, agency=agency, applicant_type="natural", applicant_name="王𠀾䶮", id_type="resident_id",
        id_number="410402199001011234", phone="13800000000", channel="online", form_wanted="electronic",
        delivery_wanted="email", items=items, description="环评审批文件",
        address="河南省平顶山市新华区建设路8号")
    case = request_register(actor=registrar, case=case, confirmed_on=dt.date.today())
    for n, item in enumerate(case.items.all()):
        item.outcome = ["1", "2", "3.6"][n]
        item.reasoning = "涉及内部讨论记录，属于过程性信息" if n else ""
        item.withheld_parts = "附件中的个人身份证号码与联系电话" if n == 1 else ""
        item.save()
    data = {
        kinds.SUPPLEMENT_NOTICE: {"supplement_items": ["所需信息的名称或文号"], "supplement_due": dt.date.today()},
        kinds.EXTENSION_NOTICE: {"extension_days": 20, "reason": "需要会商"},
        kinds.LONGER_PERIOD_NOTICE: {"longer_days": 30, "reason": "申请内容较多"},
        kinds.THIRD_PARTY_LETTER: {"third_party_name": "某建材有限公司", "info": "环评报告"},
        kinds.PUBLIC_INTEREST_NOTICE: {"third_party_name": "某建材有限公司", "info": "环评报告", "reason": "公共利益"},
        kinds.FEE_NOTICE: {"fee_amount": "300", "fee_basis": "按件计收", "fee_standard": "每件100元"},
        kinds.REPLY: {"note": "如对本答复有疑问，请在工作日与我们联系。"},
        kinds.SERVICE_PROOF: {"delivery_method": "邮寄", "tracking_number": "1178123456789", "delivered_on": dt.date.today()},
    }
    figures: dict[str, float] = {"weasyprint_import_s": round(import_s, 3),
                                 "harfbuzz_subsetting": 1.0 if harfbuzz_subsetting() else 0.0}
    from django.core.exceptions import ValidationError

    for kind in kinds.KINDS:
        try:
            doc = case_document_issue_now(actor=None, request=case, kind=kind, data=data.get(kind, {}))
        except ValidationError as exc:  # a kind that needs more of the case than this bench builds
            print(f"{kind:24s} skipped: {'；'.join(exc.messages)}", file=sys.stderr)
            continue
        html = document_html(doc)
        if kind == kinds.REPLY:
            # The figure the issue asks for is a TWO-page reply: size the free text until it is.
            for k in range(0, 12):
                doc.data = {**doc.data, "note": "如对本答复有疑问，请在工作日与我们联系。" * k}
                html = document_html(doc)
                if len(PdfReader(io.BytesIO(render_pdf(html)[0])).pages) == 2:
                    break
        times = [render_pdf(html)[2] for _ in range(RUNS)]
        figures[f"render_median_s.{kind}"] = round(statistics.median(times), 3)
        if kind == kinds.REPLY:
            pages = len(PdfReader(io.BytesIO(render_pdf(html)[0])).pages)
            figures["reply_pages"] = pages
            figures["pdf_render_median_s"] = figures[f"render_median_s.{kind}"]
            figures["pdf_render_max_s"] = round(max(times), 3)
        print(f"{kind:24s} median {statistics.median(times):.3f}s  min {min(times):.3f}s  max {max(times):.3f}s",
              file=sys.stderr)
    t = time.perf_counter()
    case_document_issue_now(actor=None, request=case, kind=kinds.REPLY, data=data[kinds.REPLY])
    figures["reply_issue_end_to_end_s"] = round(time.perf_counter() - t, 3)
    from documents.casefile import case_file_build

    t = time.perf_counter()
    cf = case_file_build(actor=None, request=case)
    figures["case_file_build_s"] = round(time.perf_counter() - t, 3)
    figures["case_file_pages"] = len(PdfReader(io.BytesIO(bytes(cf.pdf))).pages)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
