from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.residents import selectors, services
from community_admin.residents.models import Person, PersonEvent, RegistrationConflict
from tests.factories import HouseholdFactory, PersonFactory, UserFactory

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


def test_a_duplicate_in_a_committee_the_registrar_does_not_see_is_held_neutrally(world, household_a1):
    """Issue 23, finding 5: committee A1 may not learn that a number is registered in B1. It gets the neutral
    refusal; the conflict and an audit row (masked number, where it is registered) are kept for the street."""
    held = PersonFactory(household__committee=world.committee_b1, id_number=NUMBER, name="赵秘密")
    with pytest.raises(ValidationError) as exc:
        register(world, household_a1, name="王建国")
    message = exc.value.message_dict["id_number"][0]
    assert message == services.ERR_DUPLICATE_HELD != services.ERR_DUPLICATE_ELSEWHERE
    assert "赵秘密" not in message and world.committee_b1.name not in message and "其他社区" not in message
    assert Person.objects.filter(id_number=NUMBER).count() == 1
    conflict = RegistrationConflict.objects.get()
    assert (conflict.committee, conflict.person, conflict.person_committee) == (
        world.committee_a1,
        held,
        world.committee_b1,
    )
    assert (conflict.requested_by, conflict.submitted_name, conflict.status) == (
        world.committee_user,
        "王建国",
        "open",
    )
    row = AuditLog.objects.get(action="person.register_held")
    assert row.actor == world.committee_user and row.result == AuditLog.Result.DENIED
    assert row.details == {"source": "register", "id_number": idnumbers.mask(NUMBER), "registered_in": "B1"}
    assert NUMBER not in str(row.details)
    with pytest.raises(ValidationError):  # asking again adds no second open conflict, but is audited again
        register(world, household_a1)
    assert RegistrationConflict.objects.count() == 1
    assert AuditLog.objects.filter(action="person.register_held").count() == 2


def test_registered_elsewhere_is_said_to_whoever_sees_that_committee(world, household_a1):
    PersonFactory(household__committee=world.committee_a2, id_number=NUMBER)
    for actor in (world.street_user, world.bureau):
        with pytest.raises(ValidationError) as exc:
            services.person_register(
                actor=actor, household=household_a1, name="王", id_number=NUMBER, relationship="head"
            )
        assert exc.value.message_dict["id_number"] == [services.ERR_DUPLICATE_ELSEWHERE]
    assert not RegistrationConflict.objects.exists()
    with pytest.raises(ValidationError) as exc:  # committee A1 does not see A2
        register(world, household_a1)
    assert exc.value.message_dict["id_number"] == [services.ERR_DUPLICATE_HELD]


def test_a_police_station_is_told_elsewhere_only_inside_its_streets(world):
    floating = HouseholdFactory(committee=world.committee_a1, kind="floating")
    in_b = idnumbers.make("410102", date(1990, 1, 1), 21)
    PersonFactory(household__committee=world.committee_a2, id_number=NUMBER)
    PersonFactory(household__committee=world.committee_b1, id_number=in_b)
    answers = {}
    for number in (NUMBER, in_b):
        with pytest.raises(ValidationError) as exc:
            services.person_register(
                actor=world.department_user,
                household=floating,
                name="外来",
                id_number=number,
                relationship="head",
                status="floating",
            )
        answers[number] = exc.value.message_dict["id_number"]
    assert answers == {NUMBER: [services.ERR_DUPLICATE_ELSEWHERE], in_b: [services.ERR_DUPLICATE_HELD]}
    conflict = RegistrationConflict.objects.get()
    assert conflict.committee == world.committee_a1 and conflict.person_committee == world.committee_b1


def test_correcting_an_id_number_to_one_held_elsewhere_is_held_too(world, household_a1):
    PersonFactory(household__committee=world.committee_b1, id_number=NUMBER)
    person = register(world, household_a1, id_number=idnumbers.make("370202", date(1981, 1, 1), 11))
    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=world.committee_user, person=person, changes={"id_number": NUMBER})
    assert exc.value.message_dict["id_number"] == [services.ERR_DUPLICATE_HELD]
    assert RegistrationConflict.objects.get().source == "update"
    person.refresh_from_db()
    assert person.id_number != NUMBER


