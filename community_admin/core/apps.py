from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "community_admin.core"
    label = "core"
    verbose_name = "核心"
