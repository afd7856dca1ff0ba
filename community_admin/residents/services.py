"""Writes to the household registry. Every function names its actor, runs in one transaction and leaves an
audit row (and, for people, a history event). Nothing is deleted: people who leave keep their record."""

import functools
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.core import audit, counting, idnumbers, reveals
from community_admin.core.exporters import QUIET, ExportFile
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee
from community_admin.residents import exporters, importers, selectors
from community_admin.residents.models import REGISTRY, Household, Person, PersonEvent, RegistrationConflict

ERR_DUPLICATE_HERE = "公民身份号码：该号码已登记在本社区（{name}）。"
ERR_DUPLICATE_ELSEWHERE = (
    "公民身份号码：该号码已在本区其他社区登记为在册人员，请由原社区办理迁出或转移后再登记。"
)
# To an account that does not see the committee holding the number: nothing says where, or that it is elsewhere.
ERR_DUPLICATE_HELD = "公民身份号码：该号码暂不能在本社区登记，已提交街道核实。"
ERR_SENSITIVE_FIELD = "{label}：您的账户不能登记或修改此项（仅区民政局、街道、社区可以）。"
ERR_CONFLICT_RESOLVED = "该登记冲突已处理。"
ERR_CONFLICT_RESOLUTION = "处理说明：必填。"
ERR_HOUSEHOLD_NUMBER_TAKEN = "户编号：本社区已有此户编号。"
ERR_NOT_ACTIVE = "该人员已迁出或死亡，不能办理此项。"
ERR_EVENT_DATE_FUTURE = "发生日期：不能晚于今天。"
ERR_EVENT_BEFORE_BIRTH = "发生日期：不能早于出生日期。"
ERR_SAME_HOUSEHOLD = "新户：与原户相同。"
ERR_DEPARTMENT_FLOATING_ONLY = "居住状态：部门只能登记流动人口。"
ERR_FLOATING_PERMIT = "居住证号码：只有流动人口登记居住证号码。"
ERR_DISABILITY_PAIR = "残疾等级：登记残疾证号时须同时填写残疾等级（1–4 级），反之亦然。"
ERR_UNKNOWN_FIELD = "不能修改字段：{field}"
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
HOUSEHOLD_EDITABLE_FIELDS = ("number", "building", "unit", "room", "housing_type", "kind")
# Held numbers listed in an import's audit row (every one of them is a RegistrationConflict row).
AUDIT_HELD_LISTED = 1000


def _parse_id(raw: str, *, allow_legacy: bool = False) -> idnumbers.IdNumber:
    try:
        return idnumbers.parse(raw, allow_legacy=allow_legacy)
    except idnumbers.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from exc


class TakenElsewhere(Exception):
    """The number is active in another committee. Raised inside a service's transaction and answered outside
    it (`_answers_taken_numbers`), so that the conflict recorded for a hidden committee outlives the refusal."""

    def __init__(self, person: Person, *, committee: Committee, submitted_name: str):
        super().__init__(person.pk)
        self.person, self.committee, self.submitted_name = person, committee, submitted_name


def check_id_number_free(
    value: str, *, committee: Committee, submitted_name: str = "", exclude_pk: int | None = None
) -> None:
    """One active person per ID number in the whole district; the message never names another committee's person."""
    clash = Person.objects.filter(id_number=value, status__in=Person.ACTIVE_STATUSES).exclude(pk=exclude_pk)
    clash = clash.only("name", "committee_id").first()
    if clash is None:
        return
    if clash.committee_id == committee.pk:
        raise ValidationError({"id_number": ERR_DUPLICATE_HERE.format(name=clash.name)})
    raise TakenElsewhere(clash, committee=committee, submitted_name=submitted_name)


def _answers_taken_numbers(source: str):
    """A number active in another committee: "registered elsewhere" for an actor who sees that committee; for
    any other, a neutral refusal, and the attempt recorded (a conflict for the street, an audit row) in its own
    transaction once the service's own has rolled back."""

    def decorate(service):
        @functools.wraps(service)
        def wrapper(*, actor, **kwargs):
            try:
                return service(actor=actor, **kwargs)
            except TakenElsewhere as taken:
                if scoping.scope_by_committee(Person.objects.filter(pk=taken.person.pk), actor).exists():
                    raise ValidationError({"id_number": ERR_DUPLICATE_ELSEWHERE}) from None
                with transaction.atomic():
                    held = _conflicts_record(
                        actor=actor,
                        committee=taken.committee,
                        clashes=[(taken.person.pk, taken.person.committee_id, taken.submitted_name)],
                        source=source,
                    )
                    audit.record(
                        actor=actor,
                        action="person.register_held",
                        obj=taken.committee,
                        result=AuditLog.Result.DENIED,
                        details={"source": source, **held[0]},
                    )
                raise ValidationError({"id_number": ERR_DUPLICATE_HELD}) from None

        return wrapper

    return decorate


