from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "residents"
    label = "residents"
    verbose_name = "人口信息"

    def ready(self):
        from residents import signals  # noqa: F401
