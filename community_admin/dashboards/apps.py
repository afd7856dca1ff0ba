from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "community_admin.dashboards"
    label = "dashboards"
    verbose_name = "首页与看板"