def test_the_street_resolves_a_conflict_once_audited(world, household_a1):
    PersonFactory(household__committee=world.committee_b1, id_number=NUMBER)
    with pytest.raises(ValidationError):
        register(world, household_a1)
    conflict = RegistrationConflict.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.registration_conflict_resolve(actor=world.street_user, conflict=conflict, resolution="  ")
    assert exc.value.message_dict == {"resolution": [services.ERR_CONFLICT_RESOLUTION]}
    services.registration_conflict_resolve(
        actor=world.street_user, conflict=conflict, resolution="已联系乙一社区，该人员将办理迁出"
    )
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolved_by) == ("resolved", world.street_user)
    row = AuditLog.objects.get(action="registration_conflict.resolve")
    assert row.actor == world.street_user and row.details["registered_in"] == "B1"
    assert row.details["id_number"] == idnumbers.mask(NUMBER)
    with pytest.raises(ValidationError) as exc:
        services.registration_conflict_resolve(actor=world.bureau, conflict=conflict, resolution="再次")
    assert exc.value.messages == [services.ERR_CONFLICT_RESOLVED]
    with pytest.raises(ValidationError):  # resolved: a new attempt opens a new conflict
        register(world, household_a1)
    assert RegistrationConflict.objects.filter(status="open").count() == 1


def test_conflicts_are_listed_to_the_registering_street_and_the_bureau(world, household_a1):
    PersonFactory(household__committee=world.committee_b1, id_number=NUMBER)
    with pytest.raises(ValidationError):
        register(world, household_a1)
    street_b = UserFactory(username="t-street-b", role="street", street=world.street_b)
    seen = {
        u.username: selectors.registration_conflicts(u).count() for u in (world.street_user, world.bureau)
    }
    assert seen == {"t-street": 1, "t-bureau": 1}
    assert selectors.registration_conflicts(street_b).count() == 0


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


SENSITIVE_VALUES = {
    "disability_certificate": "37020219800304123X11",
    "disability_level": 1,
    "minimum_allowance": True,
}


@pytest.mark.parametrize("field", list(SENSITIVE_VALUES))
def test_a_department_may_not_register_a_sensitive_field_it_cannot_read(world, field):
    """Issue 23, finding 4: the police station may not read disability or the minimum allowance, so it may not
    write them either: a 400 naming the field, nothing written."""
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    values = {field: SENSITIVE_VALUES[field]}
    if field.startswith("disability"):  # a pair: the certificate with its level
        values = {k: SENSITIVE_VALUES[k] for k in ("disability_certificate", "disability_level")}
    with pytest.raises(ValidationError) as exc:
        services.person_register(
            actor=world.department_user,
            household=household,
            name="外来",
            id_number=NUMBER,
            relationship="head",
            status="floating",
            **values,
        )
    assert set(exc.value.message_dict) == set(values)
    label = Person._meta.get_field(field).verbose_name
    assert exc.value.message_dict[field] == [services.ERR_SENSITIVE_FIELD.format(label=label)]
    assert not Person.objects.exists() and not AuditLog.objects.filter(action="person.register").exists()


def test_a_department_registering_with_empty_sensitive_fields_writes_none(world):
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    person = services.person_register(
        actor=world.department_user,
        household=household,
        name="外来",
        id_number=NUMBER,
        relationship="head",
        status="floating",
        disability_certificate="",
        disability_level=None,
        minimum_allowance=False,
    )
    assert not person.disabled and not person.minimum_allowance


def test_a_sensitive_field_in_an_update_is_refused_for_any_value_to_those_who_cannot_read_it(
    world, household_a1
):
    person = register(world, household_a1)
    for value in (True, False):  # the stored value is False: refusing only a change would tell it
        with pytest.raises(ValidationError) as exc:
            services.person_update(
                actor=world.department_user, person=person, changes={"minimum_allowance": value}
            )
        assert list(exc.value.message_dict) == ["minimum_allowance"]
    assert not AuditLog.objects.filter(action="person.update").exists()


def test_the_registration_audit_names_every_field_written_without_sensitive_values(world, household_a1):
    register(
        world,
        household_a1,
        phone="13800000000",
        disability_certificate=SENSITIVE_VALUES["disability_certificate"],
        disability_level=1,
        minimum_allowance=True,
        party_member=True,
    )
    details = AuditLog.objects.get(action="person.register").details
    assert set(details["fields"]) == {
        "name",
        "id_number",
        "relationship",
        "status",
        "phone",
        "disability_certificate",
        "disability_level",
        "minimum_allowance",
        "party_member",
    }
    assert SENSITIVE_VALUES["disability_certificate"] not in str(details) and NUMBER not in str(details)


def test_the_update_audit_masks_sensitive_values_but_names_the_fields(world, household_a1):
    person = register(world, household_a1)
    services.person_update(
        actor=world.committee_user,
        person=person,
        changes={"disability_certificate": SENSITIVE_VALUES["disability_certificate"], "disability_level": 2},
    )
    details = AuditLog.objects.get(action="person.update").details
    assert details == {"disability_certificate": ["", "***"], "disability_level": [None, "***"]}


