from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.community_services import balance as balance_rules
from community_admin.community_services import selectors, services
from community_admin.community_services.balance import Period
from community_admin.community_services.forms import (
    ActivityForm,
    AttachmentForm,
    BalanceForm,
    FollowUpCloseForm,
    HoursForm,
    HouseholdSearchForm,
    MemberForm,
    OrganisationForm,
    PersonByIdForm,
    SupportForm,
    VisitForm,
    VolunteerForm,
)
from community_admin.core import idnumbers, workload
from community_admin.core.files import private_file_response
from community_admin.residents import selectors as residents_selectors
from community_admin.residents.models import Household, Person

ERR_PERSON_NOT_FOUND = "居民公民身份号码：本社区在册人员中没有这个号码。"
SEARCH_LIMIT = 20


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _household(request, pk) -> Household:
    return scoping.get_in_scope_or_404(residents_selectors.household_list(request.user), request.user, pk=pk)


def _person_by_id(request, committee_id: int, raw: str) -> Person:
    person = (
        residents_selectors.person_list(request.user)
        .filter(
            committee_id=committee_id, id_number=idnumbers.normalise(raw), status__in=Person.ACTIVE_STATUSES
        )
        .first()
    )
    if person is None:
        raise ValidationError({"id_number": ERR_PERSON_NOT_FOUND})
    return person


