from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core import reveals
from community_admin.core.counting import CountCachedPaginator
from community_admin.core.exporters import export_response
from community_admin.core.files import attachment_response
from community_admin.core.views import errors_into_form, form_submit, paginate, query_choice
from community_admin.residents import exporters, selectors, services
from community_admin.residents.filters import PersonFilter
from community_admin.residents.forms import (
    ConflictResolveForm,
    EventForm,
    FloatingMoveOutForm,
    HouseholdForm,
    IdNumberSearchForm,
    ImportForm,
    PersonForm,
    PersonRegisterForm,
    ResidencePermitForm,
    RevealForm,
    TransferForm,
)
from community_admin.residents.models import REGISTRY, Household, Person, RegistrationConflict

EXPORT_MAX_ROWS = 50_000
ERR_ID_NOT_FOUND = "没有找到此号码的人员（或不在您的管辖范围内）。"
ERR_EXPORT_TOO_BIG = "当前条件下有 {count} 人，超过直接下载的上限 {limit} 人：请用“后台导出”。"


def _unoffered_sensitive(request) -> dict:
    """Sensitive fields posted by an account whose form does not offer them: handed to the service as posted,
    which refuses each by name (services._refuse_unreadable_fields), rather than dropped without a word."""
    if selectors.can_see_sensitive(request.user):
        return {}
    return {f: request.POST[f] for f in selectors.SENSITIVE_FIELDS if request.POST.get(f, "") != ""}


def _person(request, pk) -> Person:
    return scoping.get_in_scope_or_404(selectors.person_list(request.user), request.user, pk=pk)


def _household(request, pk) -> Household:
    return scoping.get_in_scope_or_404(selectors.household_list(request.user), request.user, pk=pk)


class PersonListView(PermissionRequiredMixin, View):
    """The filtered list (GET: name, address, tags... in the URL) and the search by full ID number (POST: the
    number never goes into a URL, core.middleware.IdNumberInUrlMiddleware). One current match opens the
    person's page; several records (a person who moved out and came back) are listed on the answer itself."""

    required_permission = "residents.view"
    paginate_by = 25

    def get(self, request):
        return self.render(request, id_form=IdNumberSearchForm())

    def post(self, request):
        id_form = IdNumberSearchForm(request.POST)
        if not id_form.is_valid():
            return self.render(request, id_form=id_form, status=400)
        found = list(selectors.person_search_by_id_number(request.user, id_form.cleaned_data["id_number"]))
        if len(found) == 1:
            return redirect("residents:person-detail", pk=found[0].pk)
        if not found:
            id_form.add_error("id_number", ERR_ID_NOT_FOUND)
        return self.render(request, id_form=id_form, found=found)

    def render(self, request, *, id_form, found=None, status=200):
        filterset = PersonFilter(
            request.GET or None, queryset=selectors.person_list_paged(request.user), user=request.user
        )
        refused = filterset.is_bound and not filterset.is_valid()
        persons = filterset.queryset.none() if refused else filterset.qs
        if not filterset.is_bound:
            persons = filterset.queryset.filter(status__in=Person.ACTIVE_STATUSES)
        listed = paginate(
            request, persons, self.paginate_by, paginator_class=CountCachedPaginator, data=REGISTRY
        )
        page = listed["page"]
        return render(
            request,
            "residents/person_list.html",
            {
                "filter": filterset,
                "id_form": id_form,
                "found": found,
                **listed,
                "can_register": has_permission(request.user, "residents.register"),
                # a department adds floating residents to households the committees keep; it opens none itself
                "can_create_household": has_permission(request.user, "residents.register")
                and request.user.role != Role.DEPARTMENT,
                "can_import": has_permission(request.user, "residents.import"),
                "can_see_conflicts": has_permission(request.user, "residents.conflicts"),
                "can_export": has_permission(request.user, "residents.export") and found is None,
                "export_in_background": page.paginator.count > EXPORT_MAX_ROWS,
                "export_query": listed["query"],
                "sensitive": selectors.can_see_sensitive(request.user),
            },
            status=400 if refused else status,  # a filter it cannot read shows the form's error
        )


