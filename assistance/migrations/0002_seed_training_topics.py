"""The three training topics of DOMAIN §1; staff add more in the admin."""

from django.db import migrations

TOPICS = [
    ("碳排放数据核查关键核查点", "Key checkpoints of carbon data verification"),
    ("排放报告易错点", "Error-prone points in accounting reports"),
    ("月度信息化存证内容要求", "What monthly evidence storage must contain"),
]


def seed(apps, schema_editor):
    TrainingTopic = apps.get_model("assistance", "TrainingTopic")
    for name_zh, name_en in TOPICS:
        TrainingTopic.objects.get_or_create(name_zh=name_zh, defaults={"name_en": name_en})


def unseed(apps, schema_editor):
    TrainingTopic = apps.get_model("assistance", "TrainingTopic")
    TrainingTopic.objects.filter(name_zh__in=[zh for zh, _en in TOPICS], trainings=None).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
