"""Reads of the district structure. Callers pass a queryset already scoped by
`community_admin.accounts.scoping`; these functions add the figures and the norms."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from community_admin.org import norms
from community_admin.org.models import Committee, HouseholdSource, OfficeAreaNorm, Street

# The household registry (the `residents` app) is reached through the reverse relation `persons`, never
# imported: these are its active statuses, resident population being everyone active but the floating.
ACTIVE_STATUSES = ("registered", "resident", "floating")
RESIDENT_STATUSES = ("registered", "resident")
FEW_COMMITTEES = 20

# What a page says about the figures it used (never the stored codes).
SOURCE_TEXT = {
    HouseholdSource.REGISTRY: "户数来源：人口登记（已确认完整）",
    HouseholdSource.RECORDED: "户数来源：在册数（人口登记尚未确认完整）",
}
SOURCE_TEXT_MIXED = (
    "户数来源：{registry} 个社区按人口登记（已确认完整），{recorded} 个社区按在册数（人口登记尚未确认完整）"
)


@dataclass(frozen=True)
class CommitteeFigures:
    households: int
    population: int
    floating: int
    source: str  # HouseholdSource: the registry once it is marked complete, until then the recorded figures
    members_required: int
    social_workers_required: int
    office: norms.OfficeAreaCheck | None
    office_alternatives: list[norms.OfficeAreaCheck] = field(default_factory=list)
    registry: tuple[int, int, int] = (0, 0, 0)  # the registry's counts, whichever source was used
    recorded: tuple[int, int, int] = (0, 0, 0)

    @property
    def registry_complete(self) -> bool:
        return self.source == HouseholdSource.REGISTRY

    @property
    def source_label(self) -> str:
        return str(HouseholdSource(self.source).label)

    @property
    def source_text(self) -> str:
        return SOURCE_TEXT[self.source]

    @property
    def registry_households(self) -> int:
        return self.registry[0]

    @property
    def recorded_households(self) -> int:
        return self.recorded[0]


def source_text(*, registry: int, recorded: int) -> str:
    """What a page showing many committees' figures says about their source."""
    if not recorded:
        return SOURCE_TEXT[HouseholdSource.REGISTRY]
    if not registry:
        return SOURCE_TEXT[HouseholdSource.RECORDED]
    return SOURCE_TEXT_MIXED.format(registry=registry, recorded=recorded)


def source_counts(sources: Iterable[str]) -> dict[str, int]:
    """How many committees' figures came from each source: {"registry": n, "recorded": m}."""
    counts = dict.fromkeys(HouseholdSource.values, 0)
    for source in sources:
        counts[source] += 1
    return counts


def office_area_norms() -> list[OfficeAreaNorm]:
    """All office-space norms, the district's choice first."""
    return sorted(OfficeAreaNorm.objects.all(), key=lambda n: (not n.district_choice, n.effective_from))


def registry_counts(committee_ids) -> dict[int, tuple[int, int, int]]:
    """(households, resident population, floating) per committee from the registry, in one grouped query
    that a covering index on the registry's persons answers without reading the table."""
    persons = Committee._meta.get_field("persons").related_model  # the registry, through the reverse relation
    wanted = set(committee_ids)
    rows = persons.objects.filter(status__in=ACTIVE_STATUSES)
    if len(wanted) <= FEW_COMMITTEES:
        rows = rows.filter(committee_id__in=wanted)
    # For many committees one pass over the covering index beats probing it committee by committee.
    # Counting household_id (never null, in the index) keeps it an index-only scan; COUNT(id) would not.
    rows = (
        rows.values("committee_id")
        .annotate(
            households=Count("household_id", distinct=True),
            population=Count("household_id", filter=Q(status__in=RESIDENT_STATUSES)),
            floating=Count("household_id", filter=Q(status="floating")),
        )
        .order_by()
        .values_list("committee_id", "households", "population", "floating")
    )
    return {pk: (h, p, f) for pk, h, p, f in rows if pk in wanted}


def committee_figures(
    committee: Committee, *, office_norms: list[OfficeAreaNorm], counts: tuple[int, int, int] | None = None
) -> CommitteeFigures:
    """Norms against the committee's figures: the registry's counts once the street office (or the bureau) has
    marked the registry complete (a column of the committee's row: no query of its own), until then the
    committee's recorded figures, however many households the registry already holds."""
    if counts is None:
        counts = registry_counts([committee.pk]).get(committee.pk, (0, 0, 0))
    recorded = (committee.recorded_households, committee.recorded_population, committee.recorded_floating)
    source = committee.household_source
    households, population, floating = counts if source == HouseholdSource.REGISTRY else recorded
    checks = [
        norms.OfficeAreaCheck(
            norm_code=n.code,
            norm_name=n.name,
            required_m2=norms.required_office_area(
                households, per_100=n.m2_per_100_households, minimum=n.minimum_m2
            ),
            actual_m2=committee.office_area_m2,
        )
        for n in office_norms
    ]
    chosen = checks[0] if office_norms and office_norms[0].district_choice else None
    return CommitteeFigures(
        households=households,
        population=population,
        floating=floating,
        source=source,
        members_required=norms.required_members(households),
        social_workers_required=norms.required_social_workers(households),
        office=chosen,
        office_alternatives=[c for c in checks if c is not chosen],
        registry=tuple(counts),
        recorded=recorded,
    )


def committees_with_figures(
    committees: Iterable[Committee], *, counts: dict | None = None
) -> list[tuple[Committee, CommitteeFigures]]:
    """Figures for many committees in three queries (the committees, the norms, the registry counts, unless
    the caller passes the `registry_counts` it already has)."""
    office_norms = office_area_norms()
    rows = list(committees.select_related("street") if isinstance(committees, QuerySet) else committees)
    if counts is None:
        counts = registry_counts([c.pk for c in rows])
    return [
        (c, committee_figures(c, office_norms=office_norms, counts=counts.get(c.pk, (0, 0, 0)))) for c in rows
    ]


def streets_with_counts(streets: QuerySet[Street]) -> QuerySet[Street]:
    return streets.annotate(
        committee_count=Count("committees", distinct=True),
        village_converted_count=Count(
            "committees", filter=Q(committees__village_converted=True), distinct=True
        ),
    ).order_by("code")


@dataclass(frozen=True)
class StreetTotals:
    households: int
    population: int
    floating: int


def street_totals(rows: list[tuple[Committee, CommitteeFigures]]) -> dict[int, StreetTotals]:
    """Sum `committees_with_figures` rows per street: each committee counted from the source its figures used."""
    sums: dict[int, list[int]] = {}
    for committee, figures in rows:
        total = sums.setdefault(committee.street_id, [0, 0, 0])
        total[0] += figures.households
        total[1] += figures.population
        total[2] += figures.floating
    return {street_id: StreetTotals(*values) for street_id, values in sums.items()}
