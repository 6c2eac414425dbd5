"""The one row of allocation settings, so that reading them never writes."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("allocation", "AllocationSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0004_schedule_position_recompute")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
