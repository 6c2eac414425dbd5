"""Schedule the nightly recompute of compliance positions with django-celery-beat, at 02:30
Beijing time, for safety: every write that changes a position's inputs already queues one."""

from django.db import migrations

TASK_NAME = "allocation: nightly position recompute"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "allocation.tasks.recompute_recent_positions",
            "crontab": crontab,
            "enabled": True,
            "description": "Recompute the compliance positions of the recent years.",
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0003_cross_check_positions_relief"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
