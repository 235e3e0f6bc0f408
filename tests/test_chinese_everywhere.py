"""Every page of the demo that a person reads is in Chinese.

The demo is loaded once; each demo log-in then walks the staff site from its menu and
lists (a bounded crawl, downloads skipped), the applicant portal is read with a demo
case opened, and /gk/ is read anonymously. What a person sees (the text of the page
without scripts, styles, icons and code, plus the labels of material fields and the
options widgets draw from their data) must hold no Latin word beyond the few a Chinese
reader accepts: file formats, standards, addresses, file names, numbers and codes.
"""
import io
import json
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from agencies.demo import DEMO_PASSWORD, STAFF

pytestmark = pytest.mark.django_db

# Words a Chinese reader of these pages accepts as they are.
ALLOWED = {"PDF", "Excel", "Word", "CSV", "ZIP", "DOCX", "OFD", "JPG", "JPEG", "PNG", "SHA", "TOTP", "GB", "KB", "MB"}
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")
# Removed before words are looked for: addresses, mail, file names, codes like 2026-LD-0001 or SL20260001.
NOT_WORDS = [
    re.compile(r"https?://\S+|www\.\S+"),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"[\w\u4e00-\u9fff.()（）-]+\.(pdf|docx?|xlsx?|csv|zip|jpe?g|png|txt|odt|ofd|rtf|html?)\b", re.I),
    re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{3,}\b"),
    re.compile(r"\b[0-9a-f]{8,}\b"),
    re.compile(r"GB/T\s*[\d.\-—]+"),
    re.compile(r"SHA-256"),
]
JSON_LABEL = re.compile(r'"label":\s*"((?:[^"\\]|\\.)*)"')
SKIP_TAGS = {"script", "style", "svg", "code", "template", "noscript", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Not pages: files, exports, leaving, the Django admin, the API.
SKIP_URL = re.compile(r"logout|export|pdf|zip|download|/file|format=|/admin/|/api/|\.(csv|xlsx|docx)|/static/|/media/|"
                      r"/i18n/|print|/cases/[^/]+/(documents|files)/\d+/")
PAGES_PER_ROLE = 40
PER_SHAPE = 2


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if not self.skipping:
            if attrs.get("label"):  # material fields print their label
                self.text.append(attrs["label"])
            for value in attrs.values():  # options a widget script renders from its JSON
                self.text += [json.loads(f'"{label}"') for label in JSON_LABEL.findall(value or "")]
        if tag in VOID:
            return
        if self.skipping:
            self.skipping.append(tag)
        elif tag in SKIP_TAGS or "material-icons" in (attrs.get("class") or "") or "hidden" in attrs:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID or not self.skipping:
            return
        while self.skipping:
            if self.skipping.pop() == tag:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.text.append(data)


def latin_words(html: str) -> tuple[set[str], list[str]]:
    parser = _Visible()
    parser.feed(html)
    text = " ".join(parser.text)
    for pattern in NOT_WORDS:
        text = pattern.sub(" ", text)
    return {w for w in WORD.findall(text) if w not in ALLOWED}, parser.links


def crawl(client: Client, start: list[str], prefix: str, found: dict, limit: int = PAGES_PER_ROLE) -> int:
    seen, todo, shapes = set(), list(start), defaultdict(int)
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if target.startswith(prefix) and target not in seen:
                todo.insert(0, target)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        words, links = latin_words(response.content.decode())
        for word in words:
            found[word].add(url)
        for href in links:
            href = href.split("#")[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith(prefix) or SKIP_URL.search(href):
                continue
            shape = re.sub(r"\d+", "#", parts.path)
            if href in seen or href in todo or shapes[shape] >= PER_SHAPE:
                continue
            shapes[shape] += 1
            todo.append(href)
    return len(seen)


def report(found: dict) -> str:
    return "\n".join(f"  {w}: {' '.join(sorted(urls)[:4])}" for w, urls in sorted(found.items()))


def test_every_demo_page_reads_in_chinese():
    call_command("seed_demo", stdout=io.StringIO())
    from workflows.models import DisclosureRequest

    found, pages = defaultdict(set), 0
    # One log-in per role (a second handler of the same office reads the same pages) and
    # the handler of the other agency.
    logins = {}
    for username, _name, role_names, agency_index, _dept in STAFF:
        logins.setdefault((tuple(role_names), agency_index), username)
    for username in logins.values():
        client = Client()
        response = client.post("/staff/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        pages += crawl(client, ["/staff/", "/staff/workflow/inbox/", "/staff/workflow/queue/",
                                "/staff/workflow/archive/"], "/staff/", found)

    applicant = Client()
    pages += crawl(applicant, ["/", "/apply/", "/track/", "/large-type/"], "/", found, limit=10)
    session = applicant.session
    session["portal_cases"] = list(DisclosureRequest.objects.filter(
        description__startswith="【演示】").values_list("pk", flat=True))
    session.save()
    cases = [f"/cases/{n}/" for n in DisclosureRequest.objects.filter(
        description__startswith="【演示】").values_list("tracking_number", flat=True)]
    pages += crawl(applicant, cases, "/cases/", found, limit=30)
    pages += crawl(Client(), ["/gk/"], "/gk/", found, limit=15)

    # A 查询号 is ten capitals and digits drawn at random: some have no digit at all.
    for number in DisclosureRequest.objects.values_list("tracking_number", flat=True):
        found.pop(number, None)
    assert pages > 150, pages
    assert not found, "Latin words where people read (word: pages):\n" + report(found)


def test_the_scan_reads_what_a_person_reads():
    words, _links = latin_words(
        '<vf-list-filter data-options="{&quot;label&quot;: &quot;\\u529e\\u7406/Handle&quot;}"></vf-list-filter>'
        '<md-outlined-text-field label="Brief"></md-outlined-text-field><button>GO</button>'
        '<span class="material-icons">inbox</span><script>var Created;</script><code>handler</code>'
        '<p>石龙依申〔2026〕7号 2026-0001 SL20260001 答复书.pdf GB/T 9704-2012 SHA-256 https://gk.example.cn/a 导出Excel</p>')
    assert words == {"Handle", "Brief", "GO"}
