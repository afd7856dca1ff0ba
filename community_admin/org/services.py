from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from community_admin.core import audit
from community_admin.org.models import Committee, OfficeAreaNorm

COMMITTEE_EDITABLE_FIELDS = (
    "name",
    "party_organisation",
    "office_area_m2",
    "village_converted",
    "village_converted_on",
)
ERR_UNKNOWN_FIELD = "不能修改字段：{field}"


@transaction.atomic
def committee_update(*, actor, committee: Committee, changes: dict) -> Committee:
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    before = {}
    for name, value in changes.items():
        if name not in COMMITTEE_EDITABLE_FIELDS:
            raise ValidationError({name: _(ERR_UNKNOWN_FIELD).format(field=name)})
        before[name] = getattr(committee, name)
        setattr(committee, name, value)
    committee.full_clean()
    committee.save()
    committee.refresh_from_db()  # the audit row records values as stored (e.g. decimals at their scale)
    audit.record(
        actor=actor,
        action="committee.update",
        obj=committee,
        details={name: [_jsonable(before[name]), _jsonable(getattr(committee, name))] for name in changes},
    )
    return committee


@transaction.atomic
def office_area_norm_choose(*, actor, norm: OfficeAreaNorm) -> OfficeAreaNorm:
    previous = OfficeAreaNorm.objects.filter(district_choice=True).exclude(pk=norm.pk).first()
    OfficeAreaNorm.objects.filter(district_choice=True).exclude(pk=norm.pk).update(district_choice=False)
    norm.district_choice = True
    norm.save(update_fields=["district_choice", "updated_at"])
    audit.record(
        actor=actor,
        action="office_norm.choose",
        obj=norm,
        details={"previous": previous.code if previous else None},
    )
    return norm


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
