from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "community_admin.tasks"
    label = "tasks"
    verbose_name = "社区事务准入与派发"