def _conflicts_record(
    *, actor, committee: Committee, clashes: list[tuple[int, int, str]], source: str
) -> list:
    """One open conflict per (registering committee, person): asking again adds no row. Returns, for the audit
    row, each clash's masked number and the code of the committee that holds it."""
    person_ids = [person_id for person_id, _, _ in clashes]
    already = set()
    for start in range(0, len(person_ids), 900):
        already.update(
            RegistrationConflict.objects.filter(
                committee=committee,
                status=RegistrationConflict.Status.OPEN,
                person_id__in=person_ids[start : start + 900],
            ).values_list("person_id", flat=True)
        )
    new = {
        person_id: (committee_id, name)
        for person_id, committee_id, name in clashes
        if person_id not in already
    }
    RegistrationConflict.objects.bulk_create(
        [
            RegistrationConflict(
                committee=committee,
                person_id=person_id,
                person_committee_id=committee_id,
                submitted_name=name[:50],
                source=source,
                requested_by=actor,
            )
            for person_id, (committee_id, name) in new.items()
        ],
        batch_size=2000,
        ignore_conflicts=True,  # a concurrent attempt opened the same conflict: it stands for this one too
    )
    numbers = {}
    for start in range(0, len(person_ids), 900):
        numbers.update(
            Person.objects.filter(pk__in=person_ids[start : start + 900]).values_list("pk", "id_number")
        )
    codes = dict(Committee.objects.filter(pk__in={c for _, c, _ in clashes}).values_list("pk", "code"))
    return [
        {"id_number": idnumbers.mask(numbers[person_id]), "registered_in": codes[committee_id]}
        for person_id, committee_id, _ in clashes
    ]


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


@transaction.atomic
def household_create(
    *,
    actor,
    committee: Committee,
    number: str,
    building: str,
    room: str,
    housing_type: str,
    kind: str = Household.Kind.REGISTERED,
    unit: str = "",
) -> Household:
    household = Household(
        committee=committee,
        number=number.strip(),
        building=building.strip(),
        unit=unit.strip(),
        room=room.strip(),
        housing_type=housing_type,
        kind=kind,
    )
    if Household.objects.filter(committee=committee, number=household.number).exists():
        raise ValidationError({"number": ERR_HOUSEHOLD_NUMBER_TAKEN})
    household.full_clean()
    household.save()
    audit.record(
        actor=actor,
        action="household.create",
        obj=household,
        details={
            "committee": committee.code,
            **{f: getattr(household, f) for f in HOUSEHOLD_EDITABLE_FIELDS},
        },
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, changes: dict) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = {}
    for field, value in changes.items():
        if field not in HOUSEHOLD_EDITABLE_FIELDS:
            raise ValidationError({field: ERR_UNKNOWN_FIELD.format(field=field)})
        before[field] = getattr(household, field)
        setattr(household, field, value)
    if "number" in changes and (
        Household.objects.filter(committee_id=household.committee_id, number=household.number)
        .exclude(pk=household.pk)
        .exists()
    ):
        raise ValidationError({"number": ERR_HOUSEHOLD_NUMBER_TAKEN})
    household.full_clean()
    household.save()
    audit.record(
        actor=actor,
        action="household.update",
        obj=household,
        details={f: [before[f], getattr(household, f)] for f in changes},
    )
    return household


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
    person.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same number won the race
        check_id_number_free(parsed.value, committee=household.committee, submitted_name=person.name)
        raise ValidationError({"id_number": ERR_DUPLICATE_HELD}) from exc
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


