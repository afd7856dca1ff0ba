"""Pages of the yearly rules: the pay policy and the retirement rules, one version per year, each drafted,
compared with the previous year's adopted version and adopted by the bureau. The other roles read the adopted
versions; a draft is the bureau's alone (out of their scope: 404)."""

from dataclasses import dataclass
from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core.views import action_submit, form_submit
from community_admin.staff import forms, selectors, services, yearly
from community_admin.staff.models import PayPolicy, RetirementRuleSet


def _pay_initial(policy: PayPolicy | None) -> dict[str, Any]:
    if policy is None:
        return {}
    return {name: getattr(policy, name) for name in (*services.PAY_FIELDS, "source_document")}


def _rules_initial(rule_set: RetirementRuleSet | None) -> dict[str, Any]:
    if rule_set is None:
        return {}
    initial: dict[str, Any] = {"source_document": rule_set.source_document}
    for rule in rule_set.rules.all():
        prefix = services.SEX_PREFIX[rule.sex]
        initial.update({f"{prefix}_{name}": getattr(rule, name) for name in services.RULE_FIELDS})
    return initial


@dataclass(frozen=True)
class Kind:
    """One kind of yearly rules: what the shared views and templates need to know about it."""

    slug: str  # the URL names' prefix: "pay-policy", "retirement-rules"
    label: str
    model: type
    form: type
    template_form: str
    versions: Any  # user -> the versions the user may see
    initial: Any  # version -> the form's initial values
    draft: Any
    update: Any
    adopt: Any
    delete: Any

    def url(self, action: str) -> str:
        return f"staff:{self.slug}-{action}"

    @property
    def urls(self) -> dict[str, str]:
        return {a: self.url(a) for a in ("create", "detail", "edit", "adopt", "delete")}


PAY = Kind(
    slug="pay-policy",
    label="薪酬政策",
    model=PayPolicy,
    form=forms.PayPolicyForm,
    template_form="staff/policy_form.html",
    versions=selectors.visible_pay_policies,
    initial=_pay_initial,
    draft=lambda actor, data: services.pay_policy_draft(actor=actor, year=data.pop("year"), values=data),
    update=lambda actor, version, data: services.pay_policy_update(actor=actor, policy=version, values=data),
    adopt=lambda actor, version: services.pay_policy_adopt(actor=actor, policy=version),
    delete=lambda actor, version: services.pay_policy_delete(actor=actor, policy=version),
)
RETIREMENT = Kind(
    slug="retirement-rules",
    label="退休规则",
    model=RetirementRuleSet,
    form=forms.RetirementRulesForm,
    template_form="staff/policy_form.html",
    versions=selectors.visible_retirement_rule_sets,
    initial=_rules_initial,
    draft=lambda actor, data: services.retirement_rules_draft(
        actor=actor, year=data.pop("year"), values=data
    ),
    update=lambda actor, version, data: services.retirement_rules_update(
        actor=actor, rule_set=version, values=data
    ),
    adopt=lambda actor, version: services.retirement_rules_adopt(actor=actor, rule_set=version),
    delete=lambda actor, version: services.retirement_rules_delete(actor=actor, rule_set=version),
)


class PolicyListView(PermissionRequiredMixin, TemplateView):
    required_permission = "staff.policy.view"
    template_name = "staff/policy_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = timezone.localdate().year
        return super().get_context_data(
            year=year,
            next_year=year + 1,
            pay_versions=selectors.visible_pay_policies(user),
            rule_sets=selectors.visible_retirement_rule_sets(user),
            pay_in_force=yearly.pay_policy_in_force(year),
            rules_in_force=yearly.retirement_rules_in_force(year),
            can_manage=has_permission(user, "staff.policy.manage"),
            **kwargs,
        )


class VersionMixin(PermissionRequiredMixin):
    kind: Kind | None = None  # given by the URLconf

    def get_version(self):
        user = self.request.user
        return scoping.get_in_scope_or_404(self.kind.versions(user), user, pk=self.kwargs["pk"])


class VersionDetailView(VersionMixin, TemplateView):
    """The version field by field beside the previous year's adopted one, changed fields marked."""

    required_permission = "staff.policy.view"
    template_name = "staff/policy_detail.html"

    def get_context_data(self, **kwargs):
        version = self.get_version()
        return super().get_context_data(
            kind=self.kind,
            version=version,
            comparison=selectors.version_comparison(version),
            can_manage=has_permission(self.request.user, "staff.policy.manage"),
            **kwargs,
        )


class VersionCreateView(PermissionRequiredMixin, View):
    """A new draft, its values taken from the last adopted version (up to the year asked for)."""

    required_permission = "staff.policy.manage"
    kind: Kind | None = None  # given by the URLconf

    def get(self, request):
        year = _year_asked(request)
        initial = {**self.kind.initial(selectors.last_adopted(self.kind.model, year)), "year": year}
        initial["note"] = ""
        return self.page(request, self.kind.form(initial=initial, with_year=True))

    def post(self, request):
        return form_submit(
            request,
            self.kind.form(request.POST, with_year=True),
            lambda data: self.kind.draft(request.user, dict(data)),
            invalid=lambda form: self.page(request, form),
            success_url=lambda version: reverse(self.kind.url("detail"), args=[version.pk]),
            success_message=lambda version: f"已起草{version}，请与上年度比较后采用。",
        )

    def page(self, request, form, status: int = 200):
        context = {"kind": self.kind, "form": form, "version": None}
        return render(request, self.kind.template_form, context, status=status)


def _year_asked(request) -> int:
    year = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(year) if year.isdigit() and len(year) == 4 else this_year


class VersionEditView(VersionMixin, View):
    required_permission = "staff.policy.manage"

    def get(self, request, pk: int):
        version = self.get_version()
        form = self.kind.form(initial={**self.kind.initial(version), "note": version.note})
        return self.page(request, form, version)

    def post(self, request, pk: int):
        version = self.get_version()
        return form_submit(
            request,
            self.kind.form(request.POST),
            lambda data: self.kind.update(request.user, version, dict(data)),
            invalid=lambda form: self.page(request, form, version),
            success_url=reverse(self.kind.url("detail"), args=[version.pk]),
            success_message=f"已保存{version}草稿。",
        )

    def page(self, request, form, version, status: int = 200):
        if not version.is_draft:
            form.add_error(
                None, services.ERR_NOT_DRAFT.format(status=version.get_status_display(), year=version.year)
            )
        context = {"kind": self.kind, "form": form, "version": version}
        return render(request, self.kind.template_form, context, status=status)


class VersionAdoptView(VersionMixin, View):
    """GET: the comparison and a confirmation; POST: adopt."""

    required_permission = "staff.policy.manage"

    def get(self, request, pk: int):
        version = self.get_version()
        context = {"kind": self.kind, "version": version, "comparison": selectors.version_comparison(version)}
        return render(request, "staff/policy_adopt.html", context)

    def post(self, request, pk: int):
        version = self.get_version()
        detail = reverse(self.kind.url("detail"), args=[version.pk])
        return action_submit(
            request,
            lambda data: self.kind.adopt(request.user, version),
            back=detail,
            success_message=f"已采用{version}。",
        )


class VersionDeleteView(VersionMixin, View):
    required_permission = "staff.policy.manage"

    def post(self, request, pk: int):
        version = self.get_version()
        detail = reverse(self.kind.url("detail"), args=[version.pk])
        done = f"已删除{version}草稿。"
        return action_submit(
            request,
            lambda data: self.kind.delete(request.user, version),
            back=detail,
            success_url=reverse("staff:policy-list"),
            success_message=done,
        )
