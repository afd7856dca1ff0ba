"""People: registration, corrections, moving out, death, transfer to another household, and revealing the
full ID number. Each leaves a history event and an audit row."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community_admin.accounts.models import Role
from community_admin.core import audit, idnumbers, reveals
from community_admin.org.models import Committee
from community_admin.residents import selectors
from community_admin.residents.models import Household, Person, PersonEvent, RegistrationConflict
from community_admin.residents.services.conflicts import (
    ERR_DUPLICATE_HELD,
    _answers_taken_numbers,
    _parse_id,
    check_id_number_free,
)
from community_admin.residents.services.households import ERR_UNKNOWN_FIELD

ERR_SENSITIVE_FIELD = "{label}：您的账户不能登记或修改此项（仅区民政局、街道、社区可以）。"


ERR_NOT_ACTIVE = "该人员已迁出或死亡，不能办理此项。"
ERR_EVENT_DATE_FUTURE = "发生日期：不能晚于今天。"
ERR_EVENT_BEFORE_BIRTH = "发生日期：不能早于出生日期。"
ERR_SAME_HOUSEHOLD = "新户：与原户相同。"
ERR_DEPARTMENT_FLOATING_ONLY = "居住状态：部门只能登记流动人口。"
ERR_FLOATING_PERMIT = "居住证号码：只有流动人口登记居住证号码。"
ERR_DISABILITY_PAIR = "残疾等级：登记残疾证号时须同时填写残疾等级（1–4 级），反之亦然。"


ERR_STATUS_VIA_EVENTS = "居住状态：迁出与死亡请通过变动登记办理。"


PERSON_EDITABLE_FIELDS = (
    "name",
    "id_number",
    "relationship",
    "phone",
    "status",
    "residence_permit_number",
    "disability_certificate",
    "disability_level",
    "minimum_allowance",
    "veteran",
    "party_member",
    "registered_unemployed",
    "marital_status",
)


def _refuse_unreadable_fields(actor, fields: dict, *, with_value_only: bool) -> None:
    """A writer sets only the fields its role may read (selectors.SENSITIVE_FIELDS): a department's write naming
    one is refused whole, naming each field, rather than dropping it silently. On registration a field left at
    its empty value writes nothing; on an update any mention of the field is refused, whatever its value (a
    value equal to the stored one would otherwise be an oracle for what the writer may not read)."""
    if selectors.can_see_sensitive(actor):
        return
    refused = {
        field: ERR_SENSITIVE_FIELD.format(label=Person._meta.get_field(field).verbose_name)
        for field in selectors.SENSITIVE_FIELDS
        if field in fields and (not with_value_only or fields[field] not in (None, "", False))
    }
    if refused:
        raise ValidationError(refused)


def _check_person_rules(person: Person) -> None:
    if bool(person.disability_certificate) != (person.disability_level is not None):
        raise ValidationError({"disability_level": ERR_DISABILITY_PAIR})
    if person.residence_permit_number and person.status != Person.Status.FLOATING:
        raise ValidationError({"residence_permit_number": ERR_FLOATING_PERMIT})


def _check_event_date(person: Person, happened_on: date) -> None:
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": ERR_EVENT_DATE_FUTURE})
    if happened_on < person.birth_date:
        raise ValidationError({"happened_on": ERR_EVENT_BEFORE_BIRTH})


@_answers_taken_numbers(RegistrationConflict.Source.REGISTER)
@transaction.atomic
def person_register(
    *,
    actor,
    household: Household,
    name: str,
    id_number: str,
    relationship: str,
    status: str = Person.Status.REGISTERED,
    phone: str = "",
    residence_permit_number: str = "",
    disability_certificate: str = "",
    disability_level: int | None = None,
    minimum_allowance: bool = False,
    veteran: bool = False,
    party_member: bool = False,
    registered_unemployed: bool = False,
    marital_status: str = "",
    moved_in_on: date | None = None,
) -> Person:
    """Register a person in a household; `moved_in_on` records the registration as a move into the district."""
    if getattr(actor, "role", None) == Role.DEPARTMENT and status != Person.Status.FLOATING:
        raise ValidationError({"status": ERR_DEPARTMENT_FLOATING_ONLY})
    _refuse_unreadable_fields(
        actor,
        {
            "disability_certificate": disability_certificate.strip(),
            "disability_level": disability_level,
            "minimum_allowance": minimum_allowance,
        },
        with_value_only=True,
    )
    parsed = _parse_id(id_number)
    check_id_number_free(parsed.value, committee=household.committee, submitted_name=name.strip())
    person = Person(
        household=household,
        committee_id=household.committee_id,
        name=name.strip(),
        id_number=parsed.value,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        relationship=relationship,
        status=status,
        phone=phone.strip(),
        residence_permit_number=residence_permit_number.strip(),
        disability_certificate=disability_certificate.strip(),
        disability_level=disability_level,
        minimum_allowance=minimum_allowance,
        veteran=veteran,
        party_member=party_member,
        registered_unemployed=registered_unemployed,
        marital_status=marital_status,
    )
    _check_person_rules(person)
    _save_new(person, committee=household.committee)
    _register_event(actor=actor, person=person, household=household, moved_in_on=moved_in_on)
    audit.record(
        actor=actor,
        action="person.register",
        obj=person,
        details={
            "committee": household.committee.code,
            "household": household.number,
            "status": status,
            # every field given a value, by name: the values are the record's (sensitive ones never here)
            "fields": [f for f in PERSON_EDITABLE_FIELDS if getattr(person, f) not in (None, "", False)],
        },
    )
    return person


def _save_new(person: Person, *, committee: Committee) -> None:
    person.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        check_id_number_free(person.id_number, committee=committee, submitted_name=person.name)
        raise ValidationError({"id_number": ERR_DUPLICATE_HELD}) from exc


def _register_event(*, actor, person: Person, household: Household, moved_in_on: date | None) -> None:
    happened_on = moved_in_on or timezone.localdate()
    if moved_in_on:
        _check_event_date(person, moved_in_on)
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.MOVE_IN if moved_in_on else PersonEvent.Kind.REGISTER,
        happened_on=happened_on,
        to_committee_id=household.committee_id,
        to_household=household,
        actor=actor,
    )


@_answers_taken_numbers(RegistrationConflict.Source.UPDATE)
@transaction.atomic
def person_update(*, actor, person: Person, changes: dict) -> Person:
    person = Person.objects.select_for_update().select_related("committee").get(pk=person.pk)
    if not person.is_active:
        raise ValidationError(ERR_NOT_ACTIVE)
    unknown = [f for f in changes if f not in PERSON_EDITABLE_FIELDS]
    if unknown:
        raise ValidationError({f: ERR_UNKNOWN_FIELD.format(field=f) for f in unknown})
    _refuse_unreadable_fields(actor, changes, with_value_only=False)
    changes = _without_masked_echoes(person, changes)
    before = {}
    for field, value in changes.items():
        before[field] = getattr(person, field)
        setattr(person, field, value)
    if "id_number" in changes:
        parsed = _parse_id(changes["id_number"])
        person.id_number, person.sex, person.birth_date = parsed.value, parsed.sex, parsed.birth_date
        check_id_number_free(
            parsed.value, committee=person.committee, submitted_name=person.name, exclude_pk=person.pk
        )
    if person.status not in Person.ACTIVE_STATUSES:
        raise ValidationError({"status": ERR_STATUS_VIA_EVENTS})
    if "residence_permit_number" in changes and not person.residence_permit_number:
        changes = {**changes, **_permit_dates_cleared(person, before)}  # no permit, so no permit dates
    _check_person_rules(person)
    person.full_clean(validate_constraints=False)
    person.save()
    changed = {
        f: [_masked(f, before[f]), _masked(f, getattr(person, f))]
        for f in changes
        if before[f] != getattr(person, f)
    }
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.UPDATE,
        happened_on=timezone.localdate(),
        actor=actor,
        note="、".join(str(Person._meta.get_field(f).verbose_name) for f in changed)[:200],
    )
    audit.record(actor=actor, action="person.update", obj=person, details=changed)
    return person


PERMIT_DATE_FIELDS = ("residence_permit_issued_on", "residence_permit_valid_until")


def _permit_dates_cleared(person: Person, before: dict) -> dict:
    cleared = {}
    for field in PERMIT_DATE_FIELDS:
        before[field] = getattr(person, field)
        setattr(person, field, None)
        cleared[field] = None
    return cleared


def _masked(field: str, value):
    """A value as the audit row keeps it: no full ID number, not even inside another number; a sensitive field
    only as set ("***") or empty (the disability certificate number embeds its holder's ID number)."""
    if isinstance(value, date):
        return value.isoformat()
    if field == "id_number":
        return idnumbers.mask(value)
    if field in selectors.SENSITIVE_FIELDS:
        return "***" if value not in (None, "", False) else value
    return idnumbers.mask_embedded(value) if field in Person.ID_BEARING_FIELDS else value


def _without_masked_echoes(person: Person, changes: dict) -> dict:
    """A number sent back as it was shown (masked) is unchanged: the edit page and the API show them masked."""
    return {
        f: v
        for f, v in changes.items()
        if not (
            f in Person.ID_BEARING_FIELDS
            and v
            and "*" in v
            and v == idnumbers.mask_embedded(getattr(person, f))
        )
    }


def _lock_active(person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError(ERR_NOT_ACTIVE)
    return person


@transaction.atomic
def person_move_out(*, actor, person: Person, happened_on: date, destination: str = "") -> Person:
    person = _lock_active(person)
    _check_event_date(person, happened_on)
    return record_move_out(actor=actor, person=person, happened_on=happened_on, destination=destination)


def record_move_out(
    *,
    actor,
    person: Person,
    happened_on: date,
    destination: str = "",
    to_committee: Committee | None = None,
    reason: str = "",
    details: dict | None = None,
) -> Person:
    """The one way a person leaves the registry (status, history event, audit row), for a locked, active
    person whose date the caller has checked: the committee's move-out and the police's floating outflow."""
    previous = person.status
    person.status = Person.Status.MOVED_OUT
    person.save(update_fields=["status", "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.MOVE_OUT,
        happened_on=happened_on,
        from_committee_id=person.committee_id,
        from_household_id=person.household_id,
        to_committee=to_committee,
        note=destination[:200],
        reason=reason[:200],
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="person.move_out",
        obj=person,
        details={"on": happened_on.isoformat(), "status": [previous, person.status], **(details or {})},
    )
    return person


@transaction.atomic
def person_record_death(*, actor, person: Person, happened_on: date) -> Person:
    person = _lock_active(person)
    _check_event_date(person, happened_on)
    person.status = Person.Status.DECEASED
    person.save(update_fields=["status", "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.DEATH,
        happened_on=happened_on,
        from_committee_id=person.committee_id,
        from_household_id=person.household_id,
        actor=actor,
    )
    audit.record(actor=actor, action="person.death", obj=person, details={"on": happened_on.isoformat()})
    return person


@transaction.atomic
def person_transfer(*, actor, person: Person, to_household: Household, happened_on: date) -> Person:
    """Move a person to another household, in the same committee or another one (the caller must see both)."""
    person = _lock_active(person)
    _check_event_date(person, happened_on)
    if to_household.pk == person.household_id:
        raise ValidationError({"to_household": ERR_SAME_HOUSEHOLD})
    from_committee_id, from_household_id = person.committee_id, person.household_id
    person.household = to_household
    person.committee_id = to_household.committee_id
    person.save(update_fields=["household", "committee", "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.TRANSFER,
        happened_on=happened_on,
        from_committee_id=from_committee_id,
        to_committee_id=to_household.committee_id,
        from_household_id=from_household_id,
        to_household=to_household,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="person.transfer",
        obj=person,
        details={
            "from_household": from_household_id,
            "to_household": to_household.pk,
            "on": happened_on.isoformat(),
        },
    )
    return person


@dataclass(frozen=True)
class Revealed:
    """What one reveal shows: the ID number and the numbers that carry it ("" where the person has none)."""

    id_number: str
    disability_certificate: str = ""
    residence_permit_number: str = ""


def person_reveal_id(*, actor, person: Person, reason: str) -> Revealed:
    """The full ID number and the numbers that embed it (the disability certificate only for the roles that see
    it), for an actor whose permission the caller has checked. The shared rule applies: a reason, an hourly
    limit, an audit row naming the fields shown (core.reveals; not atomic here, so that a refusal stays audited).
    Raises ValidationError on `reason` or reveals.RevealLimitExceeded."""
    shown = {"id_number": person.id_number}
    if person.residence_permit_number:
        shown["residence_permit_number"] = person.residence_permit_number
    if person.disability_certificate and selectors.can_see_sensitive(actor):
        shown["disability_certificate"] = person.disability_certificate
    reveals.reveal(
        actor=actor, action="person.reveal_id", obj=person, reason=reason, details={"fields": list(shown)}
    )
    return Revealed(**shown)
