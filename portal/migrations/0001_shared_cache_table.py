"""The table of the shared database cache (the embedded default's rate-limit counters,
settings.CACHES). Creating it here means `migrate` is all a fresh installation runs;
with Redis configured there is nothing to create."""
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
