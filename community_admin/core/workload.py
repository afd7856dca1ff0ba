"""Administrative load counters. An app whose work is administration pushed onto committees (admitted tasks,
certificates, ledger entries …) declares a counter in its own `workload.py` with `register(LoadCounter(...))`;
`CoreConfig.ready` imports every app's `workload.py`, so no reader imports those apps by name.

A counter answers one question in one query: how many units of its work each of the given committees did in
a period. `hours_each` is the standard staff time one unit takes, so loads of different kinds add up to
hours and can stand beside the time spent serving residents."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise

# (committee ids, first day, last day, both inclusive) -> {committee id: units}; committees without work may be absent.
CountFunction = Callable[[list[int], date, date], dict[int, int]]


@dataclass(frozen=True)
class LoadCounter:
    name: str  # "<app label>.<what>", e.g. "tasks.admitted"
    label: str | Promise  # what people read, e.g. "准入事项"
    count: CountFunction
    hours_each: Decimal = Decimal("1")


_counters: dict[str, LoadCounter] = {}


def register(counter: LoadCounter) -> LoadCounter:
    if counter.name in _counters and _counters[counter.name] is not counter:
        raise ValueError(f"load counter {counter.name!r} is registered twice")
    if counter.hours_each < 0:
        raise ValueError(f"load counter {counter.name!r}: hours_each must not be negative")
    _counters[counter.name] = counter
    return counter


def unregister(name: str) -> None:
    _counters.pop(name, None)


def all_counters() -> list[LoadCounter]:
    return sorted(_counters.values(), key=lambda c: c.name)


def counts(committee_ids: Iterable[int], start: date, end: date) -> dict[str, dict[int, int]]:
    """Every registered counter's units per committee for the period: one query per counter, whatever the
    number of committees."""
    ids = list(committee_ids)
    if not ids:
        return {c.name: {} for c in all_counters()}
    return {c.name: dict(c.count(ids, start, end)) for c in all_counters()}


def moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's first and last days as [from, to) moments in the local time zone, for counters over a
    timestamp: a range on the column itself uses its index (a `__date` lookup would not)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def per_committee(queryset, field: str = "committee_id") -> dict[int, int]:
    """Rows of `queryset` per committee (`field` names the committee's id), in one grouped query."""
    rows = queryset.values(field).annotate(units=Count("pk")).order_by()
    return {row[field]: row["units"] for row in rows}
