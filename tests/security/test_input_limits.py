"""Input limits everywhere: every free-text field has a length limit that answers in
Chinese beside the field and keeps what was typed; dates stay inside the years the
working-day calendar computes; uploads are opened, not sniffed, kept under random names
and reach staff only through the case they belong to."""
import importlib
import inspect
import io
import pkgutil
import re

import pytest
from django import forms
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agencies import roles
from legal.calendar import ERR_YEAR_RANGE
from portal.validators import ERR_UPLOAD_TYPE
from workflows.demo import sample_pdf
from workflows.models import DisclosureRequest, RequestAttachment

from ..portal.helpers import application_data

pytestmark = pytest.mark.django_db
APPS = ["accounts", "portal", "reports", "workflows", "reviews", "flowkit", "documents", "notifications", "legal",
        "agencies", "audit"]
TOO_LONG = "最多可填写"


@pytest.fixture(autouse=True)
def clear_cache():
    caches["shared"].clear()  # the rate-limit counters


def project_forms():
    import config.urls  # noqa: F401  (the staff site builds its forms' modules)

    seen = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, app + "."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if inspect.isclass(obj) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                    seen[f"{obj.__module__}.{obj.__name__}"] = obj
    return seen


def test_every_free_text_field_of_every_form_has_a_length_limit():
    found = project_forms()
    assert len(found) > 40, "the walk found too few forms"
    unlimited = [f"{name}.{field}" for name, form in found.items() for field, f in form.base_fields.items()
                 if isinstance(f, forms.CharField) and f.max_length is None]
    assert not unlimited, "free-text fields without max_length:\n" + "\n".join(unlimited)


def test_every_date_a_staff_form_takes_stays_inside_the_supported_years():
    unchecked = [f"{name}.{field}" for name, form in project_forms().items() for field, f in form.base_fields.items()
                 if isinstance(f, forms.DateField) and not any(
                     getattr(v, "__name__", "").startswith("validate_") for v in f.validators)]
    assert not unchecked, "date fields without a year check:\n" + "\n".join(unchecked)


# --- the applicant sees the limit in Chinese beside the field, and keeps the text ---

def test_a_too_long_description_is_refused_beside_the_field_and_kept(client, agency):
    page = client.get("/apply/").content.decode()
    long_text = "请公开" + "该项目的全部批复文件" * 300
    resp = client.post("/apply/", application_data(agency, page, description=long_text))
    body = resp.content.decode()
    assert resp.status_code == 200 and not DisclosureRequest.objects.exists()
    field = re.search(r'<div class="field has-error">\s*<label for="id_description">.*?</div>', body, re.S).group(0)
    assert f"最多可填写 2000 个字，现有 {len(long_text)} 个字" in field
    assert long_text in body  # nothing typed is lost


def test_a_too_long_supplement_text_is_refused_in_chinese(client, agency):
    from portal.forms import SupplementForm

    form = SupplementForm({"text": "补" * 5001})
    assert not form.is_valid() and TOO_LONG in form.errors["text"][0]


# --- dates the calendar cannot compute ---

@pytest.fixture
def calendar_staff(make_staff):
    user = make_staff(roles.REGISTRAR, username="cal")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("start", ["1850-03-01", "2150-01-01", "0001-01-01"])
def test_the_deadline_calculator_explains_unsupported_years(calendar_staff, start):
    resp = calendar_staff.get("/staff/clock/deadline_calculator/", {"start": start, "days": "20"})
    assert resp.status_code == 200 and ERR_YEAR_RANGE in resp.content.decode()


def test_a_period_running_past_the_last_year_is_explained_not_a_server_error(calendar_staff):
    resp = calendar_staff.get("/staff/clock/deadline_calculator/", {"start": "2099-12-20", "days": "20"})
    assert resp.status_code == 200 and ERR_YEAR_RANGE in resp.content.decode()
    api = calendar_staff.get("/api/legal/calendar/add-workdays/", {"start": "2099-12-20", "days": "20"})
    assert api.status_code == 400 and ERR_YEAR_RANGE in api.json()["errors"]["start"][0]
    api = calendar_staff.get("/api/legal/calendar/add-workdays/", {"start": "1850-12-20", "days": "20"})
    assert api.status_code == 400


@pytest.mark.parametrize("year", ["1800", "99999", "2100"])
def test_the_calendar_page_refuses_unsupported_years_with_a_message(calendar_staff, year):
    resp = calendar_staff.get("/staff/clock/working_calendar/", {"year": year})
    assert resp.status_code == 200 and ERR_YEAR_RANGE in resp.content.decode()


