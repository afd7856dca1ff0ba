from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from residents import services
from residents.models import Person, PersonEvent
from tests.factories import HouseholdFactory, PersonFactory

NUMBER = idnumbers.make("370202", date(1980, 3, 4), 123)  # sequence 123: odd, a man


def register(world, household, **kwargs):
    defaults = {"name": "王建国", "id_number": NUMBER, "relationship": "head"}
    return services.person_register(actor=world.committee_user, household=household, **{**defaults, **kwargs})


def test_sex_and_birth_date_come_from_the_id_number(world, household_a1):
    person = register(world, household_a1, id_number=NUMBER.lower().replace("x", "x") + " ")
    assert (person.sex, person.birth_date, person.id_number) == ("M", date(1980, 3, 4), NUMBER)
    assert person.committee == world.committee_a1
    event = person.events.get()
    assert event.kind == PersonEvent.Kind.REGISTER and event.to_household == household_a1
    row = AuditLog.objects.get(action="person.register")
    assert row.actor == world.committee_user and NUMBER not in str(row.details)


def test_an_invalid_id_number_is_refused_naming_the_field(world, household_a1):
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1, id_number=NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1"))
    assert exc.value.message_dict["id_number"] == [idnumbers.ERR_CHECK]
    assert not Person.objects.exists()


def test_a_duplicate_in_the_same_committee_names_the_person(world, household_a1):
    register(world, household_a1)
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1, name="另一人")
    assert exc.value.message_dict["id_number"] == [services.ERR_DUPLICATE_HERE.format(name="王建国")]


def test_a_duplicate_elsewhere_in_the_district_leaks_nothing(world, household_a1):
    PersonFactory(household__committee=world.committee_b1, id_number=NUMBER, name="赵秘密")
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1)
    message = exc.value.message_dict["id_number"][0]
    assert message == services.ERR_DUPLICATE_ELSEWHERE
    assert "赵秘密" not in message and world.committee_b1.name not in message


def test_a_person_who_moved_out_can_be_registered_again(world, household_a1):
    person = register(world, household_a1)
    services.person_move_out(actor=world.committee_user, person=person, happened_on=timezone.localdate())
    other = HouseholdFactory(committee=world.committee_b1)
    again = services.person_register(
        actor=world.bureau,
        household=other,
        name="王建国",
        id_number=NUMBER,
        relationship="head",
        moved_in_on=timezone.localdate(),
    )
    assert again.events.get().kind == PersonEvent.Kind.MOVE_IN
    assert Person.objects.filter(id_number=NUMBER).count() == 2


def test_departments_register_floating_people_only(world):
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    with pytest.raises(ValidationError) as exc:
        services.person_register(
            actor=world.department_user, household=household, name="刘", id_number=NUMBER, relationship="head"
        )
    assert "status" in exc.value.message_dict
    person = services.person_register(
        actor=world.department_user,
        household=household,
        name="刘",
        id_number=NUMBER,
        relationship="head",
        status="floating",
        residence_permit_number="370200123456",
    )
    assert person.status == "floating"


def test_disability_needs_both_certificate_and_level(world, household_a1):
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1, disability_certificate="1234567")
    assert exc.value.message_dict["disability_level"] == [services.ERR_DISABILITY_PAIR]


def test_residence_permit_only_for_floating_people(world, household_a1):
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1, residence_permit_number="X1")
    assert "residence_permit_number" in exc.value.message_dict


def test_move_out_keeps_the_record_with_history_and_audit(world, household_a1):
    person = register(world, household_a1)
    day = timezone.localdate() - timedelta(days=3)
    services.person_move_out(
        actor=world.committee_user, person=person, happened_on=day, destination="迁往外省"
    )
    person.refresh_from_db()
    assert person.status == Person.Status.MOVED_OUT
    event = person.events.get(kind=PersonEvent.Kind.MOVE_OUT)
    assert (event.happened_on, event.from_household, event.note) == (day, household_a1, "迁往外省")
    assert AuditLog.objects.filter(action="person.move_out", object_id=str(person.pk)).exists()
    with pytest.raises(ValidationError, match=services.ERR_NOT_ACTIVE):
        services.person_record_death(actor=world.committee_user, person=person, happened_on=day)


def test_death_is_recorded_not_deleted(world, household_a1):
    person = register(world, household_a1)
    services.person_record_death(actor=world.committee_user, person=person, happened_on=timezone.localdate())
    assert Person.objects.get(pk=person.pk).status == Person.Status.DECEASED


