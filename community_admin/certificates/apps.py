from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "community_admin.certificates"
    label = "certificates"
    verbose_name = "证明出具"
