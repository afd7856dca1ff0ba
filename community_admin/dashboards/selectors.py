"""The figures of DESIGN.md section 3, computed from the data for a set of committees (the district, or one
street). Each capability contributes its section; the query count does not grow with the committees."""

import hashlib
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from certificates import selectors as certificate_selectors
from community_admin.org import selectors as org_selectors
from community_admin.org.models import Committee, ServiceCentre, Street
from community_admin.tasks import selectors as task_selectors
from funding import selectors as funding_selectors
from ledgers.models import LedgerBook, LedgerCategory
from staff import selectors as staff_selectors
from staff.models import Departure, Secondment, Worker


def dashboard_figures(committees: QuerySet[Committee], streets: QuerySet[Street]) -> dict:
    """`district_figures`, kept in the cache for DASHBOARD_CACHE_SECONDS (0: computed on every request). The
    district's figures read every active person of the registry (about 1.5 s at full scale), and a dashboard
    a minute old serves as well as a fresh one; the key is the exact set of committees and streets (and the
    day, for the figures of the year), so a street's figures are never another scope's."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return district_figures(committees, streets)
    committee_ids = list(committees.order_by("pk").values_list("pk", flat=True))
    street_ids = list(streets.order_by("pk").values_list("pk", flat=True))
    scope = f"{committee_ids}|{street_ids}|{timezone.localdate()}"
    key = "dashboards:figures:" + hashlib.sha256(scope.encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = district_figures(committees, streets)
        cache.set(key, figures, seconds)
    return figures


def district_figures(committees: QuerySet[Committee], streets: QuerySet[Street]) -> dict:
    """The dashboard's figures for these committees (all of them, or one street's), with a per-street breakdown."""
    committees = committees.order_by("street__code", "code")
    counts = org_selectors.registry_counts(list(committees.values_list("pk", flat=True)))
    rows = org_selectors.committees_with_figures(committees, counts=counts)
    streets = list(streets.order_by("code"))
    street_ids = [s.pk for s in streets]
    kinds = Counter(c.kind for c, _ in rows)
    figures = {
        "streets": len(street_ids),
        "committees": len(rows),
        "committees_by_kind": {k: kinds.get(k, 0) for k in Committee.Kind.values},
        "village_converted": sum(1 for c, _ in rows if c.village_converted),
        "households": sum(f.households for _, f in rows),
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
        "by_street": _street_breakdown(rows, streets),
        **_staff_section(committees, counts),
        **_tasks_section(committees),
        **_funding_section(committees),
        # The district's catalogues (the same for every street).
        "certificate_types": certificate_selectors.tier_counts(),
        "ledger": {"categories": LedgerCategory.objects.count(), "books": LedgerBook.objects.count()},
    }
    return figures


def _funding_section(committees: QuerySet[Committee]) -> dict:
    year = timezone.localdate().year
    figures = funding_selectors.funding_figures(year, committees)
    return {
        "funding": {
            "year": year,
            "total": str(figures["total"]),
            "per_household": str(figures["per_household"]),
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
