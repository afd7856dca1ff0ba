from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "community_admin.staff"
    label = "staff"
    verbose_name = "社区工作者"
