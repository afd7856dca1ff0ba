"""Reads of the services side, always scoped to who asks (accounts.scoping), and the balance figures for the
dashboards: per committee, street and district for a period, in a fixed number of queries whatever the number
of committees (one per source, plus the registry's counts)."""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.community_services.balance import Balance, Period, ServiceCounts
from community_admin.community_services.models import (
    Activity,
    ActivityAttachment,
    CommunityOrganisation,
    OrganisationSupport,
    Visit,
    Volunteer,
    VolunteerHours,
)
from community_admin.core import workload
from community_admin.org import selectors as org_selectors
from community_admin.org.models import Committee, Street
from community_admin.org.selectors import CommitteeFigures
from community_admin.residents.models import Household

# Visits hold households' needs: departments, which the permissions already keep out, see none here either.
SERVICE_ROLES = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})


def _scoped(queryset: QuerySet, user, *, field: str = "committee") -> QuerySet:
    if getattr(user, "role", None) not in SERVICE_ROLES:
        return queryset.none()
    return scoping.scope_by_committee(queryset, user, field=field)


# Lists ----------------------------------------------------------------------------------------------------


def visit_list(user) -> QuerySet[Visit]:
    return _scoped(Visit.objects.select_related("household", "visitor", "committee"), user).order_by(
        "-visited_on", "-id"
    )


def household_visits(user, household: Household) -> QuerySet[Visit]:
    return visit_list(user).filter(household=household)


def open_follow_ups(user) -> QuerySet[Visit]:
    return (
        visit_list(user)
        .filter(follow_up_done_on__isnull=True)
        .exclude(follow_up="")
        .order_by("follow_up_due", "id")
    )


def follow_up_summary(user, *, today: date) -> list[dict]:
    """Open follow-ups per committee and worker, with how many are overdue: one query."""
    rows = (
        open_follow_ups(user)
        .order_by()
        .values(
            "committee__code", "committee__name", "visitor_id", "visitor__username", "visitor__first_name"
        )
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(follow_up_due__lt=today)))
        .order_by("committee__code", "visitor__username")
    )
    return list(rows)


def activity_list(user) -> QuerySet[Activity]:
    return _scoped(Activity.objects.select_related("committee", "organisation"), user).order_by(
        "-held_on", "-id"
    )


def attachment_list(user) -> QuerySet[ActivityAttachment]:
    return _scoped(ActivityAttachment.objects.select_related("activity"), user, field="activity__committee")


def volunteer_list(user) -> QuerySet[Volunteer]:
    return _scoped(
        Volunteer.objects.select_related("person", "committee").annotate(
            total_hours=Coalesce(Sum("hours__hours"), Decimal("0"), output_field=DecimalField())
        ),
        user,
    ).order_by("committee_id", "id")


def volunteer_hours_list(user) -> QuerySet[VolunteerHours]:
    return _scoped(VolunteerHours.objects.select_related("volunteer__person", "activity"), user)


def organisation_list(user) -> QuerySet[CommunityOrganisation]:
    return _scoped(
        CommunityOrganisation.objects.select_related("committee").annotate(
            member_count=Count("memberships", distinct=True)
        ),
        user,
    ).order_by("committee_id", "name")


def support_list(user) -> QuerySet[OrganisationSupport]:
    return _scoped(OrganisationSupport.objects.select_related("organisation", "recorded_by"), user).order_by(
        "-given_on", "-id"
    )


# The balance ----------------------------------------------------------------------------------------------


def _bucket(row: dict, group: str):
    return row["committee_id"] if group == "committee" else row["month"]


