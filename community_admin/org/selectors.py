"""Reads of the district structure. Callers pass a queryset already scoped by
`community_admin.accounts.scoping`; these functions add the figures and the norms."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from community_admin.org import norms
from community_admin.org.models import Committee, OfficeAreaNorm, Street


@dataclass(frozen=True)
class CommitteeFigures:
    households: int
    population: int
    floating: int
    members_required: int
    social_workers_required: int
    office: norms.OfficeAreaCheck | None
    office_alternatives: list[norms.OfficeAreaCheck] = field(default_factory=list)


def office_area_norms() -> list[OfficeAreaNorm]:
    """All office-space norms, the district's choice first."""
    return sorted(OfficeAreaNorm.objects.all(), key=lambda n: (not n.district_choice, n.effective_from))


def committee_figures(committee: Committee, *, office_norms: list[OfficeAreaNorm]) -> CommitteeFigures:
    # The registry is not yet kept: the committee's recorded figures stand in for it.
    households = committee.recorded_households
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
        population=committee.recorded_population,
        floating=committee.recorded_floating,
        members_required=norms.required_members(households),
        social_workers_required=norms.required_social_workers(households),
        office=chosen,
        office_alternatives=[c for c in checks if c is not chosen],
    )


def committees_with_figures(committees: QuerySet[Committee]) -> list[tuple[Committee, CommitteeFigures]]:
    office_norms = office_area_norms()
    return [
        (c, committee_figures(c, office_norms=office_norms))
        for c in committees.select_related("street").annotate(
            centre_count=Count("service_centres", distinct=True)
        )
    ]


def streets_with_totals(streets: QuerySet[Street]) -> QuerySet[Street]:
    return streets.annotate(
        committee_count=Count("committees", distinct=True),
        village_converted_count=Count(
            "committees", filter=Q(committees__village_converted=True), distinct=True
        ),
        households=Sum("committees__recorded_households"),
        population=Sum("committees__recorded_population"),
        floating=Sum("committees__recorded_floating"),
    ).order_by("code")
