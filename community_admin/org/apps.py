from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "community_admin.org"
    label = "org"
    verbose_name = "区街社区组织"