def service_counts(
    committee_ids: list[int], period: Period, *, group: str = "committee"
) -> dict[object, ServiceCounts]:
    """The residents' side per committee (group="committee") or per month over all the given committees
    (group="month", keys are the months' first days): four queries."""
    out: dict[object, ServiceCounts] = {}

    def grouped(qs, date_field: str, **aggregates):
        qs = qs.filter(committee_id__in=committee_ids, **{f"{date_field}__range": (period.start, period.end)})
        if group == "committee":
            qs = qs.values("committee_id")
        else:
            qs = qs.annotate(month=TruncMonth(date_field)).values("month")
        return qs.annotate(**aggregates).order_by()

    def at(row) -> ServiceCounts:
        key = _bucket(row, group)
        if isinstance(key, datetime):
            key = key.date()
        return out.setdefault(key, ServiceCounts())

    for row in grouped(
        Visit.objects, "visited_on", n=Count("id"), reached=Count("household_id", distinct=True)
    ):
        counts = at(row)
        counts.visits, counts.households_reached = row["n"], row["reached"]
    for row in grouped(Activity.objects, "held_on", n=Count("id"), people=Sum("participant_count")):
        counts = at(row)
        counts.activities, counts.participants = row["n"], row["people"] or 0
    for row in grouped(VolunteerHours.objects, "served_on", h=Sum("hours")):
        at(row).volunteer_hours = row["h"] or Decimal("0")
    for row in grouped(
        OrganisationSupport.objects, "given_on", n=Count("id"), orgs=Count("organisation_id", distinct=True)
    ):
        counts = at(row)
        counts.supports, counts.organisations_supported = row["n"], row["orgs"]
    return out


def _admin_hours_each() -> dict[str, Decimal]:
    return {c.name: c.hours_each for c in workload.all_counters()}


def committee_balances(
    committees: QuerySet[Committee],
    period: Period,
    *,
    counts: dict | None = None,
    figures: list[tuple[Committee, CommitteeFigures]] | None = None,
) -> list[tuple[Committee, Balance]]:
    """Each committee's balance: the registry's counts (3 queries, or none given `counts` from
    org_selectors.registry_counts, or `figures` from org_selectors.committees_with_figures for the same
    committees), the services' (4), one per load counter."""
    rows = (
        figures if figures is not None else org_selectors.committees_with_figures(committees, counts=counts)
    )
    ids = [c.pk for c, _ in rows]
    service = service_counts(ids, period)
    admin = workload.counts(ids, period.start, period.end)
    hours_each = _admin_hours_each()
    return [
        (
            committee,
            Balance(
                period=period,
                households=figures.households,
                residents=figures.population + figures.floating,
                service=service.get(committee.pk, ServiceCounts()),
                admin={name: per.get(committee.pk, 0) for name, per in admin.items()},
                admin_hours_each=dict(hours_each),
            ),
        )
        for committee, figures in rows
    ]


def total(balances, period: Period) -> Balance:
    out = Balance(period=period, households=0, residents=0, committees=0)
    for balance in balances:
        out.add(balance)
    return out


def street_balances(rows: list[tuple[Committee, Balance]], period: Period) -> list[tuple[Street, Balance]]:
    """Sum `committee_balances` rows per street (committees must come with their street, as they do there)."""
    streets: dict[int, Street] = {}
    by_street: dict[int, list[Balance]] = {}
    for committee, balance in rows:
        streets[committee.street_id] = committee.street
        by_street.setdefault(committee.street_id, []).append(balance)
    return [
        (streets[pk], total(by_street[pk], period)) for pk in sorted(streets, key=lambda pk: streets[pk].code)
    ]


def monthly_balances(committees: QuerySet[Committee], period: Period) -> list[Balance]:
    """The committees together, month by month over `period`: the same figures, followable over time. The
    registry's counts are today's (the registry keeps no monthly history of households)."""
    rows = org_selectors.committees_with_figures(committees)
    ids = [c.pk for c, _ in rows]
    households = sum(f.households for _, f in rows)
    residents = sum(f.population + f.floating for _, f in rows)
    service = service_counts(ids, period, group="month")
    hours_each = _admin_hours_each()
    out = []
    for month in period.months():
        admin = workload.counts(ids, month.start, month.end)
        out.append(
            Balance(
                period=month,
                households=households,
                residents=residents,
                committees=len(ids),
                service=service.get(month.start, ServiceCounts()),
                admin={name: sum(per.values()) for name, per in admin.items()},
                admin_hours_each=dict(hours_each),
            )
        )
    return out
