"""The survey report's figures for one year, computed live: the district figures of the dashboard (section 一,
"now") and the year's problem indicators (section 二) from each capability's selectors. A fixed number of
queries, whatever the number of committees."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.admission import selectors as task_selectors
from community_admin.admission.models import Task
from community_admin.certificates import selectors as certificate_selectors
from community_admin.certificates.models import CertificateType
from community_admin.community_services import selectors as service_selectors
from community_admin.community_services.balance import Period
from community_admin.dashboards import selectors as dashboard_selectors
from community_admin.funding import selectors as funding_selectors
from community_admin.ledgers import selectors as ledger_selectors
from community_admin.org import selectors as org_selectors
from community_admin.org.models import Honour
from community_admin.staff import selectors as staff_selectors
from community_admin.staff import yearly as staff_yearly
from community_admin.staff.models import AccountabilityRecord, EvaluationRound, Worker

FIRST_YEAR = 2000
ERR_YEAR_INVALID = "年度：请填写 {first} 至 {last} 之间的年份（收到“{value}”）。"
TREND_YEARS = 3  # resignations are shown for the report year and the two before it

ZERO = Decimal("0.00")


def clean_year(value) -> int:
    """A report year from a form, a job's parameters or the command line; ValidationError naming the field."""
    last = timezone.localdate().year + 1  # next year's funding may already be allocated
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = None
    if year is None or not FIRST_YEAR <= year <= last:
        raise ValidationError({"year": ERR_YEAR_INVALID.format(first=FIRST_YEAR, last=last, value=value)})
    return year


def _share(part, whole) -> float:
    return round(float(part) / float(whole), 4) if whole else 0.0


def survey_figures(*, year: int, user) -> dict:
    """Everything the report prints, for what `user` sees (the bureau: the district)."""
    committees = scoping.visible_committees(user)
    streets = scoping.visible_streets(user)
    committee_ids = list(committees.values_list("pk", flat=True))
    # The registry's counts are the costly read at full scale (a pass over every person): read them once for
    # the dashboard's figures and the office, staffing and services checks.
    counts = org_selectors.registry_counts(committee_ids)
    base = dashboard_selectors.district_figures(committees, streets, counts=counts)
    figures = {
        "year": year,
        "as_of": timezone.localdate(),
        "base": base,
        "average_age": _average_age(committees),
        "honours": _honours(streets, committees),
        "admin_load": _admin_load(committees, streets, year),
        "ledgers": _ledgers(user, committees, year, base),
        "certificates": _certificates(user, year),
        "funding": _funding(committees, year),
        "office": _office(committees, counts),
        "staff": _staff(user, committees, year, base, counts),
        "services": _services(committees, year, counts),
    }
    figures["by_street"] = _street_table(figures, base)
    figures["committee_ids"] = committee_ids
    return figures


def _average_age(committees) -> float | None:
    """Current workers' average age (the report left it blank: "平均年龄岁")."""
    today = timezone.localdate()
    births = Worker.objects.filter(committee__in=committees, status__in=Worker.CURRENT).aggregate(
        n=Count("pk"), first=Avg("birth_date__year")
    )
    if not births["n"]:
        return None
    return round(today.year - float(births["first"]), 1)


def _honours(streets, committees) -> list[dict]:
    rows = Honour.objects.filter(
        Q(street__isnull=True, committee__isnull=True) | Q(street__in=streets) | Q(committee__in=committees)
    ).select_related("street", "committee")
    return [
        {
            "year": h.year,
            "title": h.title,
            "level": h.get_level_display(),
            "awarded_by": h.awarded_by,
            "holder": h.committee.name if h.committee else h.street.name if h.street else "本区",
        }
        for h in rows.order_by("year", "level", "pk")
    ]


def _admin_load(committees, streets, year: int) -> dict:
    total = task_selectors.workload_total(task_selectors.workload_by_committee(committees, year=year))
    pushed = Task.committees.through.objects.filter(committee__in=committees).values("task_id")
    refusals = task_selectors.refusals(Task.objects.filter(pk__in=pushed), year=year)
    return {
        "items": task_selectors.service_item_summary(),
        "received": total.received,
        "admitted": total.admitted,
        "refused": total.refused,
        "refused_by_street": total.refused_by_street,
        "done": total.done,
        "overdue": total.overdue,
        "affairs": task_selectors.district_affairs(committees, year=year),
        "work_value": total.work_value,
        "funding": total.funding,
        "refusal_reasons": refusals["by_reason"],
        "refusing_departments": refusals["by_department"][:5],
        "by_street": {
            w.unit.pk: {"received": w.received, "admitted": w.admitted, "refused": w.refused}
            for w in task_selectors.workload_by_street(streets, committees, year=year)
        },
    }


