"""The Celery application, configured from Django settings (CELERY_* names). Workers start with
`celery -A community_admin worker`; see README, "Background jobs"."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community_admin.config.settings")

app = Celery("community_admin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs) -> None:
    # kombu's filesystem transport expects its folders to exist, in the web process and the worker alike.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
