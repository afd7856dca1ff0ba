from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AccountsConfig(AppConfig):
    name = "community_admin.accounts"
    label = "accounts"
    verbose_name = "账户与审计"

    def ready(self) -> None:
        from community_admin.accounts import signals  # noqa: F401

        # Each app declares its permissions and their token scopes in its own `permissions.py`
        # (accounts.permissions.register); this app never names them.
        autodiscover_modules("permissions")
