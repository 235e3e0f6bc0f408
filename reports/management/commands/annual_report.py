"""Print 表三 (then 表四) of the annual report for one agency or all agencies (汇总), rows and
columns in the order of the format (国办公开办函〔2021〕30号)."""
import sys

from django.core.management.base import BaseCommand, CommandError

from reports import exports
from reports.selectors import ScopeDenied, agency_scope, fees_charged
from reports.table3 import table3
from reports.table4 import RULE_GROUP_TOTAL, proceedings_of, table4


class Command(BaseCommand):
    help = "输出年度报告表三（收到和处理政府信息公开申请情况）和表四（行政复议、行政诉讼情况）"

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
        remedies = table4(proceedings_of(scope.cases), year=year)
        if format == "xlsx":
            data = exports.as_xlsx(table, scope_label=scope.label, fees=fees, table4=remedies)
            if output:
                with open(output, "wb") as fh:
                    fh.write(data)
            else:
                sys.stdout.buffer.write(data)
            return
        text = (exports.as_csv(table, scope_label=scope.label, table4=remedies) if format == "csv"
                else exports.as_json(table, scope_label=scope.label, fees=fees, table4=remedies) + "\n")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            self.stdout.write(text, ending="")
        if not table.balanced:
            for failure in table.failures:
                cases = "、".join(c.registration_number or c.tracking_number for c in failure.cases)
                self.stderr.write(f"勾稽关系不符：{failure.rule}。{failure.explanation} 案件：{cases}")
        for check in remedies.failures:
            self.stderr.write(f"表四勾稽关系不符：{check.where}：{RULE_GROUP_TOTAL}（{check.parts} ≠ {check.total}）")
