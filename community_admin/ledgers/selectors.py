"""Reads of the ledgers, scoped to who asks. Departments see only the books they own, in the committees
they serve; the bureau, streets and committees see every book of the committees they see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.core import idnumbers
from community_admin.ledgers.derived import DERIVATIONS
from community_admin.ledgers.models import LedgerBook, LedgerEntry, LedgerEntryRevision, LedgerPeriod
from community_admin.org.models import Committee, Department
from community_admin.residents import selectors as registry
from community_admin.residents.models import Person


def book_list(user) -> QuerySet[LedgerBook]:
    books = LedgerBook.objects.select_related("category", "owner_department").filter(active=True)
    if not getattr(user, "is_authenticated", False):
        return books.none()
    if user.role == Role.DEPARTMENT:
        department = user.department
        if department is None:
            return books.none()
        owned = Q(owner_department_id=department.pk)
        if department.kind == Department.Kind.POLICE:
            owned |= Q(owner_police_station=True)
        return books.filter(owned)
    return books


def catalogue(user) -> QuerySet[LedgerBook]:
    """Every book, inactive ones too: the bureau's catalogue page."""
    if getattr(user, "role", None) != Role.BUREAU:
        return LedgerBook.objects.none()
    return LedgerBook.objects.select_related("category", "owner_department")


def book_committees(user, book: LedgerBook) -> QuerySet[Committee]:
    """The committees whose copy of `book` the user sees (a police station: the streets it serves)."""
    return (
        scoping.visible_committees(user)
        .select_related("street")
        .prefetch_related("street__departments")
        .order_by("street__code", "code")
    )


def can_see_sensitive(user, book: LedgerBook) -> bool:
    """The registry's sensitive roles, and the department that owns the book. The owner is the department
    whose statutory work the data is (区残联 issues disability certificates, 区民政局 administers the
    minimum allowance): a book it owns is its own register, read through the committees it serves."""
    if registry.can_see_sensitive(user):
        return True
    return (
        getattr(user, "role", None) == Role.DEPARTMENT
        and book.owner_department_id is not None
        and book.owner_department_id == user.department_id
    )


def derived_base(user, book: LedgerBook, committee: Committee) -> QuerySet[Person]:
    """The registry people a derived book at `committee` is built from (none if the user may not read them)."""
    derivation = DERIVATIONS[book.derived_key]
    if derivation.sensitive and not can_see_sensitive(user, book):
        return Person.objects.none()
    return scoping.scope_by_committee(Person.objects.filter(committee=committee), user)


def derived_persons(user, book: LedgerBook, committee: Committee) -> QuerySet[Person]:
    """The rows of a derived book at one committee: a live view over the registry."""
    persons = derived_base(user, book, committee)
    return DERIVATIONS[book.derived_key].queryset(persons, timezone.localdate()).select_related("household")


def entry_list(user) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.filter(removed=False, period__book__in=book_list(user))
    return scoping.scope_by_committee(
        entries.select_related("period", "period__book", "period__committee"), user, field="period__committee"
    ).order_by("period_id", "id")


def book_entries(user, book: LedgerBook, committee: Committee, key: str) -> QuerySet[LedgerEntry]:
    return entry_list(user).filter(period__book=book, period__committee=committee, period__key=key)


def period_list(user) -> QuerySet[LedgerPeriod]:
    periods = LedgerPeriod.objects.filter(book__in=book_list(user)).select_related("book", "committee")
    return scoping.scope_by_committee(periods, user)


def find_period(book: LedgerBook, committee: Committee, key: str) -> LedgerPeriod | None:
    return LedgerPeriod.objects.filter(book=book, committee=committee, key=key).first()


def entry_history(entry: LedgerEntry) -> QuerySet[LedgerEntryRevision]:
    return entry.revisions.select_related("actor")


def linkable_persons(user, committee: Committee) -> QuerySet[Person]:
    """Who a manual entry at `committee` may name: the committee's people that the entering user sees."""
    return registry.person_list(user).filter(committee=committee)


