from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.certificates import evidence as evidence_files
from community_admin.certificates import selectors, services
from community_admin.certificates.filters import CertificateFilter
from community_admin.certificates.forms import (
    AdoptForm,
    CertificateTypeForm,
    IssueForm,
    PersonSearchForm,
    SealLogFilterForm,
    StatisticsForm,
    VerifyForm,
    VoidForm,
)
from community_admin.certificates.jobs import BATCH_PDF
from community_admin.certificates.models import Certificate, CertificateType
from community_admin.core.clientip import client_ip
from community_admin.core.files import attachment_response, private_file_response
from community_admin.core.filters import page_filter
from community_admin.core.views import errors_into_form, form_submit, paginate

PERSON_CHOICES_SHOWN = 100


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return attachment_response(data, filename=filename, content_type="application/pdf")


class CertificateListView(PermissionRequiredMixin, View):
    required_permission = "certificates.view"

    def get(self, request):
        filterset = page_filter(CertificateFilter, request, selectors.certificate_list(request.user))
        refused = filterset.is_bound and not filterset.is_valid()
        rows = filterset.queryset.none() if refused else filterset.qs
        return render(
            request,
            "certificates/certificate_list.html",
            {
                **paginate(request, rows, 25),
                "form": filterset.form,
                "can_issue": has_permission(request.user, "certificates.issue"),
                "can_print": has_permission(request.user, "certificates.print"),
                "batch_kind": BATCH_PDF,
            },
            status=400 if refused else 200,  # a filter it cannot read shows the form's error
        )


