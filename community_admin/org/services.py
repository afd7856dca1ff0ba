from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.core import audit
from community_admin.org.models import Committee, OfficeAreaNorm
from community_admin.org.selectors import registry_counts

COMMITTEE_EDITABLE_FIELDS = (
    "name",
    "party_organisation",
    "office_area_m2",
    "village_converted",
    "village_converted_on",
)
ERR_UNKNOWN_FIELD = "不能修改字段：{field}"
ERR_REGISTRY_EMPTY = "人口登记完整：该社区的人口登记中还没有住户，不能确认完整。"
ERR_REGISTRY_ALREADY_COMPLETE = "人口登记完整：该社区的人口登记已于 {when} 确认完整。"
ERR_REGISTRY_NOT_COMPLETE = "人口登记完整：该社区的人口登记尚未确认完整，没有可撤回的确认。"
ERR_REGISTRY_OWN_COMMITTEE = "社区居委会不能确认本社区的人口登记完整，请由街道办事处确认。"


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


def _registry_mark_checks(actor, committee: Committee) -> Committee:
    # The views let only the street offices and the bureau in (scoped); a committee's own staff never mark it.
    if getattr(actor, "committee_id", None) == committee.pk:
        raise PermissionDenied(ERR_REGISTRY_OWN_COMMITTEE)
    return Committee.objects.select_for_update().get(pk=committee.pk)


@transaction.atomic
def committee_registry_complete(*, actor, committee: Committee) -> Committee:
    """The street office (or the bureau) confirms that the household registry holds all of the committee's
    residents: from now on its norms and funding use the registry's counts instead of the recorded figures."""
    committee = _registry_mark_checks(actor, committee)
    if committee.registry_complete:
        when = timezone.localtime(committee.registry_complete_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError({"registry_complete": ERR_REGISTRY_ALREADY_COMPLETE.format(when=when)})
    households, population, floating = registry_counts([committee.pk]).get(committee.pk, (0, 0, 0))
    if not households:
        raise ValidationError({"registry_complete": ERR_REGISTRY_EMPTY})
    committee.registry_complete_at, committee.registry_complete_by = timezone.now(), actor
    committee.full_clean()
    committee.save(update_fields=["registry_complete_at", "registry_complete_by", "updated_at"])
    audit.record(
        actor=actor,
        action="committee.registry_complete",
        obj=committee,
        details={
            "registry": [households, population, floating],
            "recorded": [
                committee.recorded_households,
                committee.recorded_population,
                committee.recorded_floating,
            ],
        },
    )
    return committee


@transaction.atomic
def committee_registry_incomplete(*, actor, committee: Committee) -> Committee:
    """The confirmation is withdrawn (a large import went wrong, say): the recorded figures stand in again."""
    committee = _registry_mark_checks(actor, committee)
    if not committee.registry_complete:
        raise ValidationError({"registry_complete": ERR_REGISTRY_NOT_COMPLETE})
    previous = {
        "at": committee.registry_complete_at.isoformat(),
        "by": committee.registry_complete_by_id,
    }
    committee.registry_complete_at, committee.registry_complete_by = None, None
    committee.full_clean()
    committee.save(update_fields=["registry_complete_at", "registry_complete_by", "updated_at"])
    audit.record(
        actor=actor, action="committee.registry_incomplete", obj=committee, details={"previous": previous}
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
