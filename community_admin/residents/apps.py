from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "community_admin.residents"
    label = "residents"
    verbose_name = "人口信息"

    def ready(self):
        from community_admin.residents import signals  # noqa: F401
