from django.conf import settings
from django.db import migrations


def agency_staff_leave_the_admin(apps, schema_editor):
    """Accounts made before this release had `is_staff` set: the Django admin is for
    platform administrators (superusers) only."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    User.objects.filter(is_superuser=False, staff_profile__isnull=False, is_staff=True).update(is_staff=False)


class Migration(migrations.Migration):

    dependencies = [
        ("agencies", "0002_agency_seal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(agency_staff_leave_the_admin, migrations.RunPython.noop),
    ]
