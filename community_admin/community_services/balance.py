"""The balance between serving residents and administering them, and the 'three less' indicator.

The report's '一多三少': committees do more administrative work (一多) and less visiting households door to
door, fewer activities for residents, and too little fostering of community organisations and volunteer
service (三少). For a unit (committee, street, district) and a period:

    visits per 100 households          V = visits / households × 100
    activities per 1,000 residents     A = activities / residents × 1000
    volunteer hours per 1,000 residents H = volunteer hours / residents × 1000
    organisations supported            O = organisations given support in the period

Each is scored against the district's yearly target scaled to the period (target × days / 365) and capped:
    score_x = min(x / (target_x × days / 365), 1) × 100
and the service index (服务指数, 0–100, higher is better) is their mean:
    S = (score_V + score_A + score_H + score_O) / 4
It needs nothing but the services' own records and the registry, so it works before any administrative source
is registered.

How staff time divides: serving residents is estimated at standard hours per act (a visit, organising an
activity, one act of support to an organisation); the administrative load is what the registered load counters
(community_admin.core.workload) count, each unit at its counter's standard hours:
    service share = service hours / (service hours + administrative hours)
A unit shows '一多三少' when its administrative hours exceed its service hours and its service index is below 50.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

# Yearly targets (per unit of one committee; organisations scale with the number of committees).
TARGET_VISITS_PER_100_HOUSEHOLDS = Decimal("40")
TARGET_ACTIVITIES_PER_1000_RESIDENTS = Decimal("6")
TARGET_VOLUNTEER_HOURS_PER_1000_RESIDENTS = Decimal("150")
TARGET_ORGANISATIONS_SUPPORTED = Decimal("4")
# Standard staff hours per act of service.
HOURS_PER_VISIT = Decimal("0.5")
HOURS_PER_ACTIVITY = Decimal("6")
HOURS_PER_SUPPORT = Decimal("2")
FLAG_BELOW_INDEX = Decimal("50")

COMPONENTS = (
    ("visits", "每百户走访次数", TARGET_VISITS_PER_100_HOUSEHOLDS),
    ("activities", "每千名居民活动场次", TARGET_ACTIVITIES_PER_1000_RESIDENTS),
    ("volunteer_hours", "每千名居民志愿服务小时", TARGET_VOLUNTEER_HOURS_PER_1000_RESIDENTS),
    ("organisations", "扶持社会组织个数", TARGET_ORGANISATIONS_SUPPORTED),
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(first, following - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == date(self.start.year, 12, 31):
            return f"{self.start.year}年"
        if self.start.day == 1 and self.end == Period.month(self.start.year, self.start.month).end:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def months(self) -> list["Period"]:
        out, year, month = [], self.start.year, self.start.month
        while date(year, month, 1) <= self.end:
            out.append(Period.month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass
class ServiceCounts:
    visits: int = 0
    households_reached: int = 0
    activities: int = 0
    participants: int = 0
    volunteer_hours: Decimal = Decimal("0")
    organisations_supported: int = 0
    supports: int = 0

    def add(self, other: "ServiceCounts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _per(value, base: int, scale: int) -> Decimal:
    return (Decimal(value) * scale / base).quantize(Decimal("0.01")) if base else Decimal("0")


@dataclass
class Balance:
    """One unit's balance for one period. `admin` holds every registered counter's units (name -> units);
    `admin_hours_each` the counters' standard hours; both are empty while no source is registered."""

    period: Period
    households: int
    residents: int
    committees: int = 1
    service: ServiceCounts = field(default_factory=ServiceCounts)
    admin: dict[str, int] = field(default_factory=dict)
    admin_hours_each: dict[str, Decimal] = field(default_factory=dict)

    def add(self, other: "Balance") -> None:
        self.households += other.households
        self.residents += other.residents
        self.committees += other.committees
        self.service.add(other.service)
        for name, units in other.admin.items():
            self.admin[name] = self.admin.get(name, 0) + units
        self.admin_hours_each.update(other.admin_hours_each)

    # The four rates of the 'three less'.
    @property
    def visits_per_100_households(self) -> Decimal:
        return _per(self.service.visits, self.households, 100)

    @property
    def reach_share(self) -> Decimal:
        """Share of all households visited at least once in the period (0–1)."""
        return _per(self.service.households_reached, self.households, 1) if self.households else Decimal("0")

    @property
    def activities_per_1000_residents(self) -> Decimal:
        return _per(self.service.activities, self.residents, 1000)

    @property
    def volunteer_hours_per_1000_residents(self) -> Decimal:
        return _per(self.service.volunteer_hours, self.residents, 1000)

    @property
    def rates(self) -> dict[str, Decimal]:
        return {
            "visits": self.visits_per_100_households,
            "activities": self.activities_per_1000_residents,
            "volunteer_hours": self.volunteer_hours_per_1000_residents,
            "organisations": Decimal(self.service.organisations_supported),
        }

    @property
    def scores(self) -> dict[str, Decimal]:
        fraction = Decimal(self.period.days) / Decimal(365)
        out = {}
        for key, _label, target in COMPONENTS:
            goal = target * fraction * (self.committees if key == "organisations" else 1)
            ratio = self.rates[key] / goal if goal else Decimal("0")
            out[key] = (min(ratio, Decimal("1")) * 100).quantize(Decimal("0.1"))
        return out

    @property
    def service_index(self) -> Decimal:
        scores = self.scores
        return (sum(scores.values()) / len(scores)).quantize(Decimal("0.1"))

    # How staff time divides.
    @property
    def service_hours(self) -> Decimal:
        s = self.service
        return s.visits * HOURS_PER_VISIT + s.activities * HOURS_PER_ACTIVITY + s.supports * HOURS_PER_SUPPORT

    @property
    def admin_units(self) -> int:
        return sum(self.admin.values())

    @property
    def admin_hours(self) -> Decimal:
        return sum(
            (
                Decimal(units) * self.admin_hours_each.get(name, Decimal("1"))
                for name, units in self.admin.items()
            ),
            Decimal("0"),
        )

    @property
    def has_admin_sources(self) -> bool:
        return bool(self.admin_hours_each)

    @property
    def service_share(self) -> Decimal | None:
        """Service hours over all hours (0–1); None while no administrative source is registered."""
        if not self.has_admin_sources:
            return None
        total = self.service_hours + self.admin_hours
        return (self.service_hours / total).quantize(Decimal("0.001")) if total else None

    @property
    def admin_per_1000_households(self) -> Decimal:
        return _per(self.admin_units, self.households, 1000)

    @property
    def flagged(self) -> bool:
        """'一多三少': more administrative hours than service hours, and a service index below 50."""
        return (
            self.has_admin_sources
            and self.admin_hours > self.service_hours
            and self.service_index < FLAG_BELOW_INDEX
        )
