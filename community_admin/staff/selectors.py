"""Reads of the staff app, scoped through `community_admin.accounts.scoping`. The dashboards read these;
each runs a fixed number of queries whatever the number of committees."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from community_admin.accounts import scoping
from community_admin.accounts.permissions import has_permission
from community_admin.org.models import Committee, HouseholdSource, Street
from community_admin.org.selectors import committee_figures, registry_counts, source_counts, source_text
from community_admin.staff import retirement, yearly
from community_admin.staff.models import (
    MEMBER_POSTS,
    SCORE_FIELDS,
    AccountabilityRecord,
    Departure,
    EvaluationRound,
    EvaluationScore,
    PayPolicy,
    Payroll,
    Post,
    RetirementRule,
    RetirementRuleSet,
    Secondment,
    VersionStatus,
    Worker,
    WorkerPost,
)
from community_admin.staff.services import PAY_FIELDS, RULE_FIELDS, score_expression


def visible_workers(user) -> QuerySet[Worker]:
    return scoping.scope_by_committee(Worker.objects.all(), user)


def _has_post(posts) -> Exists:
    return Exists(WorkerPost.objects.filter(worker=OuterRef("pk"), post__in=list(posts)))


MEMBER = "member"  # the 委员职数 posts together (MEMBER_POSTS)


def with_post(workers: QuerySet[Worker], post: str) -> QuerySet[Worker]:
    if post == MEMBER:
        return workers.filter(_has_post(MEMBER_POSTS))
    return workers.filter(_has_post([post])) if post else workers


def with_status(workers: QuerySet[Worker], status: str) -> QuerySet[Worker]:
    if status == "current":
        return workers.filter(status__in=Worker.CURRENT)
    return workers.filter(status=status) if status else workers


def worker_list(
    user, *, committee: Committee | None = None, post: str = "", status: str = "", search: str = ""
) -> QuerySet[Worker]:
    workers = visible_workers(user).select_related("committee", "committee__street").prefetch_related("posts")
    if committee is not None:
        workers = workers.filter(committee=committee)
    workers = with_status(with_post(workers, post), status)
    if search:
        workers = workers.filter(Q(name__contains=search) | Q(committee__name__contains=search))
    return workers.order_by("committee__code", "name", "id")


@dataclass(frozen=True)
class StaffFigures:
    workers: int
    members: int
    social_workers: int
    both: int
    college_or_above: int
    seconded: int


def staff_figures(workers: QuerySet[Worker]) -> StaffFigures:
    """The report's figures over current workers (in post or seconded): one query."""
    member = _has_post(MEMBER_POSTS)
    social = _has_post([Post.SOCIAL_WORKER])
    row = (
        workers.filter(status__in=Worker.CURRENT)
        .annotate(is_member=member, is_social=social)
        .aggregate(
            workers=Count("pk"),
            members=Count("pk", filter=Q(is_member=True)),
            social_workers=Count("pk", filter=Q(is_social=True)),
            both=Count("pk", filter=Q(is_member=True, is_social=True)),
            college_or_above=Count("pk", filter=Q(education__in=Worker.COLLEGE_OR_ABOVE)),
            seconded=Count("pk", filter=Q(status=Worker.Status.SECONDED)),
        )
    )
    return StaffFigures(**row)


@dataclass(frozen=True)
class StaffingRow:
    committee: Committee
    households: int
    members_required: int
    members_present: int
    social_workers_required: int
    social_workers_present: int
    seconded: int
    source: str = HouseholdSource.RECORDED  # where `households` came from (org.selectors.committee_figures)

    @property
    def source_label(self) -> str:
        return str(HouseholdSource(self.source).label)

    @property
    def members_gap(self) -> int:
        return max(self.members_required - self.members_present, 0)

    @property
    def social_workers_gap(self) -> int:
        return max(self.social_workers_required - self.social_workers_present, 0)