def _masked(field: str, value):
    """A value as the audit row keeps it: no full ID number, not even inside another number; a sensitive field
    only as set ("***") or empty (the disability certificate number embeds its holder's ID number)."""
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
    person.status = Person.Status.MOVED_OUT
    person.save(update_fields=["status", "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.MOVE_OUT,
        happened_on=happened_on,
        from_committee_id=person.committee_id,
        from_household_id=person.household_id,
        note=destination[:200],
        actor=actor,
    )
    audit.record(actor=actor, action="person.move_out", obj=person, details={"on": happened_on.isoformat()})
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


def _check_import_against_file_and_registry(
    result: importers.ParseResult, *, actor, committee
) -> list[tuple[int, int, int, str]]:
    """Duplicates inside the file, clashes with the registry, households whose address disagrees, sensitive tags
    from an importer that may not read them. Returns the clashes held for the street: (row, person id, committee
    id, name in the file) of numbers active in a committee the importer does not see."""
    sensitive = selectors.can_see_sensitive(actor)
    first_row_of: dict[str, int] = {}
    address_of: dict[str, tuple[int, str]] = {}
    for parsed in result.rows:
        number = parsed.person["id_number"]
        if number in first_row_of:
            result.errors.append(
                importers.RowError(
                    parsed.row,
                    "公民身份号码",
                    importers.ERR_DUPLICATE_IN_FILE.format(row=first_row_of[number]),
                )
            )
        else:
            first_row_of[number] = parsed.row
        seen = address_of.setdefault(parsed.household_number, (parsed.row, parsed.address))
        if seen[1] != parsed.address:
            result.errors.append(
                importers.RowError(
                    parsed.row,
                    "门牌地址",
                    importers.ERR_ADDRESS_MISMATCH.format(row=seen[0], address=seen[1]),
                )
            )
        if not sensitive:
            for tag, field in (("低保", "minimum_allowance"), ("残疾证", "disability_certificate")):
                if parsed.person.get(field):
                    label = Person._meta.get_field(field).verbose_name
                    message = ERR_SENSITIVE_FIELD.format(label=label).removeprefix(f"{label}：")
                    result.errors.append(importers.RowError(parsed.row, "标签", f"“{tag}”：{message}"))

    numbers = list(first_row_of)
    clashes: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(numbers), 900):
        for id_number, person_id, committee_id, name in Person.objects.filter(
            id_number__in=numbers[start : start + 900], status__in=Person.ACTIVE_STATUSES
        ).values_list("id_number", "pk", "committee_id", "name"):
            clashes[id_number] = (person_id, committee_id, name)
    visible = set(scoping.visible_committees(actor).values_list("pk", flat=True)) if clashes else set()
    held = []
    existing = {
        h.number: h for h in Household.objects.filter(committee=committee, number__in=list(address_of))
    }
    for parsed in result.rows:
        clash = clashes.get(parsed.person["id_number"])
        if clash is not None:
            person_id, committee_id, name = clash
            if committee_id == committee.pk:
                message = ERR_DUPLICATE_HERE.format(name=name)
            elif committee_id in visible:
                message = ERR_DUPLICATE_ELSEWHERE
            else:
                message = ERR_DUPLICATE_HELD
                held.append((parsed.row, person_id, committee_id, parsed.person["name"]))
            result.errors.append(
                importers.RowError(parsed.row, "公民身份号码", message.removeprefix("公民身份号码："))
            )
        household = existing.get(parsed.household_number)
        if household is not None and (household.building, household.unit, household.room) != (
            parsed.building,
            parsed.unit,
            parsed.room,
        ):
            result.errors.append(
                importers.RowError(
                    parsed.row, "门牌地址", importers.ERR_EXISTING_HOUSEHOLD.format(address=household.address)
                )
            )
    result.errors.sort(
        key=lambda e: (
            e.row,
            importers.TEMPLATE_HEADERS.index(e.column) if e.column in importers.TEMPLATE_HEADERS else -1,
        )
    )
    return held


