"""The Celery application. Tasks load ids and call services; due work lives in rows."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcrm.settings")

app = Celery("pcrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from pcrm.ops import task_request_ids  # noqa: E402, F401 - connects the signal handlers
