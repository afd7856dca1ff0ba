import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community_admin.core.models import AuditLog
from community_admin.ledgers import catalogue, fields, periods, services
from community_admin.ledgers.models import LedgerBook, LedgerCategory, LedgerEntryRevision
from tests.factories import PersonFactory

DISPUTE = {"found_on": "2025-01-02", "parties": "王某与李某", "kind": "邻里纠纷", "result": "调解成功"}


def test_catalogue_has_the_reports_15_categories_and_40_plus_books(books):
    assert LedgerCategory.objects.count() == 15
    assert [c for c, _, _ in catalogue.CATALOGUE][:2] == ["DJ", "WM"]
    assert len(books) >= 40
    assert books["floating_population"].owner_police_station
    assert books["disabled_persons"].owner_department.code == "CL"
    assert services.catalogue_install() == (0, 0)  # safe to run again
    for book in books.values():
        book.full_clean()  # every book of the catalogue meets the model's constraints


def test_the_database_refuses_a_catalogue_book_that_breaks_a_constraint(books):
    book = books["zz_disputes"]
    book.owner_police_station = True  # two owners
    with pytest.raises(ValidationError, match="责任部门"):
        book.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        book.save()


def test_entry_is_typed_against_the_columns_and_keeps_history(world, books):
    entry = services.entry_create(
        actor=world.committee_user, book=books["zz_disputes"], committee=world.committee_a1, data=DISPUTE
    )
    assert entry.period.key == periods.current_key("monthly", timezone.localdate())
    services.entry_update(actor=world.committee_user, entry=entry, data={"result": "调解中"})
    services.entry_remove(actor=world.committee_user, entry=entry)
    actions = list(
        LedgerEntryRevision.objects.filter(entry=entry).order_by("id").values_list("action", "changed")
    )
    assert actions == [("create", sorted(DISPUTE)), ("update", ["result"]), ("remove", [])]
    assert AuditLog.objects.filter(action__startswith="ledger_entry.").count() == 3


def test_unknown_and_invalid_fields_are_refused_one_message_per_field(world, books):
    with pytest.raises(ValidationError) as caught:
        services.entry_create(
            actor=world.committee_user,
            book=books["zz_patrols"],
            committee=world.committee_a1,
            data={"patrolled_on": "2099-01-01", "patrollers": "三个", "colour": "红", "area": "x" * 201},
        )
    assert caught.value.message_dict == {
        "patrolled_on": [fields.ERR_DATE_FUTURE],
        "patrollers": [fields.ERR_NUMBER],
        "colour": [fields.ERR_UNKNOWN_FIELD],
        "area": [fields.ERR_TOO_LONG.format(limit=200)],
    }
    with pytest.raises(ValidationError) as caught:
        services.entry_create(
            actor=world.committee_user,
            book=books["zz_disputes"],
            committee=world.committee_a1,
            data={**DISPUTE, "kind": "打架", "parties": ""},
        )
    assert set(caught.value.message_dict) == {"kind", "parties"}
    assert caught.value.message_dict["parties"] == [fields.ERR_REQUIRED]


def test_person_links_must_be_visible_to_the_entering_user_and_in_the_committee(world, books):
    here = PersonFactory(household__committee=world.committee_a1)
    elsewhere = PersonFactory(household__committee=world.committee_a2)
    data = {"amount": 300, "granted_on": "2025-01-03", "reason": "突发重病"}
    for person in (elsewhere.pk, 987654):
        with pytest.raises(ValidationError) as caught:
            services.entry_create(
                actor=world.committee_user,
                book=books["mz_relief"],
                committee=world.committee_a1,
                data={**data, "person": person},
            )
        assert caught.value.message_dict == {"person": [fields.ERR_PERSON]}
    entry = services.entry_create(
        actor=world.committee_user,
        book=books["mz_relief"],
        committee=world.committee_a1,
        data={**data, "person": here.pk},
    )
    assert entry.data["person"] == here.pk


def test_derived_books_take_no_entries(world, books):
    with pytest.raises(ValidationError, match=services.ERR_DERIVED_NO_ENTRIES):
        services.entry_create(
            actor=world.committee_user, book=books["party_members"], committee=world.committee_a1, data={}
        )


def test_closed_period_locks_entries_and_only_the_street_reopens_it_with_a_reason(world, books):
    book = books["zz_disputes"]
    entry = services.entry_create(
        actor=world.committee_user, book=book, committee=world.committee_a1, data=DISPUTE
    )
    period = services.period_close(
        actor=world.committee_user, book=book, committee=world.committee_a1, period_key=""
    )
    assert period.closed and period.closed_by == world.committee_user
    with pytest.raises(ValidationError, match="已关账"):
        services.entry_update(actor=world.committee_user, entry=entry, data={"result": "调解中"})
    with pytest.raises(ValidationError, match="已关账"):
        services.entry_create(
            actor=world.committee_user, book=book, committee=world.committee_a1, data=DISPUTE
        )
    with pytest.raises(ValidationError, match="已关账"):
        services.entry_remove(actor=world.committee_user, entry=entry)
    with pytest.raises(ValidationError, match=services.ERR_REOPEN_STREET_ONLY):
        services.period_reopen(actor=world.committee_user, period=period, reason="更正")
    with pytest.raises(ValidationError):
        services.period_reopen(actor=world.street_user, period=period, reason="  ")
    services.period_reopen(actor=world.street_user, period=period, reason="更正调处结果")
    log = AuditLog.objects.get(action="ledger_period.reopen")
    assert log.details["reason"] == "更正调处结果" and log.actor == world.street_user
    services.entry_update(actor=world.committee_user, entry=entry, data={"result": "调解中"})


def test_period_keys_follow_the_books_period(books):
    today = timezone.localdate()
    book = books["zz_disputes"]
    assert periods.clean_key(book, "2025-03", today=today) == "2025-03"
    for bad in ("2025Q1", "2025-13", "03-2025"):
        with pytest.raises(ValidationError):
            periods.clean_key(book, bad, today=today)
    with pytest.raises(ValidationError, match="尚未开始"):
        periods.clean_key(book, f"{today.year + 1}-01", today=today)
    assert periods.label("quarterly", "2025Q2") == "2025年第2季度"
    with pytest.raises(ValidationError):
        periods.clean_key(books["wt_teams"], "2025", today=today)


def test_book_update_by_the_bureau_validates_columns(world, books):
    book = books["wt_teams"]
    with pytest.raises(ValidationError) as caught:
        services.book_update(
            actor=world.bureau,
            book=book,
            changes={"columns": [{"key": "Bad Key", "label": "x", "type": "text"}]},
        )
    assert "columns" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.book_update(actor=world.bureau, book=book, changes={"owner_police_station": True})
    services.book_update(actor=world.bureau, book=book, changes={"period": LedgerBook.Period.YEARLY})
    assert AuditLog.objects.filter(action="ledger_book.update", object_id=str(book.pk)).exists()