# --- uploads: opened, not sniffed ---

def submit_with(client, agency, upload):
    page = client.get("/apply/").content.decode()
    return client.post("/apply/", {**application_data(agency, page), "attachments": upload})


def pdf_of(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>", "无法打开或已损坏"),
    (b"\x89PNG\r\n\x1a\n<html>not a picture</html>", "无法打开或已损坏"),
    (b"\xff\xd8\xff\xe0<svg onload=alert(1)>", "无法打开或已损坏"),
    (b"MZ\x90\x00 this is an exe", ERR_UPLOAD_TYPE),
])
def test_an_upload_with_a_fake_header_is_refused(client, agency, content, message):
    resp = submit_with(client, agency, SimpleUploadedFile("身份证.pdf", content, content_type="application/pdf"))
    assert message in resp.content.decode()
    assert not DisclosureRequest.objects.exists() and not RequestAttachment.objects.exists()


def test_an_upload_over_the_page_limit_is_refused_with_the_count(client, agency):
    resp = submit_with(client, agency, SimpleUploadedFile("材料.pdf", pdf_of(51), content_type="application/pdf"))
    assert "有 51 页，超过了 50 页的上限" in resp.content.decode()


def test_a_word_file_is_not_an_applicant_upload(client, agency):
    from docx import Document as Docx

    out = io.BytesIO()
    Docx().save(out)
    resp = submit_with(client, agency, SimpleUploadedFile("委托书.docx", out.getvalue()))
    assert ERR_UPLOAD_TYPE in resp.content.decode()


# --- staff see the applicant's files, through the case only ---

@pytest.fixture
def applied_with_id_copy(client, agency):
    upload = sample_pdf("../../身份证复印件")
    upload.name = "../../身份证复印件.pdf"
    assert submit_with(client, agency, upload).status_code == 302
    return DisclosureRequest.objects.get(), upload


def test_an_applicant_upload_is_stored_under_a_random_name(applied_with_id_copy):
    case, _upload = applied_with_id_copy
    stored = case.attachments.get()
    assert stored.original_name == "身份证复印件.pdf" and stored.content_type == "application/pdf"
    assert re.fullmatch(rf"attachments/{case.pk}/[0-9a-f]{{32}}", stored.file.name), stored.file.name


def test_staff_see_the_applicants_upload_on_the_case_page_and_fetch_it(applied_with_id_copy, people):
    case, upload = applied_with_id_copy
    stored = case.attachments.get()
    staff = Client()
    staff.force_login(people["registrar"])
    page = staff.get(f"/staff/workflow/cases/{case.pk}/").content.decode()
    section = re.search(r'id="case-applicant-files".*?</section>', page, re.S).group(0)
    url = f"/staff/workflow/cases/{case.pk}/applicant-files/{stored.pk}/"
    assert url in section and "身份证复印件.pdf" in section and "申请材料" in section
    resp = staff.get(url)
    upload.seek(0)
    assert resp.status_code == 200 and b"".join(resp.streaming_content) == upload.read()
    assert resp["Content-Disposition"].startswith("attachment") and resp["X-Content-Type-Options"] == "nosniff"
    from audit.models import AuditEvent  # the reading is on record (个人信息保护法 Art. 51)

    read = AuditEvent.objects.filter(action="document.viewed", object_id=str(case.pk)).get()
    assert read.after == {"what": "申请人提交的材料：身份证复印件.pdf"}


def test_another_agencys_staff_cannot_fetch_the_upload(applied_with_id_copy, other_agency, make_staff):
    case, _upload = applied_with_id_copy
    stored = case.attachments.get()
    from agencies.services import department_create

    elsewhere = department_create(actor=None, agency=other_agency, name="政务公开股", code="ogi")
    outsider = make_staff(*roles.ROLE_PERMISSIONS, username="outsider", agency_=other_agency, department_=elsewhere)
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/staff/workflow/cases/{case.pk}/applicant-files/{stored.pk}/").status_code == 404
    anonymous = Client().get(f"/staff/workflow/cases/{case.pk}/applicant-files/{stored.pk}/")
    assert anonymous.status_code == 403 or "/login/" in anonymous.get("Location", "")


def test_the_service_holds_every_caller_to_the_same_limit(agency, people):
    from django.core.exceptions import ValidationError

    from tests.applications import submit

    with pytest.raises(ValidationError) as refused:
        submit(agency, people["registrar"], description="申" * 2001)
    assert f"{TOO_LONG} 2000 个字" in str(refused.value.message_dict["description"])
    assert not DisclosureRequest.objects.exists()
