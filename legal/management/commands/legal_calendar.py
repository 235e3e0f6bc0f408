"""The deadline calculator for people and scripts.

    python manage.py legal_calendar add-workdays 2025-09-30 20 [--explain]
    python manage.py legal_calendar is-workday 2025-10-11
    python manage.py legal_calendar import 2027 schedule.csv   # date,休|班,name
    python manage.py legal_calendar seed                       # official years from chinesecalendar
"""
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from legal import clock as rules
from legal.selectors import get_calendar
from legal.services import calendar_import_year, calendar_seed_official, parse_schedule_csv


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}")


class Command(BaseCommand):
    help = "法定工作日计算：add-workdays / is-workday / import / seed"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-workdays", help="起算日后第 N 个工作日（起算日当日不计）")
        add.add_argument("start")
        add.add_argument("days", type=int)
        add.add_argument("--explain", action="store_true", help="打印推算过程")
        isw = sub.add_parser("is-workday", help="是否工作日：yes / no")
        isw.add_argument("date")
        imp = sub.add_parser("import", help="导入某年官方放假安排 CSV（date,休|班,name）")
        imp.add_argument("year", type=int)
        imp.add_argument("file")
        imp.add_argument("--source", default="国务院办公厅通知")
        sub.add_parser("seed", help="从 chinesecalendar 载入官方放假安排（幂等）")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "add-workdays":
            return self._add_workdays(_date(opts["start"]), opts["days"], opts["explain"])
        if action == "is-workday":
            self.stdout.write("yes" if get_calendar().is_workday(_date(opts["date"])) else "no")
            return
        if action == "seed":
            years = calendar_seed_official()
            self.stdout.write(f"loaded {len(years)} official years" + (f": {years[0]}–{years[-1]}" if years else ""))
            return
        if action == "import":
            with open(opts["file"], encoding="utf-8-sig") as fh:
                try:
                    rows = parse_schedule_csv(fh.read())
                    n = calendar_import_year(actor=None, year=opts["year"], rows=rows, source=opts["source"])
                except ValidationError as exc:
                    raise CommandError("\n".join(exc.messages))
            self.stdout.write(f"imported {n} days for {opts['year']}")

    def _add_workdays(self, start: dt.date, days: int, explain: bool):
        if days < 0:
            raise CommandError("工作日数不能为负数。")
        cal = get_calendar()
        due, provisional = rules.due_date_for(cal, start, days)
        if explain:
            for line in rules.explain_add_workdays(cal, start, days):
                self.stdout.write(line)
        self.stdout.write(due.isoformat() + (" provisional" if provisional else ""))
