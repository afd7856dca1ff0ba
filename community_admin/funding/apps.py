from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "community_admin.funding"
    label = "funding"
    verbose_name = "社区经费"
