from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.admission.models import Task
from community_admin.core.exporters import export_response
from community_admin.core.files import private_file_response
from community_admin.core.views import action_submit, form_submit, query_year, refusal_text
from community_admin.funding import forms, selectors, services
from community_admin.funding.models import AllocationRun, FundingPolicy

FIELD_LABELS = {
    "year": "年度",
    "typical_costs": "典型年支出",
    "run": "经费测算",
    "status": "状态",
    "sent_on": "下拨日期",
    "passed_on": "转拨日期",
    "received_on": "到账日期",
    "amount": "金额",
    "spent_on": "支出日期",
    "category": "支出类别",
    "description": "摘要",
    "task": "任务",
    "receipt": "票据",
    "a": "方案甲",
    "b": "方案乙",
}


def _year(request) -> int:
    return query_year(request, default=timezone.localdate().year)


# Policies --------------------------------------------------------------------------------------------


class PolicyListView(PermissionRequiredMixin, View):
    required_permission = "funding.view"

    def get(self, request):
        return self.page(request, forms.PolicyForm())

    def page(self, request, form, status=200):
        can_manage = has_permission(request.user, "funding.policy.manage")
        return render(
            request,
            "funding/policy_list.html",
            {
                "policies": selectors.policy_list(),
                "form": form if can_manage else None,
                "can_manage": can_manage,
            },
            status=status,
        )


class PolicyCreateView(PolicyListView):
    required_permission = "funding.policy.manage"

    def post(self, request):
        form = forms.PolicyForm(request.POST)
        return form_submit(
            request,
            form,
            lambda _: services.policy_create(actor=request.user, **form.service_kwargs()),
            invalid=lambda form: self.page(request, form),
            success_url=reverse("funding:policy-list"),
            success_message=lambda policy: f"已登记经费方案：{policy.name}",
        )


class PolicyAdoptView(PermissionRequiredMixin, View):
    required_permission = "funding.policy.manage"

    def post(self, request, pk: int):
        policy = scoping.get_in_scope_or_404(FundingPolicy.objects.all(), request.user, pk=pk)
        return action_submit(
            request,
            lambda data: services.policy_adopt(actor=request.user, policy=policy),
            back=reverse("funding:policy-list"),
            success_message=lambda policy: f"已采用“{policy}”。",
            labels=FIELD_LABELS,
        )


# Runs ------------------------------------------------------------------------------------------------


class RunListView(PermissionRequiredMixin, View):
    required_permission = "funding.view"

    def get(self, request):
        return self.page(request, forms.RunForm(initial={"year": timezone.localdate().year}))

    def page(self, request, form, status=200):
        year = timezone.localdate().year
        committees = scoping.visible_committees(request.user)
        return render(
            request,
            "funding/run_list.html",
            {
                "runs": selectors.runs_with_sources(),
                "form": form,
                "can_run": has_permission(request.user, "funding.run"),
                "figures": selectors.funding_figures(year, committees),
                "current_sources": selectors.current_sources(),
            },
            status=status,
        )


class RunStartView(PermissionRequiredMixin, View):
    required_permission = "funding.run"

    def post(self, request):
        return form_submit(
            request,
            forms.RunForm(request.POST),
            lambda data: services.allocation_run(actor=request.user, year=data["year"]),
            invalid=lambda form: RunListView().page(request, form),
            success_url=reverse("funding:run-list"),
            success_message=lambda run: f"{run.year} 年度经费已测算。",
        )


class RunMixin(PermissionRequiredMixin):
    def get_run(self, pk: int) -> AllocationRun:
        return scoping.get_in_scope_or_404(selectors.run_list(), self.request.user, pk=pk)


class RunDetailView(RunMixin, View):
    required_permission = "funding.view"

    def get(self, request, pk: int):
        run = self.get_run(pk)
        allocations = selectors.allocation_list(request.user, run=run)
        return render(
            request,
            "funding/run_detail.html",
            {
                "run": run,
                "allocations": allocations,
                "figures": selectors.funding_figures(run.year, scoping.visible_committees(request.user)),
                "can_run": has_permission(request.user, "funding.run"),
                "send_form": forms.SendForm(initial={"sent_on": timezone.localdate()}),
            },
        )


class RunCloseView(RunMixin, View):
    required_permission = "funding.run"

    def post(self, request, pk: int):
        run = self.get_run(pk)
        return action_submit(
            request,
            lambda data: services.allocation_run_close(actor=request.user, run=run),
            back=reverse("funding:run-detail", args=[run.pk]),
            success_message=f"{run.year} 年度经费测算已关账。",
            labels=FIELD_LABELS,
        )


class RunSendView(RunMixin, View):
    required_permission = "funding.run"

    def post(self, request, pk: int):
        run = self.get_run(pk)
        return action_submit(
            request,
            lambda data: services.disbursement_send(actor=request.user, run=run, **data),
            form=forms.SendForm(request.POST),
            back=reverse("funding:run-detail", args=[run.pk]),
            success_message=f"{run.year} 年度经费已下拨，待街道转拨。",
            labels=FIELD_LABELS,
        )


# What-if ---------------------------------------------------------------------------------------------


class CompareView(PermissionRequiredMixin, View):
    required_permission = "funding.compare"

    def get(self, request):
        form = forms.CompareForm(request.GET or None)
        comparison = None
        if form.is_valid():
            comparison = selectors.policy_compare(
                request.user, policy_a=form.cleaned_data["a"], policy_b=form.cleaned_data["b"]
            )
        return render(
            request,
            "funding/compare.html",
            {"form": form, "comparison": comparison, "chart": comparison.chart() if comparison else None},
        )