class IssueView(PermissionRequiredMixin, View):
    """Step 1 (GET): find the person, choose the type. Step 2 (GET with both): what the type needs — nothing
    (tier A), the evidence to attach (tier B), or the department to refer to (tier C). POST issues or refuses."""

    required_permission = "certificates.issue"

    def _form(self, request, data=None):
        persons = selectors.issuable_persons(request.user)
        return IssueForm(data, persons=persons, types=selectors.certificate_types(active_only=True))

    def get(self, request):
        search = PersonSearchForm(request.GET or None)
        persons = selectors.issuable_persons(request.user)
        q = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if q:
            found = Q(name__icontains=q) | Q(household__number=q)
            if len(q) == 4:
                found |= Q(id_number__endswith=q.upper())
            persons = persons.filter(found)
        chosen = None
        form = self._form(request)
        if "person" in request.GET and "certificate_type" in request.GET:
            form = self._form(request, request.GET)
            if form.is_valid():
                chosen = form.cleaned_data
        # A committee has thousands of residents: the list shows the first matches, the search narrows it.
        shown = persons[:PERSON_CHOICES_SHOWN]
        if chosen:
            shown = persons.filter(pk=chosen["person"].pk) | persons.filter(pk__in=[p.pk for p in shown])
        form.fields["person"].queryset = shown
        return render(
            request,
            "certificates/issue.html",
            {
                "search": search,
                "form": form,
                "person_count": persons.count(),
                "persons_shown": PERSON_CHOICES_SHOWN,
                "chosen": chosen,
            },
        )

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            ct = form.cleaned_data["certificate_type"]
            evidence = {
                item: request.FILES.getlist(f"evidence_{i}")
                for i, item in enumerate(ct.required_evidence)
                if request.FILES.getlist(f"evidence_{i}")
            }
            try:
                result = services.certificate_issue(
                    actor=request.user,
                    person=form.cleaned_data["person"],
                    certificate_type=ct,
                    purpose=form.cleaned_data["purpose"],
                    evidence=evidence,
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            else:
                if result.refused:
                    messages.warning(request, f"“{ct.name}”不予出具，已登记并告知当事人到{ct.refer_to}办理。")
                    return redirect("certificates:refusal-detail", pk=result.refusal.pk)
                messages.success(request, f"已出具{ct.name}，编号 {result.certificate.serial}。")
                return redirect("certificates:detail", pk=result.certificate.pk)
        chosen = (
            form.cleaned_data
            if not form.errors.get("person") and form.cleaned_data.get("certificate_type")
            else None
        )
        return render(
            request,
            "certificates/issue.html",
            {"search": PersonSearchForm(), "form": form, "chosen": chosen, "person_count": None},
            status=400,
        )


def _certificate(request, pk) -> Certificate:
    return scoping.get_in_scope_or_404(selectors.certificate_list(request.user), request.user, pk=pk)


class CertificateDetailView(PermissionRequiredMixin, View):
    required_permission = "certificates.view"

    def get(self, request, pk):
        return self.render(request, _certificate(request, pk))

    def render(self, request, cert, *, void_form=None, status=200):
        user = request.user
        return render(
            request,
            "certificates/certificate_detail.html",
            {
                "c": cert,
                "evidence": cert.evidence.all(),
                "seal": getattr(cert, "seal_use", None),
                "can_print": has_permission(user, "certificates.print"),
                "can_open_evidence": has_permission(user, "certificates.evidence"),
                "can_void": cert.is_valid
                and has_permission(user, "certificates.void")
                and user.committee_id == cert.committee_id,
                "void_form": void_form or VoidForm(),
            },
            status=status,
        )


class CertificatePdfView(PermissionRequiredMixin, View):
    required_permission = "certificates.print"

    def get(self, request, pk):
        cert = _certificate(request, pk)
        data = services.certificate_print(actor=request.user, certificate=cert)
        return _pdf(data, f"{cert.certificate_type.name}-{cert.serial}.pdf")


class CertificateVoidView(PermissionRequiredMixin, View):
    required_permission = "certificates.void"

    def post(self, request, pk):
        cert = _certificate(request, pk)
        return form_submit(
            request,
            VoidForm(request.POST),
            lambda data: services.certificate_void(
                actor=request.user, certificate=cert, reason=data["reason"]
            ),
            invalid=lambda form: CertificateDetailView().render(request, cert, void_form=form),
            success_url=reverse("certificates:detail", args=[cert.pk]),
            success_message=f"证明 {cert.serial} 已作废（编号保留）。",
        )


class EvidenceDownloadView(PermissionRequiredMixin, View):
    """Evidence is only ever sent as an attachment of its sniffed type, never rendered by the browser."""

    required_permission = "certificates.evidence"

    def get(self, request, pk):
        item = scoping.get_in_scope_or_404(selectors.evidence_list(request.user), request.user, pk=pk)
        return private_file_response(
            request,
            obj=item,
            open=lambda: evidence_files.storage().open(item.file.name, "rb"),
            filename=f"{item.certificate.serial}-{item.pk}{item.file.name[item.file.name.rfind('.') :]}",
            content_type=item.content_type,
            action="certificate.evidence_open",
            details={"serial": item.certificate.serial, "requirement": item.requirement},
        )


def _refusal(request, pk):
    return scoping.get_in_scope_or_404(selectors.refusal_list(request.user), request.user, pk=pk)


class RefusalListView(PermissionRequiredMixin, View):
    required_permission = "certificates.view"

    def get(self, request):
        return render(
            request,
            "certificates/refusal_list.html",
            paginate(request, selectors.refusal_list(request.user), 25),
        )


class RefusalDetailView(PermissionRequiredMixin, View):
    required_permission = "certificates.view"

    def get(self, request, pk):
        return render(
            request,
            "certificates/refusal_detail.html",
            {"r": _refusal(request, pk), "can_print": has_permission(request.user, "certificates.print")},
        )


class ReferralSlipView(PermissionRequiredMixin, View):
    required_permission = "certificates.print"

    def get(self, request, pk):
        refusal = _refusal(request, pk)
        data = services.refusal_slip_print(actor=request.user, refusal=refusal)
        return _pdf(data, f"告知单-R{refusal.pk}.pdf")


class SealLogView(PermissionRequiredMixin, View):
    required_permission = "certificates.seal_log"

    def get(self, request):
        committees = scoping.visible_committees(request.user)
        form = SealLogFilterForm(request.GET or None, committees=committees)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "committee_id": data["committee"].pk if data["committee"] else None,
                "date_from": data["date_from"],
                "date_to": data["date_to"],
                "applied_by": data["applied_by"].strip(),
                "serial": data["serial"].strip(),
            }
        rows = (
            selectors.seal_log(request.user, **filters)
            if not form.errors
            else selectors.seal_log(request.user).none()
        )
        listed = paginate(request, rows, 50)
        return render(
            request,
            "certificates/seal_log.html",
            {"form": form, **listed, "total": listed["page"].paginator.count},
            status=400 if form.errors else 200,  # a filter it cannot read shows the form's error
        )


