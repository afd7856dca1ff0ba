from django.apps import AppConfig


class CommunityServicesConfig(AppConfig):
    name = "community_admin.community_services"
    label = "services"
    verbose_name = "社区服务"
