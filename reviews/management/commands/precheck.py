"""Batch pre-publication checks on files: text, HTML, PDF, DOCX.

Prints one finding per line: KIND<TAB>FILE:LOCATION<TAB>MATCHED TEXT, and exits 1 when
any finding stands, 0 when every file is clean (2 when a file cannot be read)."""
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reviews import checks
from reviews.extract import Unreadable, chunks_from_file


class Command(BaseCommand):
    help = "发布前自动检查：身份证号、手机号、银行卡号、邮箱、密级标识、敏感词、链接"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--words", help="敏感词表文件（每行一个）")
        parser.add_argument("--agency", help="使用该机关（名称或简称）维护的敏感词表")
        parser.add_argument("--allow-host", action="append", default=[], help="允许链接的网站（可重复）")

    def handle(self, *args, files, words=None, agency=None, allow_host=(), **opts):
        sensitive = []
        if words:
            with open(words, encoding="utf-8") as fh:
                sensitive += [w.strip() for w in fh if w.strip()]
        hosts = list(getattr(settings, "REVIEWS_ALLOWED_LINK_HOSTS", ["gov.cn"])) + list(allow_host)
        if agency:
            from django.db.models import Q

            from agencies.models import Agency
            from reviews.services import allowed_hosts_for

            a = Agency.objects.filter(Q(name=agency) | Q(short_name=agency)).first()
            if a is None:
                raise CommandError(f"找不到机关：{agency}")
            sensitive += list(a.sensitive_words.values_list("word", flat=True))
            hosts += allowed_hosts_for(a)
        total, unreadable = 0, False
        for path in files:
            try:
                chunks = chunks_from_file(path)
            except (Unreadable, OSError) as exc:
                self.stderr.write(str(exc))
                unreadable = True
                continue
            for prefix, text, is_html in chunks:
                for f in checks.check_text(text, source=path, sensitive_words=sensitive, allowed_hosts=hosts,
                                           is_html=is_html, location_prefix=prefix):
                    matched = f.matched.replace("\t", " ").replace("\n", " ")
                    self.stdout.write(f"{f.kind}\t{path}:{f.location}\t{matched}")
                    total += 1
        if total:
            sys.exit(1)
        if unreadable:
            sys.exit(2)
