from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "community_admin.admission"
    label = "tasks"
    verbose_name = "社区事务准入与派发"
