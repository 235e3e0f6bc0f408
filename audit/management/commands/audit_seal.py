from django.core.management.base import BaseCommand, CommandError

from audit.sealing import SealRefused
from audit.services import audit_seal


class Command(BaseCommand):
    help = "封存已提交的审计事件：链接摘要，签署检查点并写入检查点文件（Celery beat 每分钟运行一次）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="每个检查点最多封存的事件数")

    def handle(self, *args, batch_size=None, **options):
        try:
            made = audit_seal(batch_size=batch_size)
        except SealRefused as exc:
            raise CommandError(str(exc)) from exc
        sealed = sum(cp.count for cp in made)
        if made:
            self.stdout.write(f"sealed {sealed} events, {len(made)} checkpoints, up to position {made[-1].position}")
        else:
            self.stdout.write("sealed 0 events")
