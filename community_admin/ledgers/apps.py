from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "community_admin.ledgers"
    label = "ledgers"
    verbose_name = "台账"
