"""Floating residents (流动人口) as the police station keeps them: their moving out, and their residence permit.

The outflow is the registry's one move-out (`persons.record_move_out`): the same status, history event and
audit row as a committee's, so the committee's lists, counts and ledgers see it as their own; the event names
the department's account, and the person's page says which station recorded it."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community_admin.core import audit, idnumbers
from community_admin.org.models import Committee
from community_admin.residents.models import Person, PersonEvent
from community_admin.residents.services.persons import (
    ERR_NOT_ACTIVE,
    _check_event_date,
    _lock_active,
    _masked,
    record_move_out,
)

ERR_NOT_FLOATING = "人员：该人员登记为{status}，不是流动人口；此项只为流动人口办理，请由所在社区办理。"
ERR_PERMIT_NUMBER_REQUIRED = "居住证号码：请填写。"
ERR_PERMIT_NUMBER_FORMAT = "居住证号码：只能由数字、字母和连字符组成，6–30 位。"
ERR_PERMIT_ISSUED_FUTURE = "签发日期：不能晚于今天。"
ERR_PERMIT_ISSUED_BEFORE_BIRTH = "签发日期：不能早于出生日期。"
ERR_PERMIT_VALID_UNTIL = "有效期至：须晚于签发日期。"

PERMIT_NUMBER = re.compile(r"[0-9A-Z-]{6,30}")
PERMIT_FIELDS = ("residence_permit_number", "residence_permit_issued_on", "residence_permit_valid_until")


def _lock_floating(person: Person) -> Person:
    person = _lock_active(person)
    if person.status != Person.Status.FLOATING:
        raise ValidationError({"person": ERR_NOT_FLOATING.format(status=person.get_status_display())})
    return person


def _department_code(actor) -> str | None:
    department = getattr(actor, "department", None)
    return department.code if department else None


@transaction.atomic
def floating_move_out(
    *,
    actor,
    person: Person,
    happened_on: date,
    destination: str = "",
    to_committee: Committee | None = None,
    reason: str = "",
) -> Person:
    """Record that a floating resident has moved out (where to: free text, a committee of the district, both
    or neither; the reason if given). A 户籍 or 常住 resident is refused naming `person`: their leaving is the
    committee's. A retry of the same outflow by the same account answers the person again and writes nothing."""
    destination, reason = destination.strip(), reason.strip()
    replay = _replayed_outflow(actor, person, happened_on, destination, to_committee, reason)
    if replay is not None:
        return replay
    person = _lock_floating(person)
    _check_event_date(person, happened_on)
    return record_move_out(
        actor=actor,
        person=person,
        happened_on=happened_on,
        destination=destination,
        to_committee=to_committee,
        reason=reason,
        details={
            "floating": True,
            "department": _department_code(actor),
            "to_committee": to_committee.code if to_committee else None,
            "destination_given": bool(destination),
            "reason_given": bool(reason),
        },
    )


def _replayed_outflow(actor, person, happened_on, destination, to_committee, reason) -> Person | None:
    """The person, when its last event is this very outflow by this account (a client's retry)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        return None
    last = person.events.order_by("-id").first()
    same = (
        last is not None
        and last.kind == PersonEvent.Kind.MOVE_OUT
        and last.actor_id == actor.pk
        and (last.happened_on, last.note, last.to_committee_id, last.reason)
        == (happened_on, destination[:200], to_committee.pk if to_committee else None, reason[:200])
    )
    if not same:
        raise ValidationError(ERR_NOT_ACTIVE)
    return person


def normalise_permit_number(value: str) -> str:
    """Full-width characters, spaces and lower case as typed are the same number."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


@transaction.atomic
def residence_permit_update(
    *,
    actor,
    person: Person,
    issued_on: date,
    valid_until: date | None = None,
    number: str = "",
) -> Person:
    """Record a floating resident's residence permit: its number (left empty, or sent back masked as shown,
    the number stays), the day it was issued and the day it runs to (empty: no end recorded). Every refusal
    names its field and writes nothing; a request that changes nothing writes nothing either."""
    person = _lock_floating(person)
    number = _permit_number(person, number)
    _check_permit_dates(person, issued_on, valid_until)
    after = {
        "residence_permit_number": number,
        "residence_permit_issued_on": issued_on,
        "residence_permit_valid_until": valid_until,
    }
    changed = {
        f: [_masked(f, getattr(person, f)), _masked(f, v)]
        for f, v in after.items()
        if getattr(person, f) != v
    }
    if not changed:
        return person
    for field, value in after.items():
        setattr(person, field, value)
    person.full_clean(validate_constraints=False)
    person.save(update_fields=[*PERMIT_FIELDS, "updated_at"])
    PersonEvent.objects.create(
        person=person,
        kind=PersonEvent.Kind.UPDATE,
        happened_on=timezone.localdate(),
        actor=actor,
        note="、".join(str(Person._meta.get_field(f).verbose_name) for f in changed),
    )
    audit.record(
        actor=actor,
        action="person.residence_permit",
        obj=person,
        details={**changed, "department": _department_code(actor)},
    )
    return person


def _permit_number(person: Person, number: str) -> str:
    number = normalise_permit_number(number)
    if not number or ("*" in number and number == idnumbers.mask_embedded(person.residence_permit_number)):
        if not person.residence_permit_number:
            raise ValidationError({"residence_permit_number": ERR_PERMIT_NUMBER_REQUIRED})
        return person.residence_permit_number  # left empty or echoed masked: unchanged
    if not PERMIT_NUMBER.fullmatch(number):
        raise ValidationError({"residence_permit_number": ERR_PERMIT_NUMBER_FORMAT})
    return number


def _check_permit_dates(person: Person, issued_on: date, valid_until: date | None) -> None:
    errors = {}
    if issued_on > timezone.localdate():
        errors["residence_permit_issued_on"] = ERR_PERMIT_ISSUED_FUTURE
    elif issued_on < person.birth_date:
        errors["residence_permit_issued_on"] = ERR_PERMIT_ISSUED_BEFORE_BIRTH
    if valid_until is not None and valid_until <= issued_on:
        errors["residence_permit_valid_until"] = ERR_PERMIT_VALID_UNTIL
    if errors:
        raise ValidationError(errors)