@pytest.mark.parametrize("days", [1, -20000])
def test_event_dates_must_be_real(world, household_a1, days):
    person = register(world, household_a1)
    with pytest.raises(ValidationError) as exc:
        services.person_move_out(
            actor=world.committee_user, person=person, happened_on=timezone.localdate() + timedelta(days=days)
        )
    assert "happened_on" in exc.value.message_dict
    assert Person.objects.get(pk=person.pk).status == Person.Status.REGISTERED


def test_transfer_to_another_committee_moves_the_committee_too(world, household_a1):
    person = register(world, household_a1)
    target = HouseholdFactory(committee=world.committee_a2)
    services.person_transfer(
        actor=world.street_user, person=person, to_household=target, happened_on=timezone.localdate()
    )
    person.refresh_from_db()
    assert (person.household, person.committee) == (target, world.committee_a2)
    event = person.events.get(kind=PersonEvent.Kind.TRANSFER)
    assert (event.from_committee, event.to_committee) == (world.committee_a1, world.committee_a2)
    with pytest.raises(ValidationError):
        services.person_transfer(
            actor=world.street_user, person=person, to_household=target, happened_on=timezone.localdate()
        )


def test_update_revalidates_a_corrected_id_number_and_audits_masked(world, household_a1):
    person = register(world, household_a1)
    corrected = idnumbers.make("370202", date(1981, 3, 4), 124)
    services.person_update(
        actor=world.committee_user, person=person, changes={"id_number": corrected, "phone": "123"}
    )
    person.refresh_from_db()
    assert (person.birth_date, person.sex) == (date(1981, 3, 4), "F")
    details = AuditLog.objects.get(action="person.update").details
    assert corrected not in str(details) and idnumbers.mask(corrected) in str(details)
    with pytest.raises(ValidationError):
        services.person_update(actor=world.committee_user, person=person, changes={"committee": 1})


def test_reveal_returns_the_full_number_and_is_audited(world, household_a1):
    person = register(world, household_a1)
    assert services.person_reveal_id(
        actor=world.committee_user, person=person, reason="办理低保"
    ) == services.Revealed(id_number=NUMBER)
    row = AuditLog.objects.get(action="person.reveal_id")
    assert row.details == {"reason": "办理低保", "fields": ["id_number"]} and row.object_id == str(person.pk)


def test_the_reveal_shows_the_disability_certificate_only_to_the_roles_that_see_it(world, household_a1):
    person = register(world, household_a1, disability_certificate=f"{NUMBER}12", disability_level=2)
    revealed = services.person_reveal_id(actor=world.committee_user, person=person, reason="办理残疾补贴")
    assert revealed.disability_certificate == f"{NUMBER}12"
    hidden = services.person_reveal_id(actor=world.department_user, person=person, reason="核对")
    # departments do not hold residents.reveal_id (the views check it); the service alone still keeps it back
    assert hidden == services.Revealed(id_number=NUMBER)
    fields = [r.details["fields"] for r in AuditLog.objects.filter(action="person.reveal_id").order_by("id")]
    assert fields == [["id_number", "disability_certificate"], ["id_number"]]


def test_a_masked_number_sent_back_is_unchanged(world, household_a1):
    person = register(world, household_a1, disability_certificate=f"{NUMBER}12", disability_level=2)
    services.person_update(
        actor=world.committee_user,
        person=person,
        changes={"disability_certificate": person.disability_certificate_masked, "phone": "13800000000"},
    )
    person.refresh_from_db()
    assert person.disability_certificate == f"{NUMBER}12"
    assert set(AuditLog.objects.get(action="person.update").details) == {"phone"}


def test_household_numbers_are_unique_per_committee(world, household_a1):
    with pytest.raises(ValidationError) as exc:
        services.household_create(
            actor=world.committee_user,
            committee=world.committee_a1,
            number="A1-001",
            building="1号楼",
            room="1",
            housing_type="owned",
        )
    assert exc.value.message_dict["number"] == [services.ERR_HOUSEHOLD_NUMBER_TAKEN]
    other = services.household_create(
        actor=world.street_user,
        committee=world.committee_a2,
        number="A1-001",
        building="1号楼",
        room="1",
        housing_type="owned",
    )
    assert other.committee == world.committee_a2