def staffing_gaps(committees: QuerySet[Committee], *, counts: dict | None = None) -> list[StaffingRow]:
    """Norms (DESIGN.md section 4) against the workers actually there: a seconded worker counts as absent.
    `committees` is already scoped. Two queries (the workers, the registry's household counts, unless the
    caller passes the `registry_counts` it already has)."""
    present = Q(workers__status=Worker.Status.ACTIVE)
    annotated = (
        committees.select_related("street")
        .annotate(
            members_present=Count(
                "workers", filter=present & Q(workers__posts__post__in=list(MEMBER_POSTS)), distinct=True
            ),
            social_workers_present=Count(
                "workers", filter=present & Q(workers__posts__post=Post.SOCIAL_WORKER), distinct=True
            ),
            seconded=Count("workers", filter=Q(workers__status=Worker.Status.SECONDED), distinct=True),
        )
        .order_by("street__code", "code")
    )
    annotated = list(annotated)
    if counts is None:
        counts = registry_counts([c.pk for c in annotated])
    rows = []
    for committee in annotated:
        figures = committee_figures(committee, office_norms=[], counts=counts.get(committee.pk, (0, 0, 0)))
        rows.append(
            StaffingRow(
                committee=committee,
                households=figures.households,
                members_required=figures.members_required,
                members_present=committee.members_present,
                social_workers_required=figures.social_workers_required,
                social_workers_present=committee.social_workers_present,
                seconded=committee.seconded,
                source=figures.source,
            )
        )
    return rows


def staffing_source_text(rows: list[StaffingRow]) -> str:
    """What the staffing page says about where the households behind its norms came from."""
    return source_text(**source_counts(r.source for r in rows))


@dataclass(frozen=True)
class StaffingTotals:
    street: Street | None  # None: the whole scope (the district, for the bureau)
    committees: int
    members_required: int
    members_present: int
    members_gap: int
    social_workers_required: int
    social_workers_present: int
    social_workers_gap: int
    seconded: int
    committees_short: int


def staffing_totals(rows: list[StaffingRow], street: Street | None = None) -> StaffingTotals:
    return StaffingTotals(
        street=street,
        committees=len(rows),
        members_required=sum(r.members_required for r in rows),
        members_present=sum(r.members_present for r in rows),
        members_gap=sum(r.members_gap for r in rows),
        social_workers_required=sum(r.social_workers_required for r in rows),
        social_workers_present=sum(r.social_workers_present for r in rows),
        social_workers_gap=sum(r.social_workers_gap for r in rows),
        seconded=sum(r.seconded for r in rows),
        committees_short=sum(1 for r in rows if r.members_gap or r.social_workers_gap),
    )


def staffing_by_street(rows: list[StaffingRow]) -> list[StaffingTotals]:
    by_street: dict[int, list[StaffingRow]] = {}
    streets: dict[int, Street] = {}
    for row in rows:
        by_street.setdefault(row.committee.street_id, []).append(row)
        streets[row.committee.street_id] = row.committee.street
    return [
        staffing_totals(by_street[pk], streets[pk]) for pk in sorted(by_street, key=lambda k: streets[k].code)
    ]


def secondment_list(user, *, state: str = "", committee: Committee | None = None) -> QuerySet[Secondment]:
    secondments = scoping.scope_by_committee(Secondment.objects.all(), user, field="worker__committee")
    if state == "open":
        secondments = secondments.filter(state__in=Secondment.OPEN_STATES)
    elif state:
        secondments = secondments.filter(state=state)
    if committee is not None:
        secondments = secondments.filter(worker__committee=committee)
    return secondments.select_related(
        "worker", "worker__committee", "worker__committee__street", "host_street", "host_department"
    ).order_by("-created_at", "-id")