class PersonExportView(PermissionRequiredMixin, View):
    """The filtered list as xlsx, ID numbers masked, sensitive columns only for the roles that see them."""

    required_permission = "residents.export"

    def get(self, request):
        filterset = PersonFilter(
            request.GET or None, queryset=selectors.person_list(request.user), user=request.user
        )
        if filterset.is_bound and not filterset.is_valid():
            messages.error(request, "；".join(e for errs in filterset.form.errors.values() for e in errs))
            return redirect("residents:person-list")
        persons = (
            filterset.qs
            if filterset.is_bound
            else filterset.queryset.filter(status__in=Person.ACTIVE_STATUSES)
        )
        count = persons.count()
        if count > EXPORT_MAX_ROWS:
            messages.error(request, ERR_EXPORT_TOO_BIG.format(limit=EXPORT_MAX_ROWS, count=count))
            return redirect(f"{reverse('residents:person-list')}?{request.GET.urlencode()}")
        sensitive = selectors.can_see_sensitive(request.user)
        return export_response(
            services.persons_export(actor=request.user, persons=persons, sensitive=sensitive)
        )


class PersonDetailView(PermissionRequiredMixin, View):
    required_permission = "residents.view"

    def get(self, request, pk):
        return self.render(request, _person(request, pk))

    def render(self, request, person, *, revealed=None, reveal_form=None, status=200, **forms):
        user = request.user
        return render(
            request,
            "residents/person_detail.html",
            {
                "person": person,
                "history": selectors.person_history(person),
                "members": person.household.members.order_by("id"),
                "sensitive": selectors.can_see_sensitive(user),
                "can_edit": person.is_active and has_permission(user, "residents.edit"),
                "can_reveal": has_permission(user, "residents.reveal_id"),
                "revealed": revealed,
                "reveal_form": reveal_form or RevealForm(),
                "move_out_form": forms.get("move_out") or EventForm(prefix="move_out"),
                "death_form": forms.get("death") or EventForm(prefix="death"),
                "transfer_form": forms.get("transfer") or TransferForm(prefix="transfer"),
                **_floating_actions(user, person, forms),
            },
            status=status,
        )


def _floating_actions(user, person: Person, forms: dict) -> dict:
    """The police station's actions on a floating resident's page (and a keeper's permit update)."""
    floating = person.status == Person.Status.FLOATING
    initial = {
        "residence_permit_issued_on": person.residence_permit_issued_on,
        "residence_permit_valid_until": person.residence_permit_valid_until,
    }
    return {
        # a refused form is shown with its reason, also for someone the page would not offer it for
        "can_floating_move_out": (floating or "floating_move_out" in forms)
        and has_permission(user, "residents.floating_move_out"),
        "can_update_permit": (floating or "permit" in forms)
        and has_permission(user, "residents.residence_permit"),
        "floating_move_out_form": forms.get("floating_move_out") or FloatingMoveOutForm(prefix="outflow"),
        "permit_form": forms.get("permit")
        or ResidencePermitForm(prefix="permit", person=person, initial=initial),
    }


