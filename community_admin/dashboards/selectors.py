"""The figures of DESIGN.md section 3, computed from the data for a set of committees (the district, or one
street). Each capability contributes its section; the query count does not grow with the committees."""

import hashlib
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from community_admin.admission import selectors as task_selectors
from community_admin.certificates import selectors as certificate_selectors
from community_admin.certificates.models import Certificate, Refusal
from community_admin.community_services import selectors as service_selectors
from community_admin.community_services.balance import Period
from community_admin.core import workload
from community_admin.funding import selectors as funding_selectors
from community_admin.ledgers.models import LedgerBook, LedgerCategory, LedgerEntry
from community_admin.org import selectors as org_selectors
from community_admin.org.models import Committee, ServiceCentre, Street
from community_admin.staff import selectors as staff_selectors
from community_admin.staff.models import (
    AccountabilityRecord,
    Departure,
    EvaluationRound,
    EvaluationScore,
    Secondment,
    Worker,
)
from community_admin.staff.services import score_expression

RECOMPUTE_LOCK_SECONDS = 60  # a recomputation that died frees the lock after this long
STALE_FOR_PERIODS = 10  # a stale copy is served (while one request recomputes) for at most 10 periods


def dashboard_figures(committees: QuerySet[Committee], streets: QuerySet[Street]) -> dict:
    """`district_figures`, kept in the cache for DASHBOARD_CACHE_SECONDS (0: computed on every request). The
    district's figures read every active person of the registry (about 1 s at full scale), and a dashboard
    a minute old serves as well as a fresh one (it shows when it was computed); the key is the exact set of
    committees and streets (and the day, for the figures of the year), so a street's figures are never another
    scope's. When the copy is stale, one request recomputes it (a lock in the cache) while the others are
    answered with the stale copy: no stampede of identical computations when it expires under load."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return district_figures(committees, streets)
    key = cache_key(committees, streets)
    entry = cache.get(key)  # (figures, fresh until)
    now = time.time()
    if entry is not None:
        figures, fresh_until = entry
        if now < fresh_until or not cache.add(f"{key}:refreshing", True, RECOMPUTE_LOCK_SECONDS):
            return figures
    try:
        figures = district_figures(committees, streets)
        cache.set(key, (figures, time.time() + seconds), seconds * STALE_FOR_PERIODS)
    finally:
        if entry is not None:
            cache.delete(f"{key}:refreshing")
    return figures


def refresh_cached_figures() -> int:
    """Recompute every dashboard's cached figures (the district's and each street's) before they go stale, so that
    no request waits for a recomputation: the beat scheduler runs this every DASHBOARD_REFRESH_SECONDS (settings).
    Without the scheduler the dashboards still work: a stale copy is recomputed by one request as above. The
    registry is counted once for all the scopes. Returns the number of scopes refreshed."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return 0
    street_of = dict(Committee.objects.values_list("pk", "street_id"))
    counts = org_selectors.registry_counts(list(street_of))
    scopes = [(Committee.objects.all(), Street.objects.all(), counts)] + [
        (
            Committee.objects.filter(street=street),
            Street.objects.filter(pk=street.pk),
            {pk: c for pk, c in counts.items() if street_of[pk] == street.pk},
        )
        for street in Street.objects.order_by("code")
    ]
    for committees, streets, scope_counts in scopes:
        figures = district_figures(committees, streets, counts=scope_counts)
        cache.set(
            cache_key(committees, streets), (figures, time.time() + seconds), seconds * STALE_FOR_PERIODS
        )
    return len(scopes)


def cache_key(committees: QuerySet[Committee], streets: QuerySet[Street]) -> str:
    committee_ids = list(committees.order_by("pk").values_list("pk", flat=True))
    street_ids = list(streets.order_by("pk").values_list("pk", flat=True))
    scope = f"{committee_ids}|{street_ids}|{timezone.localdate()}"
    return "dashboards:figures:" + hashlib.sha256(scope.encode()).hexdigest()


