"""Celery application, wired as Celery documents for Django.

Without CELERY_BROKER_URL the settings make tasks run eagerly in-process, so the
embedded run needs no broker; with it (production, CI integration test) Redis is used.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stempact.settings")

app = Celery("stempact")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