def _ledgers(user, committees, year: int, base: dict) -> dict:
    burden = ledger_selectors.committee_burden(user, year=year, committees=committees)
    kept = [b.books_kept for b in burden]
    typed = sum(b.entries_typed for b in burden)
    filled = sum(b.registry_rows for b in burden)
    catalogue = base["ledger"]
    derived = catalogue.get("derived_books", burden[0].derived_books if burden else 0)
    return {
        "categories": catalogue["categories"],
        "books": catalogue["books"],
        "derived_books": derived,
        "manual_books": catalogue.get("manual_books", catalogue["books"] - derived),
        "books_kept_average": round(sum(kept) / len(kept), 1) if kept else 0,
        "entries_typed": typed,
        "entries_per_committee": round(typed / len(burden), 1) if burden else 0,
        "registry_rows": filled,
        "registry_share": _share(filled, typed + filled),
    }


def _certificates(user, year: int) -> dict:
    tiers = certificate_selectors.tier_counts()
    stats = {r.key: r for r in certificate_selectors.statistics(user, group_by="tier", year=year)}
    by_tier = []
    for tier, label in CertificateType.Tier.choices:
        row = stats.get(tier)
        by_tier.append(
            {
                "tier": tier,
                "label": str(label),
                "types": tiers.get(tier, 0),
                "issued": row.issued if row else 0,
                "voided": row.voided if row else 0,
                "refused": row.refused if row else 0,
            }
        )
    by_street = {
        r.key: {"issued": r.issued, "refused": r.refused}
        for r in certificate_selectors.statistics(user, group_by="street", year=year)
    }
    issued = sum(r["issued"] for r in by_tier)
    refused = sum(r["refused"] for r in by_tier)
    return {
        "types": sum(tiers.values()),
        "by_tier": by_tier,
        "issued": issued,
        "refused": refused,
        "refused_share": _share(refused, issued + refused),
        "referred_to": certificate_selectors.refusals_by_department(user, year=year)[:6],
        "by_street": by_street,  # by street code
    }


def _funding(committees, year: int) -> dict:
    totals = funding_selectors.funding_figures(year, committees)
    budgets = funding_selectors.budgets(year, committees)
    allocated = [b for b in budgets if b.allocation > 0]
    typical = budgets[0].typical if budgets else ZERO
    short = [b for b in budgets if b.shortfall > 0]
    return {
        "total": totals["total"],
        "per_household": totals["per_household"],
        "committees_funded": len(allocated),
        "per_committee": (totals["total"] / len(allocated)).quantize(Decimal("0.01")) if allocated else ZERO,
        "typical": typical,
        "committees_short": len(short),
        "shortfall_total": sum((b.shortfall for b in short), ZERO),
        "task_money": sum((b.task_money for b in budgets), ZERO),
        "spent_general": sum((b.spent_general for b in budgets), ZERO),
        "flags": _flag_counts(budgets),
        "source_text": totals["source_text"],
    }


def _flag_counts(budgets) -> dict[str, int]:
    counts = dict.fromkeys(funding_selectors.FlagKind.LABELS, 0)
    for row in budgets:
        for flag in row.flags:
            counts[flag.kind] += 1
    return {str(funding_selectors.FlagKind.LABELS[k]): n for k, n in counts.items()}


def _office(committees, counts: dict) -> dict:
    rows = org_selectors.committees_with_figures(committees.order_by("street__code", "code"), counts=counts)
    checked = [(c, f) for c, f in rows if f.office]
    chosen = checked[0][1].office.norm_name if checked else None
    short = [(c, f) for c, f in checked if not f.office.compliant]
    alternatives: dict[str, list[int]] = {}
    for _, f in rows:
        for alt in f.office_alternatives:
            counts = alternatives.setdefault(alt.norm_name, [0, 0])
            counts[0 if alt.compliant else 1] += 1
    return {
        "norm": chosen,
        "compliant": len(checked) - len(short),
        "short": len(short),
        "shortfall_m2": sum((f.office.required_m2 - f.office.actual_m2 for _, f in short), Decimal("0")),
        "alternatives": [{"norm": k, "compliant": v[0], "short": v[1]} for k, v in alternatives.items()],
        "by_street": _count_by_street(short),
        "worst": [
            {
                "committee": c.name,
                "street": c.street.name,
                "actual": f.office.actual_m2,
                "required": f.office.required_m2,
            }
            for c, f in sorted(short, key=lambda cf: cf[1].office.actual_m2 - cf[1].office.required_m2)[:5]
        ],
    }


