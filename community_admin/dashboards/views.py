from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission, record_denied
from community_admin.core.views import action_submit, form_submit
from community_admin.dashboards import selectors as dashboard_selectors
from community_admin.dashboards.forms import CommitteeEditForm, OfficeNormChoiceForm, RegistryMarkForm
from community_admin.dashboards.jobs import SURVEY_REPORT
from community_admin.org import selectors, services
from community_admin.org.models import Committee, ServiceCentre, Street

REPORT_YEARS_OFFERED = 5


class HomeView(PermissionRequiredMixin, TemplateView):
    """Bureau: every street and its committees; street clerk: its committees; committee staff: its own page."""

    required_permission = "org.view"
    template_name = "dashboards/home.html"

    def get(self, request, *args, **kwargs):
        if request.user.role == Role.COMMITTEE:
            return redirect("dashboards:committee-detail", pk=request.user.committee_id)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        committees = selectors.committees_with_figures(
            scoping.visible_committees(user)
            .select_related("registry_complete_by")
            .order_by("street__code", "code")
        )
        streets = list(selectors.streets_with_counts(scoping.visible_streets(user)))
        totals = selectors.street_totals(committees)
        by_street: dict[int, list] = {s.pk: [] for s in streets}
        for committee, figures in committees:
            by_street.setdefault(committee.street_id, []).append((committee, figures))
        return super().get_context_data(
            streets=[(s, totals.get(s.pk), by_street.get(s.pk, [])) for s in streets],
            committee_total=len(committees),
            office_shortfalls=sum(1 for _, f in committees if f.office and not f.office.compliant),
            registry_complete_total=sum(1 for _, f in committees if f.registry_complete),
            source_text=_source_text(committees),
            can_mark=has_permission(user, "org.registry_complete"),
            **kwargs,
        )


class StreetDetailView(PermissionRequiredMixin, TemplateView):
    required_permission = "org.view"
    template_name = "dashboards/street_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        street = scoping.get_in_scope_or_404(
            selectors.streets_with_counts(scoping.visible_streets(user)), user, pk=self.kwargs["pk"]
        )
        committees = selectors.committees_with_figures(
            scoping.visible_committees(user)
            .filter(street=street)
            .select_related("registry_complete_by")
            .order_by("code")
        )
        return super().get_context_data(
            street=street,
            totals=selectors.street_totals(committees).get(street.pk),
            committees=committees,
            source_text=_source_text(committees),
            can_mark=has_permission(user, "org.registry_complete"),
            centres=ServiceCentre.objects.filter(street=street, level=ServiceCentre.Level.STREET),
            honours=street.honours.all(),
            **kwargs,
        )


class CommitteeDetailView(PermissionRequiredMixin, TemplateView):
    required_permission = "org.view"
    template_name = "dashboards/committee_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        committee = scoping.get_in_scope_or_404(
            scoping.visible_committees(user).select_related("street", "registry_complete_by"),
            user,
            pk=self.kwargs["pk"],
        )
        figures = selectors.committee_figures(committee, office_norms=selectors.office_area_norms())
        return super().get_context_data(
            committee=committee,
            figures=figures,
            centres=committee.service_centres.all(),
            honours=committee.honours.all(),
            can_edit=has_permission(user, "org.edit_committee"),
            can_mark=has_permission(user, "org.registry_complete"),
            **kwargs,
        )


def _source_text(rows) -> str:
    counts = selectors.source_counts(f.source for _, f in rows)
    return selectors.source_text(**counts)


def _dashboard_source_text(figures: dict) -> str | None:
    sources = figures.get("household_sources")  # a copy cached before the figures had it: say nothing
    return selectors.source_text(**sources) if sources else None