def district_figures(
    committees: QuerySet[Committee], streets: QuerySet[Street], *, counts: dict | None = None
) -> dict:
    """The dashboard's figures for these committees (all of them, or one street's), with a per-street breakdown.
    `counts`: the registry's counts for these committees when the caller has read them already."""
    committees = committees.order_by("street__code", "code")
    if counts is None:
        counts = org_selectors.registry_counts(list(committees.values_list("pk", flat=True)))
    rows = org_selectors.committees_with_figures(committees, counts=counts)
    streets = list(streets.order_by("code"))
    street_ids = [s.pk for s in streets]
    kinds = Counter(c.kind for c, _ in rows)
    period = last_twelve_months()
    by_street = _street_breakdown(rows, streets)
    figures = {
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),  # a cached copy says how old it is
        "streets": len(street_ids),
        "committees": len(rows),
        "committees_by_kind": {k: kinds.get(k, 0) for k in Committee.Kind.values},
        "village_converted": sum(1 for c, _ in rows if c.village_converted),
        "households": sum(f.households for _, f in rows),
        # how many committees' figures came from the registry (marked complete) and from the recorded figures
        "household_sources": org_selectors.source_counts(f.source for _, f in rows),
        "resident_population": sum(f.population for _, f in rows),
        "floating_population": sum(f.floating for _, f in rows),
        "service_centres": service_centre_figures(street_ids, [c.pk for c, _ in rows]),
        "office_space": {
            "compliant": sum(1 for _, f in rows if f.office and f.office.compliant),
            "short": sum(1 for _, f in rows if f.office and not f.office.compliant),
            "norm": rows[0][1].office.norm_name if rows and rows[0][1].office else None,
        },
        "staffing_norms": {
            "members_required": sum(f.members_required for _, f in rows),
            "social_workers_required": sum(f.social_workers_required for _, f in rows),
        },
        "by_street": by_street,
        **_staff_section(committees, counts),
        "evaluations": _evaluation_section(committees),
        **_tasks_section(committees),
        **_funding_section(committees),
        # The district's catalogue (the same for every street) and the work done in the last twelve months.
        "certificate_types": certificate_selectors.tier_counts(),
        "certificates": _certificate_section(committees, period, by_street),
        "ledger": _ledger_section(committees, period),
        "services": _services_section(committees, rows, period, by_street),
    }
    return figures


def last_twelve_months() -> Period:
    """The window of the dashboards' activity figures (certificates, ledger entries, the services' balance),
    like resignations: a rolling year, so a figure never drops to nothing on 1 January."""
    today = timezone.localdate()
    return Period(today - timedelta(days=364), today)


def _period(period: Period) -> dict:
    return {"since": period.start.isoformat(), "until": period.end.isoformat()}


