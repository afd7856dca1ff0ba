from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "community_admin.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        # Each app declares its administrative load counters in its own `workload.py` (core/workload.py).
        autodiscover_modules("workload")