def test_household_creation_audits_every_field_written(world):
    household = services.household_create(
        actor=world.committee_user,
        committee=world.committee_a1,
        number="H9",
        building="3号楼",
        unit="1",
        room="101",
        housing_type="owned",
    )
    details = AuditLog.objects.get(action="household.create", object_id=str(household.pk)).details
    assert details == {
        "committee": "A1",
        "number": "H9",
        "building": "3号楼",
        "unit": "1",
        "room": "101",
        "housing_type": "owned",
        "kind": "registered",
    }


# Floating residents as the police station keeps them (issue 16, item 6): the outflow and the residence permit.


@pytest.fixture
def floating(world):
    """A floating resident of committee A1, whose residence permit is numbered by the ID number."""
    person = PersonFactory(
        household__committee=world.committee_a1, household__kind="floating", status="floating"
    )
    person.residence_permit_number = person.id_number
    person.save(update_fields=["residence_permit_number"])
    return person


def test_the_police_records_a_floating_residents_outflow_as_the_registry_does(world, floating):
    from community_admin.ledgers.derived import DERIVATIONS
    from community_admin.org.selectors import registry_counts

    assert registry_counts([world.committee_a1.pk])[world.committee_a1.pk][2] == 1
    day = timezone.localdate() - timedelta(days=3)
    services.floating_move_out(
        actor=world.department_user,
        person=floating,
        happened_on=day,
        destination="河南省郑州市",
        to_committee=world.committee_b1,
        reason="务工合同到期",
    )
    floating.refresh_from_db()
    assert floating.status == Person.Status.MOVED_OUT and not floating.is_active
    event = floating.events.get(kind=PersonEvent.Kind.MOVE_OUT)
    assert (event.happened_on, event.note, event.to_committee, event.reason) == (
        day,
        "河南省郑州市",
        world.committee_b1,
        "务工合同到期",
    )
    assert event.actor == world.department_user and event.recorded_by == "由 甲街派出所 登记迁出"
    row = AuditLog.objects.get(action="person.move_out", object_id=str(floating.pk))
    assert row.actor == world.department_user and row.details["status"] == ["floating", "moved_out"]
    assert row.details["department"] == "PSA" and floating.id_number not in str(row.details)
    # the committee's counts and its floating-population book no longer hold the person
    assert world.committee_a1.pk not in registry_counts([world.committee_a1.pk])
    persons = selectors.person_list(world.committee_user)
    assert not DERIVATIONS["floating_population"].queryset(persons, timezone.localdate()).exists()


def test_a_committees_own_move_out_reads_the_same(world, household_a1):
    person = register(world, household_a1)
    person = services.person_move_out(
        actor=world.committee_user, person=person, happened_on=timezone.localdate()
    )
    event = person.events.get(kind=PersonEvent.Kind.MOVE_OUT)
    assert event.recorded_by == "" and person.status == Person.Status.MOVED_OUT
    assert AuditLog.objects.get(action="person.move_out").details["status"] == ["registered", "moved_out"]


@pytest.mark.parametrize("status", ["registered", "resident"])
def test_the_outflow_refuses_anyone_not_floating_naming_the_person(world, status):
    person = PersonFactory(household__committee=world.committee_a1, status=status)
    with pytest.raises(ValidationError) as refused:
        services.floating_move_out(
            actor=world.department_user, person=person, happened_on=timezone.localdate()
        )
    label = Person.Status(status).label
    assert refused.value.message_dict == {"person": [services.ERR_NOT_FLOATING.format(status=label)]}
    person.refresh_from_db()
    assert person.status == status and not person.events.exists()
    assert not AuditLog.objects.filter(action="person.move_out").exists()


def test_an_outflow_in_the_future_is_refused_and_writes_nothing(world, floating):
    with pytest.raises(ValidationError) as refused:
        services.floating_move_out(
            actor=world.department_user, person=floating, happened_on=timezone.localdate() + timedelta(days=1)
        )
    assert refused.value.message_dict == {"happened_on": [services.ERR_EVENT_DATE_FUTURE]}
    floating.refresh_from_db()
    assert floating.status == "floating" and not AuditLog.objects.filter(action="person.move_out").exists()


def test_a_retried_outflow_answers_again_and_writes_once(world, floating):
    day = timezone.localdate()
    for _ in range(2):
        person = services.floating_move_out(
            actor=world.department_user, person=floating, happened_on=day, destination="外省"
        )
        assert person.status == Person.Status.MOVED_OUT
    assert floating.events.filter(kind=PersonEvent.Kind.MOVE_OUT).count() == 1
    assert AuditLog.objects.filter(action="person.move_out").count() == 1
    with pytest.raises(ValidationError) as other:  # another outflow of someone gone is not a retry
        services.floating_move_out(
            actor=world.department_user, person=floating, happened_on=day, destination="别处"
        )
    assert other.value.messages == [services.ERR_NOT_ACTIVE]


