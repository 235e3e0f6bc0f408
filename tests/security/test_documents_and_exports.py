"""Documents fetch nothing but the project's own files; spreadsheets never run what an
applicant or a colleague typed; names cannot be printed backwards."""
import http.server
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from openpyxl import load_workbook

from documents.rendering import html_to_pdf, url_fetcher
from reviews.catalogue import rows_to_xlsx, xlsx_to_rows
from workflows.models import DisclosureRequest

from ..portal.helpers import application_data


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///etc/../etc/passwd",
    "file://localhost/etc/passwd",
    f"file://{Path(settings.BASE_DIR) / 'portal' / 'static' / '..' / '..' / 'pyproject.toml'}",
    "http://127.0.0.1:9/logo.png",
    "https://example.com/font.woff",
    "ftp://example.com/x",
])
def test_the_document_renderer_refuses_files_and_the_network(url):
    with pytest.raises(ValueError, match="文书只能引用本系统的字体和图片"):
        url_fetcher().fetch(url)


def test_the_document_renderer_reads_the_projects_own_files_and_data_uris():
    css = Path(settings.BASE_DIR) / "portal" / "static" / "portal" / "portal.css"
    response = url_fetcher().fetch(css.as_uri())
    assert b"{" in response.read()
    response.close()
    response = url_fetcher().fetch("data:text/plain;base64,5YWs5byA")
    assert response.read().decode() == "公开"
    response.close()


def test_a_document_with_outside_links_renders_without_fetching_them(tmp_path):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        secret = tmp_path / "secret.css"
        secret.write_text("body { color: red }")
        pdf = html_to_pdf(
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/track.css"></head>'
            f'<body><p>答复书</p><img src="http://127.0.0.1:{port}/pixel.png"><img src="file:///etc/passwd">'
            f'<link rel="stylesheet" href="{secret.as_uri()}"></body></html>')
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF") and hits == []


FORMULAS = ["=HYPERLINK(\"http://evil.example/\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_the_catalogue_export_writes_formulas_as_text_and_reads_them_back():
    row = {"domain": "城乡规划", "item_level1": "总体规划", "item_level2": "", "content": FORMULAS[0],
           "basis": FORMULAS[1], "time_limit": FORMULAS[2], "responsible_body": FORMULAS[3],
           "channels": "政府网站", "audience": "全社会", "mode": "主动", "level": "县级"}
    data = rows_to_xlsx([row])
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for c in ws[2]]
    assert not [c for c in cells if c.data_type == "f"]  # no cell is a formula
    assert [c.value for c in cells[3:7]] == ["'" + f for f in FORMULAS[:4]]
    rows, errors = xlsx_to_rows(data)
    assert errors == [] and rows[0]["content"] == FORMULAS[0] and rows[0]["responsible_body"] == FORMULAS[3]


def test_every_formula_prefix_is_escaped():
    from documents.spreadsheets import spreadsheet_text

    assert [spreadsheet_text(f)[0] for f in FORMULAS] == ["'"] * len(FORMULAS)
    assert spreadsheet_text("石龙区 -2 号") == "石龙区 -2 号" and spreadsheet_text(None) == ""


@pytest.mark.django_db
def test_direction_overrides_are_dropped_from_applicant_names(client, agency):
    caches["shared"].clear()  # the rate-limit counters
    page = client.get("/apply/").content.decode()
    name = "张\u202e三\u2066"
    resp = client.post("/apply/", application_data(agency, page, applicant_name=name,
                                                    applicant_type="natural"))
    assert resp.status_code == 302, resp.content.decode()[:2000]
    case = DisclosureRequest.objects.get()
    assert case.applicant_name == "张三"
    from audit.models import AuditEvent
    assert AuditEvent.objects.get(action="request.submitted").actor_label == "申请人 张三"
