"""Reads of the registry, always scoped to who asks (accounts.scoping)."""

from datetime import date

from django.db.models import Case, QuerySet, Value, When

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.residents.models import Household, Person, PersonEvent, RegistrationConflict

# Disability and the minimum living allowance are shown only to the roles whose work needs them.
SENSITIVE_ROLES = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})
SENSITIVE_FIELDS = ("disability_certificate", "disability_level", "minimum_allowance")


def can_see_sensitive(user) -> bool:
    return getattr(user, "role", None) in SENSITIVE_ROLES


def person_list(user) -> QuerySet[Person]:
    return scoping.scope_by_committee(Person.objects.select_related("household", "committee"), user).order_by(
        "committee_id", "household_id", "id"
    )


def person_search_by_id_number(user, number: str) -> QuerySet[Person]:
    """Every record (current ones first) with this full, normalised ID number among the people `user` sees: the
    search that is posted, never put in a URL. Another unit's record is not found, as if missing."""
    current = Case(When(status__in=Person.ACTIVE_STATUSES, then=Value(0)), default=Value(1))
    return person_list(user).filter(id_number=number).order_by(current, "-id")


def person_list_paged(user) -> QuerySet[Person]:
    """`person_list` for a page of a list (the page and the API): the page's households are fetched by id in a
    second query. Joined, PostgreSQL merges the page with the whole households index for the later committees of
    the district (65 ms a page at full scale, against 1 ms)."""
    return person_list(user).select_related(None).select_related("committee").prefetch_related("household")


def household_list(user) -> QuerySet[Household]:
    return scoping.scope_by_committee(Household.objects.select_related("committee"), user).order_by(
        "committee_id", "number"
    )


def person_history(person: Person) -> QuerySet[PersonEvent]:
    return person.events.select_related(
        "from_committee", "to_committee", "from_household", "to_household", "actor__department"
    )


def birth_date_bounds(
    *, age_min: int | None, age_max: int | None, today: date
) -> tuple[date | None, date | None]:
    """People aged at least `age_min` were born on or before the first bound; at most `age_max`, after the second."""
    latest = _years_before(today, age_min) if age_min is not None else None
    earliest = _years_before(today, age_max + 1) if age_max is not None else None
    return latest, earliest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def registration_conflicts(user) -> QuerySet[RegistrationConflict]:
    """Held registrations of the committees `user` sees (the registering committee's street, the bureau)."""
    return scoping.scope_by_committee(
        RegistrationConflict.objects.select_related(
            "committee", "person_committee", "person", "requested_by", "resolved_by"
        ),
        user,
    )
