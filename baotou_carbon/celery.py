"""The Celery application: `celery -A baotou_carbon worker` and `celery -A baotou_carbon beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baotou_carbon.settings")

app = Celery("baotou_carbon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
