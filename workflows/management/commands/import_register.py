"""Import an agency's earlier register (台账) of applications from the template
(`import_register FILE --agency CODE [--dry-run] [--user NAME]`): every row or nothing."""
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from agencies.models import Agency
from workflows.services.register_import import RegisterRefused, register_import, register_import_check


class Command(BaseCommand):
    help = "从台账（导入模板 .xlsx）导入本机关此前收到的政府信息公开申请；有任何一行不能导入时整个文件不导入"

    def add_arguments(self, parser):
        parser.add_argument("file", help="填好的导入模板（.xlsx）")
        parser.add_argument("--agency", required=True, help="机关编号、简称或全称")
        parser.add_argument("--dry-run", action="store_true", help="只检查，列出不能导入的行和原因，不导入")
        parser.add_argument("--user", help="以该工作人员的名义导入（用户名；不填则记为系统）")

    def handle(self, *args, file, agency, dry_run=False, user=None, **options):
        query = Q(short_name=agency) | Q(name=agency) | (Q(pk=int(agency)) if agency.isdigit() else Q())
        found = list(Agency.objects.filter(query)[:2])
        if len(found) != 1:
            raise CommandError(f"没有找到机关：{agency}")
        target = found[0]
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"没有找到工作人员：{user}")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{file}（{exc.strerror}）") from None
        if dry_run:
            reading = register_import_check(actor=actor, agency=target, content=content)
            self._refusals(reading)
            if reading.refusals:
                raise CommandError(f"有 {len(reading.refusals)} 处不能导入，整个文件现在不能导入。")
            summary = "，".join(f"{label} {n} 件" for label, n in reading.summary)
            self.stdout.write(f"检查通过：可以导入 {len(reading.rows)} 件申请（{summary}）。未导入。")
            return
        try:
            record = register_import(actor=actor, agency=target, content=content, file_name=path.name)
        except RegisterRefused as exc:
            self._refusals(exc.reading)
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"已导入 {record.rows} 件申请（其中办理中 {record.open_cases} 件），文件 SHA-256：{record.sha256}")

    def _refusals(self, reading) -> None:
        for r in reading.refusals:
            where = f"第{r.line}行" if r.line else "文件"
            self.stderr.write(f"{where}{'，' + r.column if r.column else ''}：{r.reason}")