@transaction.atomic
def residents_import(*, actor, committee: Committee, file, file_name: str = "", dry_run: bool = False):
    """All rows or none. Returns the parse result: `errors` lists every bad row; nothing is written if any.
    Every run is audited, a dry run or a refused file too (each answers for every number in the file), and
    both are bounded by the parser's row limit (importers.MAX_ROWS) like an import that writes."""
    result = importers.read_workbook(file)
    held = []
    if result.rows:  # rows that parsed are checked too, so the report lists every error at once
        held = _check_import_against_file_and_registry(result, actor=actor, committee=committee)
    if result.errors or dry_run or not result.rows:
        _import_attempt_audit(actor, committee, file_name, result, held, dry_run=dry_run)
        return result
    existing = {
        h.number: h
        for h in Household.objects.filter(
            committee=committee, number__in={r.household_number for r in result.rows}
        )
    }
    statuses: dict[str, set[str]] = {}
    for parsed in result.rows:
        statuses.setdefault(parsed.household_number, set()).add(parsed.person["status"])
    new_households = {}
    for parsed in result.rows:
        number = parsed.household_number
        if number in existing or number in new_households:
            continue
        kinds = statuses[number]
        kind = (
            Household.Kind.REGISTERED
            if Person.Status.REGISTERED in kinds
            else Household.Kind.RESIDENT
            if Person.Status.RESIDENT in kinds
            else Household.Kind.FLOATING
        )
        new_households[number] = Household(
            committee=committee,
            number=number,
            building=parsed.building,
            unit=parsed.unit,
            room=parsed.room,
            housing_type=Household.HousingType.OTHER,
            kind=kind,
        )
    Household.objects.bulk_create(new_households.values(), batch_size=2000)
    households = {**existing, **new_households}
    persons = Person.objects.bulk_create(
        [
            Person(household=households[r.household_number], committee=committee, **r.person)
            for r in result.rows
        ],
        batch_size=2000,
    )
    counting.data_changed(REGISTRY)  # bulk_create sends no post_save
    today = timezone.localdate()
    PersonEvent.objects.bulk_create(
        [
            PersonEvent(
                person=p,
                kind=PersonEvent.Kind.REGISTER,
                happened_on=today,
                to_committee=committee,
                to_household=p.household,
                actor=actor,
                note=f"批量导入 {file_name}"[:200],
            )
            for p in persons
        ],
        batch_size=2000,
    )
    audit.record(
        actor=actor,
        action="residents.import",
        obj=committee,
        details={"file": file_name, "persons": len(persons), "households_created": len(new_households)},
    )
    result.created_households = len(new_households)
    result.created_persons = len(persons)
    return result


def _import_attempt_audit(actor, committee, file_name, result, held, *, dry_run: bool) -> None:
    """The audit row of a run that wrote no person, with the conflicts its held numbers raised."""
    listed = []
    if held:
        entries = _conflicts_record(
            actor=actor,
            committee=committee,
            clashes=[(person_id, committee_id, name) for _, person_id, committee_id, name in held],
            source=RegistrationConflict.Source.IMPORT,
        )
        listed = [{"row": h[0], **entry} for h, entry in zip(held, entries, strict=True)]
    audit.record(
        actor=actor,
        action="residents.import_dry_run" if dry_run else "residents.import_refused",
        obj=committee,
        result=AuditLog.Result.FAILED if result.errors else AuditLog.Result.OK,
        details={
            "file": file_name,
            "rows": result.seen,
            "valid_rows": len(result.rows),
            "errors": len(result.errors),
            "passed": not result.errors,
            "held": len(held),
            "held_numbers": listed[:AUDIT_HELD_LISTED],
        },
    )


def persons_export(*, actor, persons, sensitive: bool, target=None, progress=QUIET) -> ExportFile:
    """An xlsx of `persons` (already scoped and filtered), ID numbers masked, written to `target` (None: a
    temporary file); the export itself is audited."""
    persons = persons.select_related("household", "committee")
    exporter = exporters.PersonExporter(persons, sensitive=sensitive)
    audit.record(
        actor=actor,
        action="persons.export",
        details={"rows": exporter.count(), "sensitive_columns": sensitive},
    )
    return exporter.render(target, progress=progress)


@transaction.atomic
def registration_conflict_resolve(
    *, actor, conflict: RegistrationConflict, resolution: str
) -> RegistrationConflict:
    """The street or the bureau closes a held registration, saying what was done (the person moved or
    transferred by the committee that holds them, the request withdrawn, …)."""
    conflict = RegistrationConflict.objects.select_for_update().select_related("person").get(pk=conflict.pk)
    if conflict.status != RegistrationConflict.Status.OPEN:
        raise ValidationError(ERR_CONFLICT_RESOLVED)
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": ERR_CONFLICT_RESOLUTION})
    conflict.status = RegistrationConflict.Status.RESOLVED
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict.resolution = resolution
    conflict.full_clean(validate_constraints=False)
    conflict.save()
    audit.record(
        actor=actor,
        action="registration_conflict.resolve",
        obj=conflict,
        details={
            "id_number": conflict.person.id_number_masked,
            "committee": conflict.committee.code,
            "registered_in": conflict.person_committee.code,
            "resolution": resolution[:200],
        },
    )
    return conflict