class PersonRevealView(PermissionRequiredMixin, View):
    required_permission = "residents.reveal_id"

    def post(self, request, pk):
        person = _person(request, pk)
        form = RevealForm(request.POST)
        detail = PersonDetailView()
        if form.is_valid():
            try:
                revealed = services.person_reveal_id(
                    actor=request.user, person=person, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                errors_into_form(form, exc)
            except reveals.RevealLimitExceeded as exc:
                form.add_error(None, exc.message)
                return detail.render(request, person, reveal_form=form, status=429)
            else:
                response = detail.render(request, person, revealed=revealed)
                response["Cache-Control"] = "no-store"
                return response
        return detail.render(request, person, reveal_form=form, status=400)


class PersonEventView(PermissionRequiredMixin, View):
    """Move out, death or transfer, posted from the person's page."""

    required_permission = "residents.edit"
    kind = ""

    def post(self, request, pk):
        person = _person(request, pk)
        form_class = TransferForm if self.kind == "transfer" else EventForm
        return form_submit(
            request,
            form_class(request.POST, prefix=self.kind),
            lambda data: self.apply(request, person, data),
            invalid=lambda form: PersonDetailView().render(request, person, **{self.kind: form}),
            success_url=reverse("residents:person-detail", args=[person.pk]),
            success_message="变动已登记。",
        )

    def apply(self, request, person, data):
        if self.kind == "move_out":
            services.person_move_out(
                actor=request.user,
                person=person,
                happened_on=data["happened_on"],
                destination=data["destination"],
            )
        elif self.kind == "death":
            services.person_record_death(actor=request.user, person=person, happened_on=data["happened_on"])
        else:
            code = data["committee_code"] or person.committee.code
            target = (
                selectors.household_list(request.user)
                .filter(committee__code=code, number=data["household_number"])
                .first()
            )
            if target is None:
                raise ValidationError(
                    {"household_number": "新户编号：在该社区中不存在或不在您的管辖范围内。"}
                )
            services.person_transfer(
                actor=request.user, person=person, to_household=target, happened_on=data["happened_on"]
            )


class FloatingMoveOutView(PermissionRequiredMixin, View):
    """登记迁出 of a floating resident, by the police station, from the person's page."""

    required_permission = "residents.floating_move_out"

    def post(self, request, pk):
        person = _person(request, pk)
        return form_submit(
            request,
            FloatingMoveOutForm(request.POST, prefix="outflow"),
            lambda data: services.floating_move_out(actor=request.user, person=person, **data),
            invalid=lambda form: PersonDetailView().render(request, person, floating_move_out=form),
            success_url=reverse("residents:person-detail", args=[person.pk]),
            success_message=f"已登记迁出：{person.name}",
        )


class ResidencePermitView(PermissionRequiredMixin, View):
    """更新居住证 of a floating resident, from the person's page."""

    required_permission = "residents.residence_permit"

    def post(self, request, pk):
        person = _person(request, pk)
        return form_submit(
            request,
            ResidencePermitForm(request.POST, prefix="permit", person=person),
            lambda data: services.residence_permit_update(
                actor=request.user,
                person=person,
                number=data["residence_permit_number"],
                issued_on=data["residence_permit_issued_on"],
                valid_until=data["residence_permit_valid_until"],
            ),
            invalid=lambda form: PersonDetailView().render(request, person, permit=form),
            success_url=reverse("residents:person-detail", args=[person.pk]),
            success_message=f"居住证已更新：{person.name}",
        )


class PersonRegisterView(PermissionRequiredMixin, View):
    required_permission = "residents.register"

    def get(self, request, pk):
        household = _household(request, pk)
        form = PersonRegisterForm(sensitive=selectors.can_see_sensitive(request.user))
        return render(request, "residents/person_form.html", {"form": form, "household": household})

    def post(self, request, pk):
        household = _household(request, pk)

        def register(cleaned):
            data = {k: v for k, v in cleaned.items() if v not in (None, "") or k in ("marital_status",)}
            data.setdefault("moved_in_on", None)
            data.update(_unoffered_sensitive(request))
            return services.person_register(actor=request.user, household=household, **data)

        return form_submit(
            request,
            PersonRegisterForm(request.POST, sensitive=selectors.can_see_sensitive(request.user)),
            register,
            invalid=lambda form: render(
                request, "residents/person_form.html", {"form": form, "household": household}
            ),
            success_url=reverse("residents:household-detail", args=[household.pk]),
            success_message=lambda person: f"已登记：{person.name}",
        )


class PersonEditView(PermissionRequiredMixin, View):
    required_permission = "residents.edit"

    def get(self, request, pk):
        person = _person(request, pk)
        initial = {f: getattr(person, f) for f in services.PERSON_EDITABLE_FIELDS}
        initial["id_number"] = ""  # never prefilled: typing a corrected number is the only way to change it
        for field in Person.ID_BEARING_FIELDS:  # shown masked; sent back unchanged, they stay (services)
            initial[field] = getattr(person, f"{field}_masked")
        form = PersonForm(initial=initial, sensitive=selectors.can_see_sensitive(request.user))
        form.fields["id_number"].required = False
        form.fields["id_number"].help_text = f"现为 {person.id_number_masked}；更正时填写完整号码，否则留空"
        return render(request, "residents/person_form.html", {"form": form, "person": person})

    def post(self, request, pk):
        person = _person(request, pk)
        form = PersonForm(request.POST, sensitive=selectors.can_see_sensitive(request.user))
        form.fields["id_number"].required = False

        def update(cleaned):
            changes = {f: v for f, v in cleaned.items() if f != "id_number" and v != getattr(person, f)}
            if cleaned["id_number"]:
                changes["id_number"] = cleaned["id_number"]
            changes.update(_unoffered_sensitive(request))
            services.person_update(actor=request.user, person=person, changes=changes)

        return form_submit(
            request,
            form,
            update,
            invalid=lambda form: render(
                request, "residents/person_form.html", {"form": form, "person": person}
            ),
            success_url=reverse("residents:person-detail", args=[person.pk]),
            success_message="已保存。",
        )


class HouseholdCreateView(PermissionRequiredMixin, View):
    required_permission = "residents.register"

    def get(self, request):
        form = HouseholdForm(committees=scoping.visible_committees(request.user))
        return render(request, "residents/household_form.html", {"form": form})

    def post(self, request):
        return form_submit(
            request,
            HouseholdForm(request.POST, committees=scoping.visible_committees(request.user)),
            lambda data: services.household_create(actor=request.user, **data),
            invalid=lambda form: render(request, "residents/household_form.html", {"form": form}),
            success_url=lambda household: reverse("residents:household-detail", args=[household.pk]),
            success_message=lambda household: f"已建户：{household}",
        )


class HouseholdDetailView(PermissionRequiredMixin, View):
    required_permission = "residents.view"

    def get(self, request, pk):
        household = _household(request, pk)
        return render(
            request,
            "residents/household_detail.html",
            {
                "household": household,
                "members": household.members.order_by("id"),
                "can_register": has_permission(request.user, "residents.register"),
                "can_floating_move_out": has_permission(request.user, "residents.floating_move_out"),
                "can_update_permit": has_permission(request.user, "residents.residence_permit"),
            },
        )


class ImportTemplateView(PermissionRequiredMixin, View):
    required_permission = "residents.import"

    def get(self, request):
        return attachment_response(
            exporters.ImportTemplate().write(),
            filename=exporters.ImportTemplate.filename,
            content_type=exporters.ImportTemplate.content_type,
        )


class ImportView(PermissionRequiredMixin, View):
    required_permission = "residents.import"

    def get(self, request):
        form = ImportForm(committees=scoping.visible_committees(request.user))
        return render(request, "residents/import.html", {"form": form})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, committees=scoping.visible_committees(request.user))
        if not form.is_valid():
            return render(request, "residents/import.html", {"form": form}, status=400)
        data = form.cleaned_data
        result = services.residents_import(
            actor=request.user,
            committee=data["committee"],
            file=data["file"],
            file_name=data["file"].name,
            dry_run=data["dry_run"],
        )
        status = 400 if result.errors else 200
        return render(
            request,
            "residents/import.html",
            {"form": form, "result": result, "dry_run": data["dry_run"], "committee": data["committee"]},
            status=status,
        )


