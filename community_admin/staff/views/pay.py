"""Pages of pay: the payrolls, computing one, its lines and export."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core.exporters import export_response
from community_admin.core.views import form_submit, paginate
from community_admin.staff import forms, selectors, services, yearly

PER_PAGE = 50


class PayrollListView(PermissionRequiredMixin, View):
    required_permission = "staff.pay.view"

    def get(self, request):
        today = timezone.localdate()
        form = forms.PayrollComputeForm(
            initial={"year": today.year, "month": today.month},
            committees=scoping.visible_committees(request.user),
        )
        return self.render_list(request, form)

    def render_list(self, request, form, status: int = 200):
        context = {
            **paginate(request, selectors.payroll_list(request.user), PER_PAGE),
            "in_force": yearly.pay_policy_in_force(timezone.localdate().year),
            "form": form,
            "can_compute": has_permission(request.user, "staff.pay.compute"),
        }
        return render(request, "staff/payroll_list.html", context, status=status)


class PayrollComputeView(PayrollListView):
    required_permission = "staff.pay.compute"

    def get(self, request):
        return redirect("staff:payroll-list")

    def post(self, request):
        return form_submit(
            request,
            forms.PayrollComputeForm(request.POST, committees=scoping.visible_committees(request.user)),
            lambda data: services.payroll_compute(actor=request.user, **data),
            invalid=lambda form: self.render_list(request, form),
            success_url=lambda payroll: reverse("staff:payroll-detail", args=[payroll.pk]),
            success_message=lambda payroll: " ".join(
                [f"{payroll} 已计算。", *yearly.payroll_notices(payroll)]
            ),
        )


class PayrollMixin(PermissionRequiredMixin):
    def get_payroll(self):
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.payroll_list(user), user, pk=self.kwargs["pk"])


class PayrollDetailView(PayrollMixin, TemplateView):
    required_permission = "staff.pay.view"
    template_name = "staff/payroll_detail.html"

    def get_context_data(self, **kwargs):
        payroll = self.get_payroll()
        return super().get_context_data(
            payroll=payroll,
            notices=yearly.payroll_notices(payroll),
            lines=payroll.lines.select_related("worker").order_by("worker__name", "worker_id"),
            **kwargs,
        )


class PayrollExportView(PayrollMixin, View):
    required_permission = "staff.pay.view"

    def get(self, request, pk: int):
        export = services.payroll_export(actor=request.user, payroll=self.get_payroll())
        return export_response(export)