def secondment_counts(user) -> dict[str, int]:
    """Secondments in scope by state: one query."""
    rows = secondment_list(user).order_by().values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(Secondment.State.values, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class TurnoverRow:
    year: int
    street: Street | None
    resigned: int
    retired: int


def turnover_by_year(user, *, years: list[int]) -> tuple[list[TurnoverRow], list[TurnoverRow]]:
    """(per street and year, per year for the whole scope) resignations and retirements: two queries."""
    departures = scoping.scope_by_committee(Departure.objects.all(), user).filter(left_on__year__in=years)
    grouped = (
        departures.annotate(year=ExtractYear("left_on"))
        .values("year", "committee__street")
        .annotate(
            resigned=Count("pk", filter=Q(kind=Departure.Kind.RESIGNED)),
            retired=Count("pk", filter=Q(kind=Departure.Kind.RETIRED)),
        )
        .order_by("year", "committee__street")
    )
    streets = {s.pk: s for s in scoping.visible_streets(user)}
    by_street = [
        TurnoverRow(r["year"], streets.get(r["committee__street"]), r["resigned"], r["retired"])
        for r in grouped
    ]
    totals = []
    for year in sorted(years):
        rows = [r for r in by_street if r.year == year]
        totals.append(TurnoverRow(year, None, sum(r.resigned for r in rows), sum(r.retired for r in rows)))
    return by_street, totals


def resignation_reasons(user, *, year: int) -> list[tuple[str, int]]:
    rows = (
        scoping.scope_by_committee(Departure.objects.all(), user)
        .filter(kind=Departure.Kind.RESIGNED, left_on__year=year)
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    return [(str(Departure.Reason(r["reason"]).label), r["n"]) for r in rows]


@dataclass(frozen=True)
class EvaluationResult:
    worker: Worker
    representatives: int
    dimensions: dict[str, Decimal]
    average: Decimal
    below_threshold: bool


def _dec(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def evaluation_results(user, *, round: EvaluationRound) -> list[EvaluationResult]:
    """Each evaluated social worker's averages over the representatives, lowest first: two queries."""
    rows = (
        scoping.scope_by_committee(
            EvaluationScore.objects.filter(round=round), user, field="worker__committee"
        )
        .values("worker")
        .annotate(
            representatives=Count("pk"),
            average=Avg(score_expression()),
            **{f"avg_{n}": Avg(n) for n in SCORE_FIELDS},
        )
        .order_by("worker")
    )
    rows = list(rows)
    workers = Worker.objects.select_related("committee").in_bulk([r["worker"] for r in rows])
    results = [
        EvaluationResult(
            worker=workers[r["worker"]],
            representatives=r["representatives"],
            dimensions={n: _dec(r[f"avg_{n}"]) for n in SCORE_FIELDS},
            average=_dec(r["average"]),
            below_threshold=Decimal(str(r["average"])) < round.threshold,
        )
        for r in rows
    ]
    return sorted(results, key=lambda r: (r.average, r.worker.pk))


def unevaluated_social_workers(user, *, round: EvaluationRound) -> QuerySet[Worker]:
    return (
        visible_workers(user)
        .filter(status__in=Worker.CURRENT)
        .filter(_has_post([Post.SOCIAL_WORKER]))
        .exclude(evaluation_scores__round=round)
        .select_related("committee")
    )


def accountability_list(user, *, status: str = "") -> QuerySet[AccountabilityRecord]:
    records = scoping.scope_by_committee(AccountabilityRecord.objects.all(), user, field="worker__committee")
    if status:
        records = records.filter(status=status)
    return records.select_related(
        "round", "worker", "worker__committee", "worker__committee__street"
    ).order_by("status", "-round__year", "average")


@dataclass(frozen=True)
class RetirementDue:
    worker: Worker
    due_on: date
    service_years: int
    service_required: int

    @property
    def service_eligible(self) -> bool:
        return self.service_years >= self.service_required


def retirement_due(user, *, as_of: date, within_months: int = 12) -> list[RetirementDue]:
    """Current workers who reach the legal retirement age by `within_months` after `as_of`, with whether their
    years of community work reach the rule's threshold (the district's retirement arrangement): two queries."""
    rules = yearly.retirement_rules_by_sex(as_of.year)
    horizon = retirement.add_months(as_of, within_months)
    due = []
    for worker in visible_workers(user).filter(status__in=Worker.CURRENT).select_related("committee"):
        rule = rules.get(worker.sex)
        if rule is None:
            continue
        on = retirement.retirement_date(worker.birth_date, rule)
        if on <= horizon:
            due.append(
                RetirementDue(worker, on, retirement.full_years(worker.hire_date, on), rule.service_years)
            )
    return sorted(due, key=lambda d: (d.due_on, d.worker.pk))


@dataclass(frozen=True)
class HonourEligible:
    worker: Worker
    service_years: int
    reached_on: date


def honour_eligible(user, *, as_of: date) -> tuple[PayPolicy | None, list[HonourEligible]]:
    """Current workers with at least the policy's years of community work (the one-off long-service honour)."""
    policy = yearly.pay_policy_in_force(as_of.year).version
    if policy is None:
        return None, []
    years = policy.honour_service_years
    cutoff = retirement.add_months(as_of, -12 * years)
    workers = (
        visible_workers(user)
        .filter(status__in=Worker.CURRENT, hire_date__lte=cutoff)
        .select_related("committee")
    )
    eligible = [
        HonourEligible(
            w, retirement.full_years(w.hire_date, as_of), retirement.add_months(w.hire_date, years * 12)
        )
        for w in workers.order_by("hire_date", "pk")
    ]
    return policy, eligible


def payroll_list(user, *, committee: Committee | None = None) -> QuerySet[Payroll]:
    payrolls = scoping.scope_by_committee(Payroll.objects.all(), user)
    if committee is not None:
        payrolls = payrolls.filter(committee=committee)
    return (
        payrolls.select_related("committee", "committee__street", "policy")
        .annotate(
            workers=Count("lines"),
            gross=Sum("lines__gross"),
            below_floor=Count("lines", filter=Q(lines__below_floor=True)),
        )
        .order_by("-year", "-month", "committee__code")
    )


def resignations_since(user, *, since: date) -> int:
    return (
        scoping.scope_by_committee(Departure.objects.all(), user)
        .filter(kind=Departure.Kind.RESIGNED, left_on__gte=since)
        .count()
    )


def evaluation_rounds() -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.order_by("-year")


def worker_scores(worker: Worker) -> QuerySet[EvaluationScore]:
    return worker.evaluation_scores.select_related("round").order_by("-round__year", "representative")


# The yearly rules ----------------------------------------------------------------------------------------------


def _versions(model, user) -> QuerySet:
    """The bureau sees every version; the others the adopted ones and their history, never a draft."""
    versions = model.objects.select_related("created_by", "adopted_by").order_by("-year", "-version")
    if has_permission(user, "staff.policy.manage"):
        return versions
    return versions.exclude(status=VersionStatus.DRAFT)


def visible_pay_policies(user) -> QuerySet[PayPolicy]:
    return _versions(PayPolicy, user)


def visible_retirement_rule_sets(user) -> QuerySet[RetirementRuleSet]:
    return _versions(RetirementRuleSet, user).prefetch_related("rules")


def last_adopted(model, year: int | None = None):
    """The newest adopted version up to `year` (any year when None or when none is that early): what a
    new draft starts from."""
    adopted = model.objects.filter(status=VersionStatus.ADOPTED).order_by("-year")
    if year is not None and adopted.filter(year__lte=year).exists():
        adopted = adopted.filter(year__lte=year)
    return adopted.first()


@dataclass(frozen=True)
class ComparedField:
    label: str
    kind: str  # "money", "number", "date" or "text": how the page shows the values
    after: object
    before: object = None  # the previous year's adopted value
    current: object = None  # the value in the same year's adopted version, when this is a new draft of it
    has_before: bool = False
    has_current: bool = False

    @property
    def changed(self) -> bool:
        return self.has_before and self.before != self.after

    @property
    def changed_from_current(self) -> bool:
        return self.has_current and self.current != self.after


@dataclass(frozen=True)
class Comparison:
    version: PayPolicy | RetirementRuleSet
    previous: PayPolicy | RetirementRuleSet | None  # the last adopted version of an earlier year
    current: PayPolicy | RetirementRuleSet | None  # the adopted version of the same year, if not this one
    rows: list[ComparedField]

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.changed)


PAY_KINDS = {"honour_service_years": "number"}


def _pay_values(policy: PayPolicy) -> list[tuple[str, str, object]]:
    return [
        (
            str(PayPolicy._meta.get_field(name).verbose_name),
            PAY_KINDS.get(name, "money"),
            getattr(policy, name),
        )
        for name in PAY_FIELDS
    ]


RULE_KINDS = {"name": "text", "reform_from": "date"}


def _rule_values(rule_set: RetirementRuleSet) -> list[tuple[str, str, object]]:
    rules = {r.sex: r for r in rule_set.rules.all()}
    values = []
    for sex, sex_label in Worker.Sex.choices:
        rule = rules.get(sex)
        for name in RULE_FIELDS:
            label = f"{sex_label}职工 · {RetirementRule._meta.get_field(name).verbose_name}"
            values.append((label, RULE_KINDS.get(name, "number"), getattr(rule, name, None)))
    return values


def _earlier_adopted(version):
    return (
        type(version)
        .objects.filter(status=VersionStatus.ADOPTED, year__lt=version.year)
        .order_by("-year")
        .first()
    )


def version_comparison(version: PayPolicy | RetirementRuleSet) -> Comparison:
    """`version` field by field beside the previous year's adopted version (and, for a new draft of a year
    that has an adopted version, beside that one too)."""
    values = _pay_values if isinstance(version, PayPolicy) else _rule_values
    previous = _earlier_adopted(version)
    current = (
        type(version)
        .objects.filter(year=version.year, status=VersionStatus.ADOPTED)
        .exclude(pk=version.pk)
        .first()
    )
    before = values(previous) if previous else None
    now = values(current) if current else None
    rows = [
        ComparedField(
            label=label,
            kind=kind,
            after=after,
            before=before[i][2] if before else None,
            current=now[i][2] if now else None,
            has_before=before is not None,
            has_current=now is not None,
        )
        for i, (label, kind, after) in enumerate(values(version))
    ]
    return Comparison(version, previous, current, rows)
