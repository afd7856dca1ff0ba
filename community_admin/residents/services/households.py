"""Households: creation and corrections."""

from django.core.exceptions import ValidationError
from django.db import transaction

from community_admin.accounts.models import Role
from community_admin.core import audit
from community_admin.org.models import Committee
from community_admin.residents.models import Household

ERR_HOUSEHOLD_NUMBER_TAKEN = "户编号：本社区已有此户编号。"
ERR_DEPARTMENT_FLOATING_HOUSEHOLD = "户类型：部门只能为流动人口建户（其他户由社区登记）。"


ERR_UNKNOWN_FIELD = "不能修改字段：{field}"


HOUSEHOLD_EDITABLE_FIELDS = ("number", "building", "unit", "room", "housing_type", "kind")


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
    if getattr(actor, "role", None) == Role.DEPARTMENT and kind != Household.Kind.FLOATING:
        # a police station records floating residents; the registry's other households are the committees'
        raise ValidationError({"kind": ERR_DEPARTMENT_FLOATING_HOUSEHOLD})
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
