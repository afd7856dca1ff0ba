from datetime import date

from django.utils import timezone

from community_admin.accounts.models import Role
from community_admin.ledgers import selectors, services
from community_admin.residents.models import Person
from tests.factories import PersonFactory, UserFactory
from tests.ledgers.test_services import DISPUTE


def _born(years_ago: int, today: date) -> date:
    return today.replace(year=today.year - years_ago, day=1)


def test_derived_books_are_live_views_over_the_registry(world, books):
    veteran = PersonFactory(household__committee=world.committee_a1, veteran=True)
    PersonFactory(household__committee=world.committee_a1)
    book = books["veterans"]
    assert list(selectors.derived_persons(world.committee_user, book, world.committee_a1)) == [veteran]
    Person.objects.filter(pk=veteran.pk).update(status=Person.Status.MOVED_OUT)
    assert not selectors.derived_persons(world.committee_user, book, world.committee_a1).exists()


def test_sensitive_derived_books_only_for_sensitive_roles_and_the_owner(
    world, books, disability_user, labour_user
):
    disabled = PersonFactory(
        household__committee=world.committee_a1, disability_certificate="D1", disability_level=2
    )
    book = books["disabled_persons"]
    assert list(selectors.derived_persons(world.committee_user, book, world.committee_a1)) == [disabled]
    assert list(selectors.derived_persons(disability_user, book, world.committee_a1)) == [disabled]
    assert not selectors.book_list(labour_user).filter(pk=book.pk).exists()
    assert not selectors.derived_persons(labour_user, book, world.committee_a1).exists()


def test_departments_see_their_own_books_police_the_station_books(world, books, labour_user):
    police_books = set(selectors.book_list(world.department_user).values_list("code", flat=True))
    assert "floating_population" in police_books and "zz_rented_housing" in police_books
    assert "mz_relief" not in police_books
    assert set(selectors.book_list(labour_user).values_list("owner_department__code", flat=True)) == {"RS"}
    committees = selectors.book_committees(world.department_user, books["floating_population"])
    assert set(committees.values_list("code", flat=True)) == {"A1", "A2"}  # the streets the station serves


def test_childbearing_and_elderly_books_follow_age_and_marriage(world, books):
    women = PersonFactory(household__committee=world.committee_a1, marital_status="married")
    Person.objects.filter(pk=women.pk).update(sex="F", birth_date=_born(30, timezone.localdate()))
    old = PersonFactory(household__committee=world.committee_a1)
    Person.objects.filter(pk=old.pk).update(birth_date=_born(85, timezone.localdate()))
    user = world.committee_user
    assert list(selectors.derived_persons(user, books["childbearing_women"], world.committee_a1)) == [women]
    assert list(selectors.derived_persons(user, books["elderly_80"], world.committee_a1)) == [old]
    assert old in selectors.derived_persons(user, books["elderly_60"], world.committee_a1)


def test_burden_counts_books_entries_and_registry_share_in_bounded_queries(
    world, books, django_assert_max_num_queries
):
    member = PersonFactory(household__committee=world.committee_a1, party_member=True, veteran=True)
    Person.objects.filter(pk=member.pk).update(birth_date=_born(40, timezone.localdate()))  # in no age book
    for _ in range(3):
        services.entry_create(
            actor=world.committee_user, book=books["zz_disputes"], committee=world.committee_a1, data=DISPUTE
        )
    with django_assert_max_num_queries(6):
        rows = {b.committee.code: b for b in selectors.committee_burden(world.bureau)}
    derived = sum(1 for b in books.values() if b.is_derived)
    a1 = rows["A1"]
    assert (a1.entries_typed, a1.manual_books_kept, a1.derived_books, a1.registry_rows) == (3, 1, derived, 2)
    assert a1.books_kept == derived + 1 and abs(a1.registry_share - 0.4) < 1e-9
    assert rows["A2"].entries_typed == 0 and rows["A2"].registry_share == 0.0
    assert set(rows) == {"A1", "A2", "B1"}
    street = UserFactory(username="t-street-b", role=Role.STREET, street=world.street_b)
    assert [b.committee.code for b in selectors.committee_burden(street)] == ["B1"]
