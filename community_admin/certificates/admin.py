from django.contrib import admin

from community_admin.certificates.models import Certificate, CertificateType, Refusal, SealUse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: writes go through the audited services (pages and API)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateType)
class CertificateTypeAdmin(ReadOnlyAdmin):
    list_display = ["name", "tier", "refer_to", "active"]
    list_filter = ["tier", "active"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "certificate_type", "committee", "issued_on", "status"]
    list_select_related = ["certificate_type", "committee"]
    search_fields = ["serial"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["certificate_type", "committee", "referred_to", "refused_on"]
    list_select_related = ["certificate_type", "committee"]


@admin.register(SealUse)
class SealUseAdmin(ReadOnlyAdmin):
    list_display = ["serial", "seal_name", "applied_by", "applied_at"]
    list_select_related = ["applied_by"]