class CompareExportView(PermissionRequiredMixin, View):
    required_permission = "funding.compare"

    def get(self, request):
        form = forms.CompareForm(request.GET)
        back = reverse("funding:compare")
        if not form.is_valid():
            messages.error(request, refusal_text(ValidationError(form.errors), FIELD_LABELS))
            return redirect(back)
        try:
            export = services.policy_comparison_export(
                actor=request.user, policy_a=form.cleaned_data["a"], policy_b=form.cleaned_data["b"]
            )
        except ValidationError as exc:
            messages.error(request, refusal_text(exc, FIELD_LABELS))
            return redirect(back)
        return export_response(export)


# Disbursement ----------------------------------------------------------------------------------------


class DisbursementListView(PermissionRequiredMixin, View):
    required_permission = "funding.view"

    def get(self, request):
        year = _year(request)
        return render(
            request,
            "funding/disbursement_list.html",
            {
                "year": year,
                "disbursements": selectors.disbursement_list(request.user, year=year),
                "can_pass": has_permission(request.user, "funding.pass_on"),
                "can_confirm": has_permission(request.user, "funding.confirm"),
                "today": timezone.localdate(),
            },
        )


class DisbursementStepView(PermissionRequiredMixin, View):
    form_class = None
    service = None

    def post(self, request, pk: int):
        rows = selectors.disbursement_list(request.user)
        disbursement = scoping.get_in_scope_or_404(rows, request.user, pk=pk)
        service = type(self).service
        return action_submit(
            request,
            lambda data: service(actor=request.user, disbursement=disbursement, **data),
            form=self.form_class(request.POST),
            back=reverse("funding:disbursement-list") + f"?year={disbursement.allocation.run.year}",
            success_message=self.success_message.format(committee=disbursement.allocation.committee.name),
            labels=FIELD_LABELS,
        )


class DisbursementPassOnView(DisbursementStepView):
    required_permission = "funding.pass_on"
    form_class = forms.PassOnForm
    service = services.disbursement_pass_on
    success_message = "已登记转拨给{committee}。"


class DisbursementConfirmView(DisbursementStepView):
    required_permission = "funding.confirm"
    form_class = forms.ConfirmForm
    service = services.disbursement_confirm
    success_message = "{committee}已确认到账。"


# Expenditure -----------------------------------------------------------------------------------------


def funded_tasks(user, year: int):
    ids = selectors.task_lines(user, year=year).values("task_id")
    return Task.objects.filter(pk__in=ids).order_by("-submitted_at")


class ExpenditureListView(PermissionRequiredMixin, View):
    required_permission = "funding.view"

    def get(self, request):
        return self.page(request)

    def page(self, request, form=None, status=200):
        year = _year(request)
        user = request.user
        can_spend = has_permission(user, "funding.spend")
        if can_spend and form is None:
            form = forms.ExpenditureForm(
                initial={"spent_on": timezone.localdate()}, tasks=funded_tasks(user, year)
            )
        return render(
            request,
            "funding/expenditure_list.html",
            {
                "year": year,
                "form": form if can_spend else None,
                "budgets": selectors.budgets(year, scoping.visible_committees(user)),
                "task_lines": selectors.task_lines(user, year=year),
                "expenditures": selectors.expenditure_list(user, year=year)[:200],
            },
            status=status,
        )


class ExpenditureCreateView(ExpenditureListView):
    required_permission = "funding.spend"

    def post(self, request):
        user = request.user
        form = forms.ExpenditureForm(
            request.POST, request.FILES, tasks=funded_tasks(user, timezone.localdate().year)
        )
        return form_submit(
            request,
            form,
            lambda data: services.expenditure_record(actor=user, committee=user.committee, **data),
            invalid=lambda form: self.page(request, form),
            success_url=reverse("funding:expenditure-list"),
            success_message="支出已登记。",
        )


class ReceiptView(PermissionRequiredMixin, View):
    """Receipts live under MEDIA_ROOT, which is not served: only here, in scope, as attachments."""

    required_permission = "funding.view"

    def get(self, request, pk: int):
        rows = selectors.expenditure_list(request.user)
        expenditure = scoping.get_in_scope_or_404(rows, request.user, pk=pk)
        return private_file_response(
            request,
            obj=expenditure,
            open=lambda: expenditure.receipt.open("rb"),
            filename=f"支出{expenditure.pk}-票据{expenditure.receipt_extension}",
            content_type=expenditure.receipt_content_type,
            action="expenditure.receipt_download",
            details={"committee": expenditure.committee_id, "year": expenditure.year},
        )


# Audit -----------------------------------------------------------------------------------------------


class AuditView(PermissionRequiredMixin, View):
    required_permission = "funding.audit"

    def get(self, request):
        year = _year(request)
        committees = scoping.visible_committees(request.user)
        rows = selectors.budgets(year, committees)
        flags = [f for r in rows for f in r.flags]
        return render(
            request,
            "funding/audit.html",
            {
                "year": year,
                "rows": rows,
                "flags": flags,
                "counts": selectors.flag_counts(year, committees),
                "figures": selectors.funding_figures(year, committees),
                "short": [r for r in rows if r.shortfall > 0],
                "total_shortfall": sum((r.shortfall for r in rows), selectors.ZERO),
            },
        )