def _count_by_street(rows) -> dict[int, int]:
    out: dict[int, int] = {}
    for committee, _ in rows:
        out[committee.street_id] = out.get(committee.street_id, 0) + 1
    return out


def _staff(user, committees, year: int, base: dict, counts: dict) -> dict:
    gaps = staff_selectors.staffing_gaps(committees, counts=counts)
    _, turnover = staff_selectors.turnover_by_year(user, years=list(range(year - TREND_YEARS + 1, year + 1)))
    pay = staff_yearly.pay_policy_in_force(year).version
    evaluation = _evaluations(user, committees, year)
    return {
        "workers": base["workers"],
        "staffing": base["staffing"],
        "secondments": base["secondments"],
        "seconded_share": _share(base["workers"]["seconded"], base["workers"]["social_workers"]),
        "resigned": turnover[-1].resigned,
        "retired": turnover[-1].retired,
        "turnover": [{"year": t.year, "resigned": t.resigned, "retired": t.retired} for t in turnover],
        "resignation_reasons": staff_selectors.resignation_reasons(user, year=year),
        "pay": (
            {
                "year": pay.year,
                "base_monthly": pay.base_monthly,
                "insured_monthly": pay.insured_monthly,
                "minimum_wage": pay.minimum_wage,
            }
            if pay
            else None
        ),
        "evaluation": evaluation,
        "by_street": {
            t.street.pk: {
                "members_required": t.members_required,
                "members_present": t.members_present,
                "social_workers_required": t.social_workers_required,
                "social_workers_present": t.social_workers_present,
                "seconded": t.seconded,
            }
            for t in staff_selectors.staffing_by_street(gaps)
        },
    }


def _evaluations(user, committees, year: int) -> dict | None:
    round_ = EvaluationRound.objects.filter(year=year).first()
    if round_ is None:
        return None
    results = staff_selectors.evaluation_results(user, round=round_)
    return {
        "evaluated": len(results),
        "below_threshold": sum(1 for r in results if r.below_threshold),
        "threshold": round_.threshold,
        "accountability_open": AccountabilityRecord.objects.filter(
            round=round_, worker__committee__in=committees, status=AccountabilityRecord.Status.OPEN
        ).count(),
    }


def _services(committees, year: int, counts: dict) -> dict:
    period = Period.year(year)
    rows = service_selectors.committee_balances(committees, period, counts=counts)
    total = service_selectors.total([b for _, b in rows], period)
    by_street = {
        street.pk: {"service_index": balance.service_index}
        for street, balance in service_selectors.street_balances(rows, period)
    }
    s = total.service
    return {
        "visits": s.visits,
        "households_reached": s.households_reached,
        "reach_share": float(total.reach_share),
        "visits_per_100_households": total.visits_per_100_households,
        "activities": s.activities,
        "participants": s.participants,
        "activities_per_1000_residents": total.activities_per_1000_residents,
        "volunteer_hours": s.volunteer_hours,
        "organisations_supported": s.organisations_supported,
        "service_hours": total.service_hours,
        "admin_hours": total.admin_hours,
        "admin_units": total.admin_units,
        "service_share": float(total.service_share) if total.service_share is not None else None,
        "service_index": total.service_index,
        "committees_flagged": sum(1 for _, b in rows if b.flagged),
        "by_street": by_street,
    }


def _street_table(figures: dict, base: dict) -> list[dict]:
    tasks = figures["admin_load"]["by_street"]
    staff = figures["staff"]["by_street"]
    office = figures["office"]["by_street"]
    certificates = figures["certificates"]["by_street"]
    services = figures["services"]["by_street"]
    out = []
    for s in base["by_street"]:
        t = tasks.get(s["id"], {})
        w = staff.get(s["id"], {})
        c = certificates.get(s["code"], {})
        out.append(
            {
                "name": s["name"],
                "committees": s["residential"] + s["unit"] + s["mixed"],
                "residential": s["residential"],
                "unit": s["unit"],
                "mixed": s["mixed"],
                "households": s["households"],
                "population": s["population"],
                "floating": s["floating"],
                "office_short": office.get(s["id"], 0),
                "members_required": w.get("members_required", 0),
                "members_present": w.get("members_present", 0),
                "social_workers_required": w.get("social_workers_required", 0),
                "social_workers_present": w.get("social_workers_present", 0),
                "seconded": w.get("seconded", 0),
                "tasks_received": t.get("received", 0),
                "tasks_admitted": t.get("admitted", 0),
                "tasks_refused": t.get("refused", 0),
                "certificates_issued": c.get("issued", 0),
                "certificates_refused": c.get("refused", 0),
                "service_index": services.get(s["id"], {}).get("service_index", Decimal("0")),
            }
        )
    return out
