# Evidence files derive from core.files.StoredFile: they gain the verified content type (filled
# here from the stored kind), the uploader's label, and a SHA-256 that may be blank only for a
# file kept before hashes were (never the case for evidence, which always had one).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The kinds evidence has ever stored, and their content types (as core.files names them).
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def fill_content_types(apps, schema_editor):
    for model in ("EvidenceFile", "HistoricalEvidenceFile"):
        rows = apps.get_model("verification", model).objects
        for kind, content_type in CONTENT_TYPES.items():
            rows.filter(kind=kind, content_type="").update(content_type=content_type)


class Migration(migrations.Migration):

    dependencies = [
        ('verification', '0007_parameter_source_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='evidencefile',
            name='content_type',
            field=models.CharField(default='', max_length=100, verbose_name='content type'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='historicalevidencefile',
            name='content_type',
            field=models.CharField(default='', max_length=100, verbose_name='content type'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='evidencefile',
            name='sha256',
            field=models.CharField(blank=True, db_index=True, help_text='Blank only for a file stored before hashes were kept, whose bytes were missing.', max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AlterField(
            model_name='evidencefile',
            name='uploaded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by'),
        ),
        migrations.AlterField(
            model_name='historicalevidencefile',
            name='sha256',
            field=models.CharField(blank=True, db_index=True, help_text='Blank only for a file stored before hashes were kept, whose bytes were missing.', max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AlterField(
            model_name='historicalevidencefile',
            name='uploaded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by'),
        ),
        migrations.RunPython(fill_content_types, migrations.RunPython.noop),
    ]