def test_the_police_updates_a_residence_permit_audited_masked(world, floating):
    issued = timezone.localdate() - timedelta(days=30)
    new_number = idnumbers.make("410102", date(1995, 5, 5), 31)
    services.residence_permit_update(
        actor=world.department_user,
        person=floating,
        number=f" {new_number.lower()} ",
        issued_on=issued,
        valid_until=issued + timedelta(days=365),
    )
    floating.refresh_from_db()
    assert floating.residence_permit_number == new_number
    assert (floating.residence_permit_issued_on, floating.residence_permit_valid_until) == (
        issued,
        issued + timedelta(days=365),
    )
    row = AuditLog.objects.get(action="person.residence_permit")
    assert row.actor == world.department_user and row.details["department"] == "PSA"
    assert row.details["residence_permit_issued_on"] == [None, issued.isoformat()]
    for clear in (new_number, floating.id_number):
        assert clear not in str(row.details)
    assert row.details["residence_permit_number"][1] == idnumbers.mask_embedded(new_number)
    event = floating.events.get(kind=PersonEvent.Kind.UPDATE)
    assert event.recorded_by == "由 甲街派出所 更新" and "居住证签发日期" in event.note


def test_a_permit_number_left_empty_or_echoed_masked_stays(world, floating):
    issued = timezone.localdate()
    for number in ("", floating.residence_permit_number_masked):
        services.residence_permit_update(
            actor=world.department_user, person=floating, number=number, issued_on=issued
        )
        floating.refresh_from_db()
        assert floating.residence_permit_number == floating.id_number
    assert (
        AuditLog.objects.filter(action="person.residence_permit").count() == 1
    )  # the second changed nothing


@pytest.mark.parametrize(
    ("number", "issued", "valid", "field", "message"),
    [
        ("AB123456", 1, 1, "residence_permit_valid_until", "ERR_PERMIT_VALID_UNTIL"),
        ("AB123456", 5, 10, "residence_permit_valid_until", "ERR_PERMIT_VALID_UNTIL"),
        ("AB123456", -1, None, "residence_permit_issued_on", "ERR_PERMIT_ISSUED_FUTURE"),
        ("AB<12>3456", 0, None, "residence_permit_number", "ERR_PERMIT_NUMBER_FORMAT"),
        ("AB1", 0, None, "residence_permit_number", "ERR_PERMIT_NUMBER_FORMAT"),
    ],
)
def test_bad_permits_are_refused_naming_the_field_and_write_nothing(
    world, floating, number, issued, valid, field, message
):
    """`issued`/`valid` in days before today (negative: after)."""
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.residence_permit_update(
            actor=world.department_user,
            person=floating,
            number=number,
            issued_on=today - timedelta(days=issued),
            valid_until=None if valid is None else today - timedelta(days=valid),
        )
    assert refused.value.message_dict[field] == [getattr(services, message)]
    before = Person.objects.get(pk=floating.pk)
    assert (before.residence_permit_number, before.residence_permit_issued_on) == (floating.id_number, None)
    assert not AuditLog.objects.filter(action="person.residence_permit").exists()
    assert not before.events.exists()


def test_a_permit_needs_a_number_and_a_floating_resident(world, household_a1):
    newcomer = PersonFactory(household__committee=world.committee_a1, status="floating")
    with pytest.raises(ValidationError) as refused:
        services.residence_permit_update(
            actor=world.department_user, person=newcomer, issued_on=timezone.localdate()
        )
    assert refused.value.message_dict == {"residence_permit_number": [services.ERR_PERMIT_NUMBER_REQUIRED]}
    resident = register(world, household_a1)
    with pytest.raises(ValidationError) as refused:
        services.residence_permit_update(
            actor=world.department_user, person=resident, number="AB123456", issued_on=timezone.localdate()
        )
    assert set(refused.value.message_dict) == {"person"}


def test_clearing_the_permit_number_clears_its_dates(world, floating):
    services.residence_permit_update(
        actor=world.department_user, person=floating, issued_on=timezone.localdate() - timedelta(days=1)
    )
    services.person_update(
        actor=world.committee_user, person=floating, changes={"residence_permit_number": ""}
    )
    floating.refresh_from_db()
    assert (floating.residence_permit_number, floating.residence_permit_issued_on) == ("", None)
    details = AuditLog.objects.get(action="person.update").details
    assert details["residence_permit_issued_on"][1] is None and floating.id_number not in str(details)
