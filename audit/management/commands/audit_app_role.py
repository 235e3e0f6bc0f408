"""Grants the application's database role what it needs and no more (PostgreSQL).

Production runs migrations as the tables' owner and the application as another role.
Run this as the owner after each `migrate`. The application role then reads and writes
the tables, but on the audit record it may only insert events and checkpoints and set
the chain columns of an unsealed event (the sealer); it cannot delete, cannot TRUNCATE
(not granted) and cannot disable the triggers (only an owner can alter a table).
"""
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.models import AuditChainHead, AuditCheckpoint, AuditEvent

CHAIN_COLUMNS = ("position", "prev_digest", "digest")


def grant_statements(role: str) -> list[str]:
    qn = connection.ops.quote_name
    role = qn(role)
    audit_tables = {m._meta.db_table for m in (AuditEvent, AuditCheckpoint, AuditChainHead)}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    models = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    tables = sorted((models & existing) - audit_tables)
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    statements += [f"REVOKE ALL ON {qn(t)} FROM {role}" for t in [*tables, *sorted(audit_tables)]]
    statements += [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {qn(t)} TO {role}" for t in tables]
    event, checkpoint, head = (qn(m._meta.db_table) for m in (AuditEvent, AuditCheckpoint, AuditChainHead))
    statements += [
        f"GRANT SELECT, INSERT ON {event} TO {role}",
        f"GRANT UPDATE ({', '.join(CHAIN_COLUMNS)}) ON {event} TO {role}",
        f"GRANT SELECT, INSERT ON {checkpoint} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE ON {head} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    return statements


class Command(BaseCommand):
    help = "（PostgreSQL）为应用的数据库角色授权：审计表只能追加，不能删除、清空或停用触发器。以表的所有者身份在每次 migrate 后运行。"

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as (not the tables' owner)")
        parser.add_argument("--print", action="store_true", help="print the statements instead of running them")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只适用于 PostgreSQL。")
        statements = grant_statements(role)
        if options["print"]:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.stdout.write(f"granted {role}: {len(statements)} statements")
