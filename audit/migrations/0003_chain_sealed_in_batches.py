"""Events are recorded without the global lock and sealed later (audit/sealing.py).

The event's number is now its id (taken freely from the database sequence); its place
in the chain (`position`) and its digest are set once by the sealer. Events recorded
before this migration lose the old per-insert digests and are sealed, in id order (the
order they were chained in), by the first run of the sealer.

On PostgreSQL, triggers: on insert, store the inserting transaction (`txid`, which the
sealer orders by) and refuse chain columns chosen by the writer; on update, allow only
the sealer's one update (setting position and digests of an unsealed event, nothing
else changed); refuse every delete.
"""
from django.conf import settings
from django.db import migrations, models

DROP_OLD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_on_insert() RETURNS trigger AS $$
BEGIN
    NEW.txid := pg_current_xact_id()::text::bigint;
    NEW.position := NULL;
    NEW.prev_digest := '';
    NEW.digest := '';
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_on_insert BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_on_insert();

CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.position IS NULL AND NEW.position IS NOT NULL
       AND (to_jsonb(NEW) - ARRAY['position', 'prev_digest', 'digest'])
           = (to_jsonb(OLD) - ARRAY['position', 'prev_digest', 'digest']) THEN
        RETURN NEW;  -- the sealer sealing an event
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE OR REPLACE FUNCTION audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit checkpoints are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_append_only();
"""

DROP_NEW = """
DROP TRIGGER IF EXISTS audit_event_on_insert ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_on_insert();
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_append_only();
"""


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_OLD)


def unseal_legacy_events(apps, schema_editor):
    # txid 0: recorded before this migration, committed, sealed first (in id order).
    legacy_txid = 0 if schema_editor.connection.vendor == "postgresql" else None
    apps.get_model("audit", "AuditEvent").objects.update(prev_digest="", digest="", txid=legacy_txid)
    apps.get_model("audit", "AuditChainHead").objects.update_or_create(pk=1, defaults={"count": 0, "last_digest": ""})


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_NEW)


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_agency_seal'),
        ('audit', '0002_append_only_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.BigIntegerField(unique=True, verbose_name='链上位置')),
                ('last_event', models.BigIntegerField(verbose_name='最后事件编号')),
                ('digest', models.CharField(max_length=64, verbose_name='摘要')),
                ('count', models.IntegerField(verbose_name='本批事件数')),
                ('at', models.DateTimeField(verbose_name='封存时间')),
                ('key_id', models.CharField(max_length=16)),
                ('mac', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': '审计检查点',
                'verbose_name_plural': '审计检查点',
                'ordering': ['position'],
            },
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['id'], 'verbose_name': '审计事件', 'verbose_name_plural': '审计事件'},
        ),
        migrations.RemoveIndex(
            model_name='auditevent',
            name='audit_audit_object__8a72db_idx',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='sequence',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='position',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='链上位置'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='txid',
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['object_type', 'object_id', 'id'], name='audit_event_object_idx'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['agency', 'at'], name='audit_event_agency_at_idx'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('position__isnull', True)), fields=['txid', 'id'], name='audit_event_unsealed_idx'),
        ),
        migrations.RunPython(unseal_legacy_events, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
