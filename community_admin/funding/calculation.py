"""The funding rule as pure arithmetic, shared by the allocation run (stored) and the what-if (not stored)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Basis:
    """What the rule needs to know about one committee."""

    committee_id: int
    code: str
    households: int
    village_converted: bool
    large_centre: bool


@dataclass(frozen=True)
class Parts:
    base: Decimal
    beyond: Decimal
    village_extra: Decimal
    centre_extra: Decimal

    @property
    def amount(self) -> Decimal:
        return self.base + self.beyond + self.village_extra + self.centre_extra


def base_and_beyond(policy, households: int) -> tuple[Decimal, Decimal]:
    """The base covers the first `base_households`; a committee with fewer still gets the whole base."""
    extra_households = max(0, households - policy.base_households)
    return money(policy.base_amount), money(policy.per_household_beyond * extra_households)


def split_evenly(total: Decimal, count: int) -> list[Decimal]:
    """`total` in `count` shares that differ by at most a cent and add up to it exactly."""
    if count == 0:
        return []
    cents = int(money(total) / CENT)
    share, rest = divmod(cents, count)
    return [(share + (1 if i < rest else 0)) * CENT for i in range(count)]


def allocate(policy, bases: list[Basis]) -> dict[int, Parts]:
    """Every committee's parts. The village-converted pool is split evenly among the village-converted
    committees of `bases` (the whole district), leftover cents to the first by code."""
    village = sorted((b for b in bases if b.village_converted), key=lambda b: b.code)
    shares = dict(
        zip(
            (b.committee_id for b in village),
            split_evenly(policy.village_converted_pool, len(village)),
            strict=True,
        )
    )
    result = {}
    for b in bases:
        base, beyond = base_and_beyond(policy, b.households)
        result[b.committee_id] = Parts(
            base=base,
            beyond=beyond,
            village_extra=shares.get(b.committee_id, Decimal("0.00")),
            centre_extra=money(policy.large_centre_extra) if b.large_centre else Decimal("0.00"),
        )
    return result
