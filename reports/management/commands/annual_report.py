"""Print 表三 of the annual report for one agency or all agencies (汇总), rows and
columns in the order of the format (国办公开办函〔2021〕30号)."""
import sys

from django.core.management.base import BaseCommand, CommandError

from reports import exports
from reports.selectors import ScopeDenied, agency_scope, fees_charged
from reports.table3 import table3


class Command(BaseCommand):
    help = "输出年度报告表三（收到和处理政府信息公开申请情况）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        parser.add_argument("--agency", required=True, help="机关编号、简称或全称；all 为全部机关汇总")
        parser.add_argument("--format", choices=["csv", "json", "xlsx"], default="csv")
        parser.add_argument("--output", help="写入文件（xlsx 默认写入标准输出的二进制流）")

    def handle(self, *args, year, agency, format, output=None, **options):
        if not 1900 < year < 3000:
            raise CommandError(f"年度不正确：{year}")
        try:
            scope = agency_scope(agency)
        except ScopeDenied:
            raise CommandError(f"没有找到机关：{agency}") from None
        table = table3(scope.cases, year=year)
        fees = fees_charged(scope.cases, year=year)
        if format == "xlsx":
            data = exports.as_xlsx(table, scope_label=scope.label, fees=fees)
            if output:
                with open(output, "wb") as fh:
                    fh.write(data)
            else:
                sys.stdout.buffer.write(data)
            return
        text = (exports.as_csv(table, scope_label=scope.label) if format == "csv"
                else exports.as_json(table, scope_label=scope.label, fees=fees) + "\n")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
        if not table.balanced:
            for failure in table.failures:
                cases = "、".join(c.registration_number or c.tracking_number for c in failure.cases)
                self.stderr.write(f"勾稽关系不符：{failure.rule}。{failure.explanation} 案件：{cases}")
