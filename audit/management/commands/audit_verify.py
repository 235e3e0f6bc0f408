import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.verification import audit_verification_record, audit_verify


class Command(BaseCommand):
    help = ("核验审计记录：重算摘要链，并与签名的检查点（含库外的检查点文件）核对。"
            "完好时输出 `ok N events` 并以 0 退出；否则指出第一处被改动、删除、插入或调换顺序的事件并以非零退出。")

    def add_arguments(self, parser):
        parser.add_argument("--no-record", action="store_true",
                            help="do not keep the outcome for the auditors' page (e.g. when checking a copy)")

    def handle(self, *args, no_record=False, **options):
        verdict = audit_verify()
        if not no_record:
            audit_verification_record(verdict)
        if not verdict.ok:
            raise CommandError(f"FAILED ({verdict.kind}): {verdict.message}")
        self.stdout.write(f"ok {verdict.count} events")
        if verdict.last_checkpoint:
            cp = verdict.last_checkpoint
            sealed = timezone.localtime(dt.datetime.fromisoformat(cp["at"]))
            self.stdout.write(f"last checkpoint: position {cp['position']}, event #{cp['last_event']}, "
                              f"sealed {sealed:%Y-%m-%d %H:%M:%S} ({timezone.get_current_timezone_name()})")
        if verdict.unsealed:
            self.stdout.write(f"{verdict.unsealed} events recorded, not sealed yet")
        for note in verdict.notes:
            self.stdout.write(note)