def person_labels(person_ids) -> dict[int, str]:
    """ "姓名（masked ID）" for person columns, in one query."""
    ids = {i for i in person_ids if isinstance(i, int)}
    if not ids:
        return {}
    return {
        pk: f"{name}（{idnumbers.mask(number)}）"
        for pk, name, number in Person.objects.filter(pk__in=ids).values_list("pk", "name", "id_number")
    }


@dataclass(frozen=True)
class Burden:
    """What the ledgers cost one committee in a year: the report's "15 categories, 40+ books", measured."""

    committee: Committee
    books_kept: int  # active books: every derived one, and each manual one with entries this year
    manual_books_kept: int
    derived_books: int
    entries_typed: int  # manual entries created this year
    registry_rows: int  # rows the registry fills in the derived books today

    @property
    def registry_share(self) -> float:
        total = self.entries_typed + self.registry_rows
        return self.registry_rows / total if total else 0.0


def committee_burden(user, *, year: int | None = None, committees=None) -> list[Burden]:
    """One row per committee the user sees; five queries whatever the number of committees."""
    today = timezone.localdate()
    year = year or today.year
    start = timezone.make_aware(timezone.datetime(year, 1, 1))
    end = timezone.make_aware(timezone.datetime(year + 1, 1, 1))
    rows = list(
        (committees if committees is not None else scoping.visible_committees(user))
        .select_related("street")
        .order_by("street__code", "code")
    )
    books = list(
        book_list(user).select_related(None).only("id", "source", "derived_key", "owner_department_id")
    )
    derived = [b for b in books if b.is_derived and b.derived_key in DERIVATIONS]
    manual_ids = [b.pk for b in books if not b.is_derived]
    typed: dict[int, int] = {}
    kept: dict[int, int] = {}
    for committee_id, entries, kept_books in (
        LedgerEntry.objects.filter(
            removed=False,
            period__book_id__in=manual_ids,
            period__committee__in=[c.pk for c in rows],
            created_at__gte=start,
            created_at__lt=end,
        )
        .order_by()
        .values_list("period__committee")
        .annotate(n=Count("id"), books=Count("period__book", distinct=True))
    ):
        typed[committee_id], kept[committee_id] = entries, kept_books
    filled = _registry_rows(user, derived, [c.pk for c in rows], today)
    return [
        Burden(
            committee=c,
            books_kept=len(derived) + kept.get(c.pk, 0),
            manual_books_kept=kept.get(c.pk, 0),
            derived_books=len(derived),
            entries_typed=typed.get(c.pk, 0),
            registry_rows=filled.get(c.pk, 0),
        )
        for c in rows
    ]


def _registry_rows(user, books: list[LedgerBook], committee_ids: list[int], today: date) -> dict[int, int]:
    """Rows of all derived books per committee, in one aggregate over the registry."""
    counts = {}
    for book in books:
        derivation = DERIVATIONS[book.derived_key]
        if derivation.sensitive and not can_see_sensitive(user, book):
            continue
        counts[f"b{book.pk}"] = Count("id", filter=derivation.condition(today))
    if not counts or not committee_ids:
        return {}
    result = (
        Person.objects.filter(committee_id__in=committee_ids, status__in=Person.ACTIVE_STATUSES)
        .order_by()
        .values("committee_id")
        .annotate(**counts)
    )
    return {row.pop("committee_id"): sum(row.values()) for row in result}


ERR_PERSON_NOT_FOUND = "找不到此人：请填写本社区人员的公民身份号码或姓名。"
ERR_PERSON_AMBIGUOUS = "本社区有多人叫“{name}”，请填写公民身份号码。"


def find_linkable_person(user, committee: Committee, text: str) -> int:
    """A person typed on a page (full ID number, or a name unique in the committee) -> id; ValueError(message)."""
    persons = linkable_persons(user, committee)
    text = text.strip()
    try:
        number = idnumbers.parse(text, allow_legacy=True).value
    except idnumbers.InvalidIdNumber:
        matches = list(persons.filter(name=text).values_list("pk", flat=True)[:2])
        if len(matches) > 1:
            raise ValueError(ERR_PERSON_AMBIGUOUS.format(name=text)) from None
    else:
        matches = list(persons.filter(id_number=number).values_list("pk", flat=True)[:1])
    if not matches:
        raise ValueError(ERR_PERSON_NOT_FOUND)
    return matches[0]
