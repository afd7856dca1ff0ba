from django.views.generic import TemplateView

from community_admin.accounts import selectors
from community_admin.accounts.forms import AuditFilterForm
from community_admin.accounts.labels import labelled
from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PermissionRequiredMixin
from community_admin.core.models import AuditLog
from community_admin.core.views import FilteredListMixin, paginate


class AuditLogListView(PermissionRequiredMixin, FilteredListMixin, TemplateView):
    required_permission = "audit.view"
    template_name = "accounts/audit_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = selectors.audit_log_list(filters=filters) if not form.errors else AuditLog.objects.none()
        listed = paginate(self.request, rows, self.paginate_by)
        return super().get_context_data(
            form=form,
            **listed,
            rows=labelled(listed["page"].object_list),
            role_labels=dict(Role.choices),
            **kwargs,
        )
