"""Reads of the certificates app, scoped to who asks (accounts.scoping). The statistics functions answer in
a fixed number of queries whatever the number of committees, types or months: the dashboards call them."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from community_admin.accounts import scoping
from community_admin.certificates.models import (
    Certificate,
    CertificateType,
    Evidence,
    NationalProhibition,
    PolicySource,
    Refusal,
    SealUse,
)
from community_admin.residents.models import Person

GROUPINGS = ("tier", "type", "committee", "street", "month")


def certificate_types(*, active_only: bool = False) -> QuerySet[CertificateType]:
    """The whitelist, with its sources, national conflicts and adopted rule (three queries)."""
    qs = CertificateType.objects.select_related("source", "adopted_prohibition").prefetch_related(
        Prefetch("conflicts", queryset=NationalProhibition.objects.select_related("source"))
    )
    return qs.filter(active=True) if active_only else qs


@dataclass(frozen=True)
class WhitelistRow:
    certificate_type: CertificateType
    conflicts: list[NationalProhibition]

    @property
    def in_conflict(self) -> bool:
        """The district still issues a type that a national rule forbids."""
        return bool(self.conflicts) and self.certificate_type.issues


def whitelist() -> list[WhitelistRow]:
    return [WhitelistRow(ct, list(ct.conflicts.all())) for ct in certificate_types()]


def tier_counts(*, active_only: bool = True) -> dict[str, int]:
    """{"A": 2, "B": 6, "C": 15} for the seeded district list (one query)."""
    rows = CertificateType.objects.all()
    if active_only:
        rows = rows.filter(active=True)
    counts = dict(rows.values_list("tier").annotate(n=Count("id")).order_by())
    return {tier: counts.get(tier, 0) for tier in CertificateType.Tier.values}


def policy_sources() -> QuerySet[PolicySource]:
    return PolicySource.objects.prefetch_related("prohibitions")


def issuable_persons(user) -> QuerySet[Person]:
    """Active people of the committees the user issues for."""
    return scoping.scope_by_committee(
        Person.objects.filter(status__in=Person.ACTIVE_STATUSES).select_related("household", "committee"),
        user,
    ).order_by("household__number", "id")


def certificate_list(user) -> QuerySet[Certificate]:
    return scoping.scope_by_committee(
        Certificate.objects.select_related(
            "committee__street", "certificate_type", "person__household", "issued_by", "voided_by"
        ),
        user,
    )


def refusal_list(user) -> QuerySet[Refusal]:
    return scoping.scope_by_committee(
        Refusal.objects.select_related("committee__street", "certificate_type", "person", "refused_by"), user
    )


def evidence_list(user) -> QuerySet[Evidence]:
    return scoping.scope_by_committee(
        Evidence.objects.select_related("certificate"), user, field="certificate__committee"
    )


def seal_log(
    user,
    *,
    committee_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    applied_by: str = "",
    serial: str = "",
) -> QuerySet[SealUse]:
    rows = scoping.scope_by_committee(
        SealUse.objects.select_related("committee", "applied_by", "certificate__certificate_type"), user
    )
    if committee_id:
        rows = rows.filter(committee_id=committee_id)
    if date_from:
        rows = rows.filter(applied_on__gte=date_from)
    if date_to:
        rows = rows.filter(applied_on__lte=date_to)
    if applied_by:
        rows = rows.filter(Q(applied_by__username=applied_by) | Q(applied_by__first_name=applied_by))
    if serial:
        rows = rows.filter(serial__icontains=serial)
    return rows


# Statistics ---------------------------------------------------------------------------------------------


@dataclass
class StatRow:
    key: str
    label: str
    issued: int = 0
    voided: int = 0
    refused: int = 0

    @property
    def requests(self) -> int:
        return self.issued + self.refused


_CERT_KEYS = {
    "tier": ("tier", None),
    "type": ("certificate_type__code", "certificate_type__name"),
    "committee": ("committee__code", "committee__name"),
    "street": ("committee__street__code", "committee__street__name"),
    "month": ("month", None),
}
_REFUSAL_KEYS = {
    "tier": ("certificate_type__tier", None),
    **{k: v for k, v in _CERT_KEYS.items() if k != "tier"},
}


def _rows(qs, keys, group_by: str, counts: dict):
    key, label = keys[group_by]
    if group_by == "month":
        qs = qs.annotate(month=TruncMonth(counts.pop("_date")))
    else:
        counts.pop("_date")
    fields = [key] + ([label] if label else [])
    return qs.values(*fields).annotate(**counts).order_by(), key, label


def statistics(
    user, *, group_by: str, year: int | None = None, committee_id: int | None = None
) -> list[StatRow]:
    """Issued (and of those, voided) and refused, grouped by tier, type, committee, street or month, for
    what `user` sees. Two queries (certificates, refusals)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}")
    certs = scoping.scope_by_committee(Certificate.objects.all(), user)
    refusals = scoping.scope_by_committee(Refusal.objects.all(), user)
    if year:
        certs = certs.filter(year=year)
        refusals = refusals.filter(refused_on__year=year)
    if committee_id:
        certs = certs.filter(committee_id=committee_id)
        refusals = refusals.filter(committee_id=committee_id)
    rows: dict[str, StatRow] = {}

    def row(value, label) -> StatRow:
        if group_by == "month":
            key = f"{value:%Y-%m}"
            label = f"{value.year}年{value.month}月"
        elif group_by == "tier":
            key = value
            label = CertificateType.Tier(value).label
        else:
            key = value
        return rows.setdefault(key, StatRow(key=key, label=label or key))

    cert_qs, key, label = _rows(
        certs,
        _CERT_KEYS,
        group_by,
        {
            "n": Count("id"),
            "v": Count("id", filter=Q(status=Certificate.Status.VOIDED)),
            "_date": "issued_on",
        },
    )
    for r in cert_qs:
        target = row(r[key], r.get(label) if label else None)
        target.issued += r["n"]
        target.voided += r["v"]
    refusal_qs, key, label = _rows(
        refusals, _REFUSAL_KEYS, group_by, {"n": Count("id"), "_date": "refused_on"}
    )
    for r in refusal_qs:
        row(r[key], r.get(label) if label else None).refused += r["n"]
    return sorted(rows.values(), key=lambda r: r.key)


def refusals_by_department(user, *, year: int | None = None) -> list[tuple[str, int]]:
    """Where refused requests were sent: the departments whose certificates committees are asked for."""
    refusals = scoping.scope_by_committee(Refusal.objects.all(), user)
    if year:
        refusals = refusals.filter(refused_on__year=year)
    counts: dict[str, int] = defaultdict(int)
    for name, n in refusals.values_list("referred_to").annotate(n=Count("id")).order_by():
        counts[name] += n
    return sorted(counts.items(), key=lambda kv: -kv[1])


def years_with_data(user) -> list[int]:
    certs = scoping.scope_by_committee(Certificate.objects.all(), user)
    return sorted(set(certs.values_list("year", flat=True).distinct()), reverse=True)