def _certificate_section(committees: QuerySet[Committee], period: Period, by_street: list[dict]) -> dict:
    """Certificates issued (voided ones apart) and requests refused, by tier and by street: two queries."""
    tiers = {"A": 0, "B": 0, "C": 0}
    issued, refused, voided = dict(tiers), dict(tiers), 0
    streets = {s["id"]: s for s in by_street}
    for s in by_street:
        s["certificates_issued"] = s["certificates_refused"] = 0
    certificates = (
        Certificate.objects.filter(committee__in=committees, issued_on__range=(period.start, period.end))
        .values_list("committee__street_id", "tier", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for street_id, tier, status, n in certificates:
        if status == Certificate.Status.VOIDED:
            voided += n
            continue
        issued[tier] = issued.get(tier, 0) + n
        if street_id in streets:
            streets[street_id]["certificates_issued"] += n
    refusals = (
        Refusal.objects.filter(committee__in=committees, refused_on__range=(period.start, period.end))
        .values_list("committee__street_id", "certificate_type__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    for street_id, tier, n in refusals:
        refused[tier] = refused.get(tier, 0) + n
        if street_id in streets:
            streets[street_id]["certificates_refused"] += n
    return {**_period(period), "issued": issued, "refused": refused, "voided": voided}


def _ledger_section(committees: QuerySet[Committee], period: Period) -> dict:
    """The catalogue (15 categories, 40+ books; derived books are views of the registry) and the entries the
    committees typed into the manual books in the period: three queries."""
    books = dict(
        LedgerBook.objects.filter(active=True)
        .order_by()
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    since, until = workload.moments(period.start, period.end)
    entries = LedgerEntry.objects.filter(
        removed=False, period__committee__in=committees, created_at__gte=since, created_at__lt=until
    ).aggregate(n=Count("id"), books=Count("period__book", distinct=True))
    return {
        "categories": LedgerCategory.objects.count(),
        "books": sum(books.values()),
        "manual_books": books.get(LedgerBook.Source.MANUAL, 0),
        "derived_books": books.get(LedgerBook.Source.DERIVED, 0),
        **_period(period),
        "entries": entries["n"],
        "manual_books_in_use": entries["books"],
    }


def _evaluation_section(committees: QuerySet[Committee]) -> dict:
    """The latest 德能勤绩廉 round: social workers evaluated, how many fell below its threshold, and the
    accountability records still open: three queries."""
    latest = EvaluationRound.objects.order_by("-year").first()
    if latest is None:
        return {"year": None, "evaluated": 0, "below_threshold": 0, "accountability_open": 0}
    per_worker = (
        EvaluationScore.objects.filter(round=latest, worker__committee__in=committees)
        .values("worker")
        .annotate(average=Avg(score_expression()))
        .order_by()
    )
    averages = [row["average"] for row in per_worker]
    return {
        "year": latest.year,
        "threshold": str(latest.threshold),
        "evaluated": len(averages),
        "below_threshold": sum(1 for a in averages if Decimal(str(a)) < latest.threshold),
        "accountability_open": AccountabilityRecord.objects.filter(
            round=latest, worker__committee__in=committees, status=AccountabilityRecord.Status.OPEN
        ).count(),
    }


def _services_section(
    committees: QuerySet[Committee], figures: list, period: Period, by_street: list[dict]
) -> dict:
    """The residents' side beside the administrative load ("一多三少", services/balance.py), for the period.
    `figures`: the committees' figures the dashboard has computed already."""
    rows = service_selectors.committee_balances(committees, period, figures=figures)
    total = service_selectors.total([b for _, b in rows], period)
    streets = {s["id"]: s for s in by_street}
    for street, balance in service_selectors.street_balances(rows, period):
        if street.pk in streets:
            streets[street.pk]["service_index"] = str(balance.service_index)
            streets[street.pk]["service_share"] = _str(balance.service_share)
    s = total.service
    return {
        **_period(period),
        "visits": s.visits,
        "households_reached": s.households_reached,
        "reach_share": str(total.reach_share),
        "activities": s.activities,
        "participants": s.participants,
        "volunteer_hours": str(s.volunteer_hours),
        "organisations_supported": s.organisations_supported,
        "service_index": str(total.service_index),
        "service_hours": str(total.service_hours),
        "admin_hours": str(total.admin_hours),
        "service_share": _str(total.service_share),
        "admin": dict(total.admin),
        "committees_flagged": sum(1 for _, b in rows if b.flagged),
    }


def _str(value) -> str | None:
    return None if value is None else str(value)


def _funding_section(committees: QuerySet[Committee]) -> dict:
    year = timezone.localdate().year
    figures = funding_selectors.funding_figures(year, committees)
    return {
        "funding": {
            "year": year,
            "total": str(figures["total"]),
            "per_household": str(figures["per_household"]),
            "household_sources": figures["sources"],
            "flags": funding_selectors.flag_counts(year, committees),
        }
    }


def _staff_section(committees: QuerySet[Committee], counts: dict) -> dict:
    workers = staff_selectors.staff_figures(Worker.objects.filter(committee__in=committees))
    gaps = staff_selectors.staffing_totals(staff_selectors.staffing_gaps(committees, counts=counts))
    year_ago = timezone.localdate() - timedelta(days=365)
    secondments = Secondment.objects.filter(worker__committee__in=committees)
    return {
        "workers": {
            "total": workers.workers,
            "members": workers.members,
            "social_workers": workers.social_workers,
            "both": workers.both,
            "college_or_above": workers.college_or_above,
            "seconded": workers.seconded,
        },
        "staffing": {
            "members_required": gaps.members_required,
            "members_present": gaps.members_present,
            "members_gap": gaps.members_gap,
            "social_workers_required": gaps.social_workers_required,
            "social_workers_present": gaps.social_workers_present,
            "social_workers_gap": gaps.social_workers_gap,
            "committees_short": gaps.committees_short,
        },
        "secondments": dict(
            secondments.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
        ),
        "resignations_last_year": Departure.objects.filter(
            committee__in=committees, kind=Departure.Kind.RESIGNED, left_on__gte=year_ago
        ).count(),
    }


def _tasks_section(committees: QuerySet[Committee]) -> dict:
    year = timezone.localdate().year
    total = task_selectors.workload_total(task_selectors.workload_by_committee(committees, year=year))
    return {
        "service_items": task_selectors.service_item_summary(),
        "tasks": {
            "year": year,
            "received": total.received,
            "admitted": total.admitted,
            "refused": total.refused,
            "overdue": total.overdue,
            "affairs": task_selectors.district_affairs(committees, year=year),
            "funding": str(total.funding),
        },
    }


def service_centre_figures(street_ids: list[int], committee_ids: list[int]) -> dict:
    centres = ServiceCentre.objects.filter(
        Q(level=ServiceCentre.Level.STREET, street_id__in=street_ids)
        | Q(level=ServiceCentre.Level.COMMITTEE, committee_id__in=committee_ids)
    )
    return centres.aggregate(
        street=Count("id", filter=Q(level=ServiceCentre.Level.STREET)),
        committee=Count("id", filter=Q(level=ServiceCentre.Level.COMMITTEE)),
        over_1000m2=Count("id", filter=Q(area_m2__gte=1000)),
        over_500m2=Count("id", filter=Q(area_m2__gte=500)),
        boutique=Count("id", filter=Q(boutique=True)),
        demonstration=Count("id", filter=Q(demonstration_passed=True)),
    )


def _street_breakdown(rows, streets: list[Street]) -> list[dict]:
    """Per street, for the charts: committees by kind, households, population, floating, office shortfalls."""
    by_street: dict[int, dict] = {
        s.pk: {
            "id": s.pk,
            "code": s.code,
            "name": s.name,
            "residential": 0,
            "unit": 0,
            "mixed": 0,
            "households": 0,
            "population": 0,
            "floating": 0,
            "office_short": 0,
        }
        for s in streets
    }
    for committee, figures in rows:
        entry = by_street.get(committee.street_id)
        if entry is None:
            continue
        entry[committee.kind] += 1
        entry["households"] += figures.households
        entry["population"] += figures.population
        entry["floating"] += figures.floating
        entry["office_short"] += int(bool(figures.office and not figures.office.compliant))
    return list(by_street.values())