class CommitteeRegistryView(PermissionRequiredMixin, View):
    """The street office (or the bureau) marks a committee's registry complete (`complete=1`) or withdraws the
    mark (`complete=0`): a button with a confirmation; a refusal comes back as a message."""

    required_permission = "org.registry_complete"

    def post(self, request, pk):
        user = request.user
        committee = scoping.get_in_scope_or_404(scoping.visible_committees(user), user, pk=pk)
        back = _back(request, committee)

        def mark(data):
            service = (
                services.committee_registry_complete
                if data["complete"]
                else services.committee_registry_incomplete
            )
            return service(actor=user, committee=committee)

        return action_submit(
            request,
            mark,
            form=RegistryMarkForm(request.POST),
            back=back,
            success_message=lambda c: (
                f"已确认{c.name}人口登记完整：配置标准和经费测算改按人口登记户数。"
                if c.registry_complete_at
                else f"已撤回{c.name}人口登记完整的确认：配置标准和经费测算改按在册数。"
            ),
        )


def _back(request, committee) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("dashboards:committee-detail", args=[committee.pk])


class OfficeNormsView(PermissionRequiredMixin, TemplateView):
    """The office-space norms the district holds, each with its source; the bureau picks the one to measure by."""

    required_permission = "org.view"
    template_name = "dashboards/office_norms.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            norms=selectors.office_area_norms(),
            can_choose=has_permission(self.request.user, "norms.manage"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not has_permission(request.user, "norms.manage"):
            record_denied(request.user, "norms.manage", request.path)
            raise PermissionDenied
        form = OfficeNormChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
            return redirect(reverse("dashboards:office-norms"))
        norm = form.cleaned_data["norm"]
        services.office_area_norm_choose(actor=request.user, norm=norm)
        messages.success(request, f"本区办公用房标准已改为：{norm.name}")
        return redirect(reverse("dashboards:office-norms"))


class CommitteeEditView(PermissionRequiredMixin, TemplateView):
    """Street clerks and the bureau correct a committee's record (name, party organisation, office space …)."""

    required_permission = "org.edit_committee"
    template_name = "dashboards/committee_edit.html"

    def get_committee(self):
        user = self.request.user
        return scoping.get_in_scope_or_404(scoping.visible_committees(user), user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        committee = self.get_committee()
        return self.render_to_response(
            self.get_context_data(committee=committee, form=CommitteeEditForm(instance=committee))
        )

    def post(self, request, *args, **kwargs):
        committee = self.get_committee()
        form = CommitteeEditForm(request.POST, instance=Committee.objects.get(pk=committee.pk))
        return form_submit(
            request,
            form,
            lambda data: services.committee_update(
                actor=request.user, committee=committee, changes={n: data[n] for n in form.changed_data}
            ),
            invalid=lambda form: self.render_to_response(
                self.get_context_data(committee=committee, form=form)
            ),
            success_url=reverse("dashboards:committee-detail", args=[committee.pk]),
            success_message="社区信息已保存。",
        )


class DistrictDashboardPage(PermissionRequiredMixin, TemplateView):
    """The bureau's one page: the district as the report describes it, computed live."""

    required_permission = "dashboards.district"
    template_name = "dashboards/dashboard.html"

    def get_context_data(self, **kwargs):
        figures = dashboard_selectors.dashboard_figures(Committee.objects.all(), Street.objects.all())
        this_year = timezone.localdate().year
        return super().get_context_data(
            figures=figures,
            source_text=_dashboard_source_text(figures),
            title="全区概况",
            report_kind=SURVEY_REPORT
            if has_permission(self.request.user, "dashboards.survey_report")
            else None,
            report_years=range(this_year, this_year - REPORT_YEARS_OFFERED, -1),
            **kwargs,
        )


class StreetDashboardPage(PermissionRequiredMixin, TemplateView):
    required_permission = "dashboards.street"
    template_name = "dashboards/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        street = scoping.get_in_scope_or_404(scoping.visible_streets(user), user, pk=self.kwargs["pk"])
        committees = scoping.visible_committees(user).filter(street=street)
        figures = dashboard_selectors.dashboard_figures(committees, Street.objects.filter(pk=street.pk))
        return super().get_context_data(
            figures=figures,
            source_text=_dashboard_source_text(figures),
            title=f"{street.name}概况",
            street=street,
            **kwargs,
        )
