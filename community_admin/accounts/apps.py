from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "community_admin.accounts"
    label = "accounts"
    verbose_name = "账户与审计"

    def ready(self) -> None:
        from community_admin.accounts import signals  # noqa: F401
