from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "community_admin.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Each app declares its job kinds in its own `jobs.py`; this app never imports them by name.
        autodiscover_modules("jobs")
