"""The bulk import of a committee's residents from the xlsx template: all rows or none, every run audited."""

from django.db import transaction
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.core import audit, counting
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee
from community_admin.residents import importers, selectors
from community_admin.residents.models import REGISTRY, Household, Person, PersonEvent, RegistrationConflict
from community_admin.residents.services.conflicts import (
    ERR_DUPLICATE_ELSEWHERE,
    ERR_DUPLICATE_HELD,
    ERR_DUPLICATE_HERE,
    _conflicts_record,
)
from community_admin.residents.services.persons import ERR_SENSITIVE_FIELD

# Held numbers listed in an import's audit row (every one of them is a RegistrationConflict row).
AUDIT_HELD_LISTED = 1000


def _check_import_against_file_and_registry(
    result: importers.ParseResult, *, actor, committee
) -> list[tuple[int, int, int, str]]:
    """Duplicates inside the file, clashes with the registry, households whose address disagrees, sensitive tags
    from an importer that may not read them. Returns the clashes held for the street: (row, person id, committee
    id, name in the file) of numbers active in a committee the importer does not see."""
    numbers, household_numbers = _check_within_file(result, sensitive=selectors.can_see_sensitive(actor))
    held = _check_against_registry(
        result, actor=actor, committee=committee, numbers=numbers, household_numbers=household_numbers
    )
    result.errors.sort(
        key=lambda e: (
            e.row,
            importers.TEMPLATE_HEADERS.index(e.column) if e.column in importers.TEMPLATE_HEADERS else -1,
        )
    )
    return held


def _check_within_file(result: importers.ParseResult, *, sensitive: bool) -> tuple[list[str], list[str]]:
    """Duplicate numbers, households whose address disagrees, sensitive tags the importer may not set.
    Returns the file's ID numbers and household numbers, each once."""
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
    return list(first_row_of), list(address_of)


def _check_against_registry(
    result: importers.ParseResult, *, actor, committee, numbers: list[str], household_numbers: list[str]
) -> list[tuple[int, int, int, str]]:
    """Numbers already active in the registry, and households of the committee whose address disagrees."""
    clashes: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(numbers), 900):
        for id_number, person_id, committee_id, name in Person.objects.filter(
            id_number__in=numbers[start : start + 900], status__in=Person.ACTIVE_STATUSES
        ).values_list("id_number", "pk", "committee_id", "name"):
            clashes[id_number] = (person_id, committee_id, name)
    visible = set(scoping.visible_committees(actor).values_list("pk", flat=True)) if clashes else set()
    held = []
    existing = {
        h.number: h for h in Household.objects.filter(committee=committee, number__in=household_numbers)
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