class ConflictListView(PermissionRequiredMixin, View):
    """Registrations held because the number is active in a committee the registering account does not see:
    the registering committee's street and the bureau see where it is registered, and resolve them."""

    required_permission = "residents.conflicts"
    paginate_by = 50

    def get(self, request):
        return self.render(request)

    def render(self, request, *, failed=None, form=None, status=200):
        shown = query_choice(
            request,
            "status",
            ["all", *RegistrationConflict.Status.values],
            label="处理状态",
            default=RegistrationConflict.Status.OPEN,
        )
        conflicts = selectors.registration_conflicts(request.user)
        if shown != "all":
            conflicts = conflicts.filter(status=shown)
        return render(
            request,
            "residents/conflict_list.html",
            {
                **paginate(request, conflicts, self.paginate_by),
                "shown": shown,
                "statuses": RegistrationConflict.Status.choices,
                "failed": failed,
                "failed_form": form,
            },
            status=status,
        )


class ConflictResolveView(PermissionRequiredMixin, View):
    required_permission = "residents.conflicts"

    def post(self, request, pk):
        conflict = scoping.get_in_scope_or_404(
            selectors.registration_conflicts(request.user), request.user, pk=pk
        )
        return form_submit(
            request,
            ConflictResolveForm(request.POST),
            lambda data: services.registration_conflict_resolve(
                actor=request.user, conflict=conflict, resolution=data["resolution"]
            ),
            invalid=lambda form: ConflictListView().render(request, failed=conflict.pk, form=form),
            success_url=reverse("residents:conflict-list"),
            success_message="已处理。",
        )
