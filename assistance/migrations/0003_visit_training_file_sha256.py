# Visit and training files derive from core.files.StoredFile: they gain a SHA-256, computed here
# from the stored bytes (left blank for a file whose bytes have gone), and room for a longer
# stored name, as evidence files have. Their storage paths stay as they were.

import hashlib

import baotou_carbon.core.files
from django.db import migrations, models


def hash_stored_files(apps, schema_editor):
    # The migration keeps its own copy of the hashing so that it runs as written.
    for model in ("VisitFile", "TrainingFile"):
        rows = apps.get_model("assistance", model).objects
        for row in rows.filter(sha256="").exclude(file="").iterator():
            digest = hashlib.sha256()
            try:
                with row.file.open("rb") as stored:
                    for chunk in stored.chunks():
                        digest.update(chunk)
            except (OSError, ValueError):  # gone from the disk, or unreadable: leave it blank
                continue
            rows.filter(pk=row.pk).update(sha256=digest.hexdigest())


SHA256 = models.CharField(blank=True, db_index=True, help_text='Blank only for a file stored before hashes were kept, whose bytes were missing.', max_length=64, verbose_name='SHA-256')


class Migration(migrations.Migration):

    dependencies = [
        ('assistance', '0002_seed_training_topics'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltrainingfile',
            name='sha256',
            field=SHA256.clone(),
        ),
        migrations.AddField(
            model_name='historicalvisitfile',
            name='sha256',
            field=SHA256.clone(),
        ),
        migrations.AddField(
            model_name='trainingfile',
            name='sha256',
            field=SHA256.clone(),
        ),
        migrations.AddField(
            model_name='visitfile',
            name='sha256',
            field=SHA256.clone(),
        ),
        migrations.AlterField(
            model_name='historicaltrainingfile',
            name='file',
            field=models.TextField(max_length=300, verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='historicalvisitfile',
            name='file',
            field=models.TextField(max_length=300, verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='trainingfile',
            name='file',
            field=models.FileField(max_length=300, upload_to=baotou_carbon.core.files.stored_file_upload_to, verbose_name='file'),
        ),
        migrations.AlterField(
            model_name='visitfile',
            name='file',
            field=models.FileField(max_length=300, upload_to=baotou_carbon.core.files.stored_file_upload_to, verbose_name='file'),
        ),
        migrations.RunPython(hash_stored_files, migrations.RunPython.noop),
    ]