class StatisticsView(PermissionRequiredMixin, View):
    required_permission = "certificates.statistics"

    def get(self, request):
        form = StatisticsForm(request.GET or None)
        group_by, year = "tier", None
        if form.is_valid():
            group_by = form.cleaned_data["group_by"] or "tier"
            year = form.cleaned_data["year"]
        rows = selectors.statistics(request.user, group_by=group_by, year=year)
        totals = {
            "issued": sum(r.issued for r in rows),
            "voided": sum(r.voided for r in rows),
            "refused": sum(r.refused for r in rows),
        }
        return render(
            request,
            "certificates/statistics.html",
            {
                "form": form,
                "rows": rows,
                "group_by": group_by,
                "totals": totals,
                "departments": selectors.refusals_by_department(request.user, year=year)[:15],
                "tier_counts": selectors.tier_counts(),
            },
        )


class WhitelistView(PermissionRequiredMixin, View):
    required_permission = "certificates.whitelist_view"

    def get(self, request):
        rows = selectors.whitelist()
        return render(
            request,
            "certificates/whitelist.html",
            {
                "rows": rows,
                "sources": selectors.policy_sources(),
                "tier_counts": selectors.tier_counts(),
                "conflicts": sum(1 for r in rows if r.in_conflict),
                "can_manage": has_permission(request.user, "certificates.whitelist_manage"),
            },
        )


def _type(request, pk) -> CertificateType:
    return scoping.get_in_scope_or_404(selectors.certificate_types(), request.user, pk=pk)


class CertificateTypeEditView(PermissionRequiredMixin, View):
    required_permission = "certificates.whitelist_manage"

    def _render(self, request, ct, form, adopt_form=None, status=200):
        return render(
            request,
            "certificates/type_edit.html",
            {"ct": ct, "form": form, "adopt_form": adopt_form or AdoptForm(certificate_type=ct)},
            status=status,
        )

    def get(self, request, pk):
        ct = _type(request, pk)
        form = CertificateTypeForm(
            initial={
                "tier": ct.tier,
                "refer_to": ct.refer_to,
                "referral_domain": ct.referral_domain,
                "required_evidence": "\n".join(ct.required_evidence),
                "template_text": ct.template_text,
                "shows_full_id": ct.shows_full_id,
                "active": ct.active,
            }
        )
        return self._render(request, ct, form)

    def post(self, request, pk):
        ct = _type(request, pk)
        return form_submit(
            request,
            CertificateTypeForm(request.POST),
            lambda data: services.certificate_type_update(
                actor=request.user, certificate_type=ct, changes=data
            ),
            invalid=lambda form: self._render(request, ct, form),
            success_url=reverse("certificates:type-list"),
            success_message=f"已保存“{ct.name}”（已记入审计日志）。",
        )


class CertificateTypeAdoptView(PermissionRequiredMixin, View):
    required_permission = "certificates.whitelist_manage"

    def post(self, request, pk):
        ct = _type(request, pk)
        return form_submit(
            request,
            AdoptForm(request.POST, certificate_type=ct),
            lambda data: services.certificate_type_adopt_national_rule(
                actor=request.user,
                certificate_type=ct,
                prohibition=data["prohibition"],
                refer_to=data["refer_to"],
            ),
            invalid=lambda form: CertificateTypeEditView()._render(
                request, ct, CertificateTypeForm(initial={"tier": ct.tier}), adopt_form=form
            ),
            success_url=reverse("certificates:type-list"),
            success_message=f"“{ct.name}”已按国家规定改为不予出具（已记入审计日志）。",
        )


class VerifyView(View):
    """Public: anyone with the QR code's link sees type, committee, date, a masked name and the status.
    A wrong code reads exactly like an unknown serial."""

    def get(self, request):
        if not request.GET:
            return render(request, "certificates/verify.html", {"form": VerifyForm()})
        form = VerifyForm(request.GET)
        if not form.is_valid():
            return render(request, "certificates/verify.html", {"form": form}, status=400)
        result = services.certificate_verify(
            serial=form.cleaned_data["s"],
            code=form.cleaned_data["c"],
            channel="web",
            ip_address=client_ip(request),
        )
        status = 429 if result.limited else 200
        response = render(
            request, "certificates/verify.html", {"form": form, "result": result}, status=status
        )
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