def _page(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# Home visits ----------------------------------------------------------------------------------------------


class VisitListView(PermissionRequiredMixin, View):
    """Visits in scope; a committee worker sees their own first ("我的走访")."""

    required_permission = "services.view"

    def get(self, request):
        visits = selectors.visit_list(request.user)
        mine = request.GET.get("mine") == "1"
        if mine:
            visits = visits.filter(visitor=request.user)
        return render(
            request,
            "services/visit_list.html",
            {
                "page": _page(request, visits),
                "mine": mine,
                "can_record": has_permission(request.user, "services.record"),
                "open_count": selectors.open_follow_ups(request.user).filter(visitor=request.user).count(),
            },
        )


class VisitCreateView(PermissionRequiredMixin, View):
    """Quick entry on a phone: find the household (or come from its page), then one short form."""

    required_permission = "services.record"

    def get(self, request):
        household_pk = request.GET.get("household")
        if household_pk and household_pk.isdigit():
            return self._form(request, _household(request, int(household_pk)), VisitForm())
        search = HouseholdSearchForm(request.GET or None)
        found = []
        if search.is_valid() and search.cleaned_data["q"].strip():
            q = search.cleaned_data["q"].strip()
            found = residents_selectors.household_list(request.user).filter(
                Q(number__icontains=q) | Q(building__icontains=q) | Q(room=q)
            )[:SEARCH_LIMIT]
        return render(request, "services/visit_find.html", {"search": search, "found": found})

    def post(self, request):
        household_pk = request.POST.get("household", "")
        if not household_pk.isdigit():
            raise Http404
        household = _household(request, int(household_pk))
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                services.visit_record(actor=request.user, household=household, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已记录走访：{household.number} {household.address}")
                return redirect("services:household-visits", pk=household.pk)
        return self._form(request, household, form, status=400)

    def _form(self, request, household, form, status=200):
        return render(
            request, "services/visit_form.html", {"form": form, "household": household}, status=status
        )


class HouseholdVisitsView(PermissionRequiredMixin, View):
    """A household's visit history (linked from the household's page as “走访记录”)."""

    required_permission = "services.view"

    def get(self, request, pk):
        household = _household(request, pk)
        return render(
            request,
            "services/household_visits.html",
            {
                "household": household,
                "visits": selectors.household_visits(request.user, household),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


def _visit(request, pk):
    return scoping.get_in_scope_or_404(selectors.visit_list(request.user), request.user, pk=pk)


class VisitDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _visit(request, pk))

    def render(self, request, visit, *, form=None, status=200):
        return render(
            request,
            "services/visit_detail.html",
            {
                "visit": visit,
                "close_form": form or FollowUpCloseForm(initial={"done_on": timezone.localdate()}),
                "can_close": visit.follow_up_open and has_permission(request.user, "services.record"),
            },
            status=status,
        )


class VisitCloseView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        visit = _visit(request, pk)
        form = FollowUpCloseForm(request.POST)
        if form.is_valid():
            try:
                services.visit_follow_up_close(actor=request.user, visit=visit, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "待办事项已办结。")
                return redirect("services:visit-detail", pk=visit.pk)
        return VisitDetailView().render(request, visit, form=form, status=400)


class FollowUpListView(PermissionRequiredMixin, View):
    """Open follow-ups per worker and committee, overdue ones counted."""

    required_permission = "services.view"

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "services/follow_ups.html",
            {
                "summary": selectors.follow_up_summary(request.user, today=today),
                "page": _page(request, selectors.open_follow_ups(request.user)),
                "today": today,
            },
        )


# Activities -----------------------------------------------------------------------------------------------


def _activity(request, pk):
    return scoping.get_in_scope_or_404(selectors.activity_list(request.user), request.user, pk=pk)


class ActivityListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/activity_list.html",
            {
                "page": _page(request, selectors.activity_list(request.user)),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class ActivityCreateView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def _organisations(self, request):
        return selectors.organisation_list(request.user)

    def get(self, request):
        form = ActivityForm(
            organisations=self._organisations(request), initial={"held_on": timezone.localdate()}
        )
        return render(request, "services/activity_form.html", {"form": form})

    def post(self, request):
        form = ActivityForm(request.POST, organisations=self._organisations(request))
        if form.is_valid():
            try:
                activity = services.activity_create(
                    actor=request.user, committee=request.user.committee, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已登记活动：{activity.title}")
                return redirect("services:activity-detail", pk=activity.pk)
        return render(request, "services/activity_form.html", {"form": form}, status=400)


class ActivityDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _activity(request, pk))

    def render(self, request, activity, *, status=200, **forms):
        volunteers = selectors.volunteer_list(request.user).filter(committee_id=activity.committee_id)
        return render(
            request,
            "services/activity_detail.html",
            {
                "activity": activity,
                "attachments": activity.attachments.all(),
                "participants": activity.participations.select_related("person"),
                "hours": activity.volunteer_hours.select_related("volunteer__person"),
                "can_record": has_permission(request.user, "services.record"),
                "attachment_form": forms.get("attachment") or AttachmentForm(),
                "hours_form": forms.get("hours") or HoursForm(volunteers=volunteers),
                "participant_form": forms.get("participant") or PersonByIdForm(),
            },
            status=status,
        )


class AttachmentUploadView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.activity_attachment_add(
                    actor=request.user, activity=activity, upload=upload, file_name=upload.name
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "附件已上传。")
                return redirect("services:activity-detail", pk=activity.pk)
        return ActivityDetailView().render(request, activity, attachment=form, status=400)


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """Sent only as an attachment of its sniffed type, never rendered by the browser."""

    required_permission = "services.view"

    def get(self, request, pk):
        item = scoping.get_in_scope_or_404(selectors.attachment_list(request.user), request.user, pk=pk)
        extension = item.file.name[item.file.name.rfind(".") :]
        return private_file_response(
            request,
            obj=item,
            open=lambda: services.activity_attachment_open(attachment=item),
            filename=f"活动{item.activity_id}-附件{item.pk}{extension}",
            content_type=item.content_type,
            action="activity.attachment_download",
            details={"activity": item.activity_id},
        )


class HoursLogView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)
        volunteers = selectors.volunteer_list(request.user).filter(committee_id=activity.committee_id)
        form = HoursForm(request.POST, volunteers=volunteers)
        if form.is_valid():
            try:
                services.volunteer_hours_log(actor=request.user, activity=activity, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "服务时长已登记。")
                return redirect("services:activity-detail", pk=activity.pk)
        return ActivityDetailView().render(request, activity, hours=form, status=400)


class ParticipantAddView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)
        form = PersonByIdForm(request.POST)
        if form.is_valid():
            try:
                person = _person_by_id(request, activity.committee_id, form.cleaned_data["id_number"])
                services.activity_participant_add(actor=request.user, activity=activity, person=person)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已登记参加居民：{person.name}")
                return redirect("services:activity-detail", pk=activity.pk)
        return ActivityDetailView().render(request, activity, participant=form, status=400)


# Volunteers -----------------------------------------------------------------------------------------------


class VolunteerListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/volunteer_list.html",
            {
                "page": _page(request, selectors.volunteer_list(request.user)),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class VolunteerRegisterView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def get(self, request):
        form = VolunteerForm(initial={"registered_on": timezone.localdate()})
        return render(request, "services/simple_form.html", {"form": form, "title": "注册志愿者"})

    def post(self, request):
        form = VolunteerForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                person = _person_by_id(request, request.user.committee_id, data.pop("id_number"))
                services.volunteer_register(actor=request.user, person=person, **data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已注册志愿者：{person.name}")
                return redirect("services:volunteer-list")
        return render(request, "services/simple_form.html", {"form": form, "title": "注册志愿者"}, status=400)


# Community organisations ----------------------------------------------------------------------------------


def _organisation(request, pk):
    return scoping.get_in_scope_or_404(selectors.organisation_list(request.user), request.user, pk=pk)


class OrganisationListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/organisation_list.html",
            {
                "page": _page(request, selectors.organisation_list(request.user)),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class OrganisationCreateView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def get(self, request):
        return render(
            request, "services/simple_form.html", {"form": OrganisationForm(), "title": "登记社会组织"}
        )

    def post(self, request):
        form = OrganisationForm(request.POST)
        if form.is_valid():
            try:
                organisation = services.organisation_create(
                    actor=request.user, committee=request.user.committee, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已登记：{organisation.name}")
                return redirect("services:organisation-detail", pk=organisation.pk)
        return render(
            request, "services/simple_form.html", {"form": form, "title": "登记社会组织"}, status=400
        )


class OrganisationDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _organisation(request, pk))

    def render(self, request, organisation, *, status=200, **forms):
        return render(
            request,
            "services/organisation_detail.html",
            {
                "organisation": organisation,
                "members": organisation.memberships.select_related("person"),
                "supports": organisation.supports.select_related("recorded_by"),
                "can_record": has_permission(request.user, "services.record"),
                "member_form": forms.get("member") or MemberForm(initial={"joined_on": timezone.localdate()}),
                "support_form": forms.get("support")
                or SupportForm(initial={"given_on": timezone.localdate()}),
            },
            status=status,
        )


class MemberAddView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        organisation = _organisation(request, pk)
        form = MemberForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                person = _person_by_id(request, organisation.committee_id, data.pop("id_number"))
                services.organisation_member_add(
                    actor=request.user, organisation=organisation, person=person, **data
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, f"已加入成员：{person.name}")
                return redirect("services:organisation-detail", pk=organisation.pk)
        return OrganisationDetailView().render(request, organisation, member=form, status=400)


class SupportRecordView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        organisation = _organisation(request, pk)
        form = SupportForm(request.POST)
        if form.is_valid():
            try:
                services.organisation_support_record(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, "扶持记录已保存。")
                return redirect("services:organisation-detail", pk=organisation.pk)
        return OrganisationDetailView().render(request, organisation, support=form, status=400)


# The balance ----------------------------------------------------------------------------------------------

SORT_KEYS = {
    "index": lambda row: (row[1].service_index, row[0].code),
    "share": lambda row: (
        row[1].service_share if row[1].service_share is not None else Decimal(2),
        row[0].code,
    ),
    "visits": lambda row: (row[1].visits_per_100_households, row[0].code),
    "code": lambda row: (row[0].code,),
}


class BalanceView(PermissionRequiredMixin, View):
    """How each committee's time divides between residents and administration, ranked; month by month."""

    required_permission = "services.view"

    def get(self, request):
        today = timezone.localdate()
        form = BalanceForm(request.GET or None, initial={"year": today.year, "order": "index"})
        data = form.cleaned_data if form.is_bound and form.is_valid() else {"year": today.year}
        year, month = data["year"], data.get("month")
        period = Period.month(year, month) if month else Period.year(year)
        committees = scoping.visible_committees(request.user).select_related("street").order_by("code")
        if data.get("street"):
            committees = committees.filter(street__code=data["street"])
        rows = selectors.committee_balances(committees, period)
        rows.sort(key=SORT_KEYS[data.get("order") or "index"])
        trend_committees = committees
        trend_of = None
        if data.get("committee"):
            trend_committees = committees.filter(code=data["committee"])
            trend_of = trend_committees.first()
        trend = selectors.monthly_balances(trend_committees, Period.year(year)) if trend_committees else []
        return render(
            request,
            "services/balance.html",
            {
                "form": form,
                "period": period,
                "rows": [(rank, c, b) for rank, (c, b) in enumerate(rows, start=1)],
                "streets": selectors.street_balances(sorted(rows, key=lambda r: r[0].code), period),
                "district": selectors.total([b for _, b in rows], period),
                "trend": trend,
                "trend_of": trend_of,
                "components": balance_rules.COMPONENTS,
                "rules": balance_rules,
                "counters": workload.all_counters(),
            },
            status=200 if not form.is_bound or form.is_valid() else 400,
        )
