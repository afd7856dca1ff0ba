"""Writes of the community-services side. Committee staff record their own committee's work: every function
names its actor, checks the unit, runs in one transaction and leaves an audit row."""

import hashlib
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from community_admin.accounts.models import Role
from community_admin.community_services.models import (
    Activity,
    ActivityAttachment,
    ActivityParticipant,
    CommunityOrganisation,
    OrganisationMember,
    OrganisationSupport,
    Visit,
    Volunteer,
    VolunteerHours,
    attachment_storage,
)
from community_admin.core import audit, uploads
from community_admin.org.models import Committee
from community_admin.residents.models import Household, Person

ERR_NOT_OWN_COMMITTEE = "只有本社区的工作人员可以记录本社区的服务工作。"
ERR_FUTURE_DATE = "{field}：不能晚于今天。"
ERR_FOLLOW_UP_DUE_MISSING = "办结期限：填写了待办事项时须填写办结期限。"
ERR_FOLLOW_UP_MISSING = "待办事项：填写了办结期限时须写明待办事项。"
ERR_DUE_BEFORE_VISIT = "办结期限：不能早于走访日期。"
ERR_NO_FOLLOW_UP = "这次走访没有待办事项。"
ERR_FOLLOW_UP_DONE = "这项待办已经办结。"
ERR_DONE_BEFORE_VISIT = "办结日期：不能早于走访日期。"
ERR_PERSON_ELSEWHERE = "居民：不在本社区的在册人员中。"
ERR_PERSON_NOT_ACTIVE = "居民：已迁出或死亡。"
ERR_COUNT_BELOW_LINKED = "参加人次：不能少于已登记姓名的参加居民人数（{linked}）。"
ERR_ALREADY_PARTICIPANT = "居民：已登记为本次活动的参加者。"
ERR_ORGANISATION_ELSEWHERE = "协办社会组织：不属于本社区。"
ERR_ORGANISATION_NAME_TAKEN = "组织名称：本社区已有同名组织。"
ERR_ALREADY_MEMBER = "居民：已是该组织成员。"
ERR_ALREADY_VOLUNTEER = "居民：已注册为志愿者。"
ERR_VOLUNTEER_ELSEWHERE = "志愿者：不属于本活动的社区。"
ERR_ACTIVITY_NOT_HELD = "活动尚未举办，不能登记服务时长。"
ERR_HOURS_ALREADY_LOGGED = "志愿者：本次活动已登记过服务时长。"
ERR_HOURS_RANGE = "服务时长：应在 0.5 至 24 小时之间。"
ERR_FILE_TYPE = "文件：只接受 PDF、JPEG 或 PNG 文件（按文件内容判断）。"
ERR_FILE_SIZE = "文件：不能超过 {mb} MB。"
ERR_FILE_EMPTY = "文件：文件为空。"


def _check_own(actor, committee_id: int) -> None:
    if getattr(actor, "role", None) != Role.COMMITTEE or actor.committee_id != committee_id:
        raise ValidationError(ERR_NOT_OWN_COMMITTEE)


def _not_future(value: date, *, field: str, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: ERR_FUTURE_DATE.format(field=label)})


def _check_resident(person: Person, committee_id: int) -> None:
    if person.committee_id != committee_id:
        raise ValidationError({"person": ERR_PERSON_ELSEWHERE})
    if not person.is_active:
        raise ValidationError({"person": ERR_PERSON_NOT_ACTIVE})


# Home visits ----------------------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    household: Household,
    visited_on: date,
    purpose: str,
    needs: str = "",
    follow_up: str = "",
    follow_up_due: date | None = None,
    companion: str = "",
) -> Visit:
    _check_own(actor, household.committee_id)
    _not_future(visited_on, field="visited_on", label="走访日期")
    follow_up = follow_up.strip()
    if follow_up and follow_up_due is None:
        raise ValidationError({"follow_up_due": ERR_FOLLOW_UP_DUE_MISSING})
    if follow_up_due is not None and not follow_up:
        raise ValidationError({"follow_up": ERR_FOLLOW_UP_MISSING})
    if follow_up_due is not None and follow_up_due < visited_on:
        raise ValidationError({"follow_up_due": ERR_DUE_BEFORE_VISIT})
    visit = Visit(
        committee_id=household.committee_id,
        household=household,
        visited_on=visited_on,
        visitor=actor,
        companion=companion.strip(),
        purpose=purpose,
        needs=needs.strip(),
        follow_up=follow_up,
        follow_up_due=follow_up_due,
    )
    visit.full_clean()
    visit.save()
    audit.record(
        actor=actor,
        action="visit.record",
        obj=visit,
        details={"household": household.number, "purpose": purpose, "follow_up": bool(follow_up)},
    )
    return visit


@transaction.atomic
def visit_follow_up_close(*, actor, visit: Visit, done_on: date, note: str = "") -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_own(actor, visit.committee_id)
    if not visit.follow_up:
        raise ValidationError(ERR_NO_FOLLOW_UP)
    if visit.follow_up_done_on is not None:
        raise ValidationError(ERR_FOLLOW_UP_DONE)
    _not_future(done_on, field="done_on", label="办结日期")
    if done_on < visit.visited_on:
        raise ValidationError({"done_on": ERR_DONE_BEFORE_VISIT})
    visit.follow_up_done_on = done_on
    visit.follow_up_note = note.strip()
    visit.full_clean()
    visit.save()
    audit.record(actor=actor, action="visit.follow_up_close", obj=visit, details={"done_on": str(done_on)})
    return visit


# Activities -----------------------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    actor,
    committee: Committee,
    title: str,
    kind: str,
    held_on: date,
    place: str,
    organiser: str,
    participant_count: int = 0,
    participants: list[Person] | tuple = (),
    organisation: CommunityOrganisation | None = None,
) -> Activity:
    _check_own(actor, committee.pk)
    if organisation is not None and organisation.committee_id != committee.pk:
        raise ValidationError({"organisation": ERR_ORGANISATION_ELSEWHERE})
    people = list({p.pk: p for p in participants}.values())
    for person in people:
        _check_resident(person, committee.pk)
    if participant_count < len(people):
        raise ValidationError({"participant_count": ERR_COUNT_BELOW_LINKED.format(linked=len(people))})
    activity = Activity(
        committee=committee,
        title=title.strip(),
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        organiser=organiser.strip(),
        organisation=organisation,
        participant_count=participant_count,
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    ActivityParticipant.objects.bulk_create(
        [ActivityParticipant(activity=activity, person=p) for p in people]
    )
    audit.record(
        actor=actor,
        action="activity.create",
        obj=activity,
        details={"title": activity.title, "held_on": str(held_on), "participants": participant_count},
    )
    return activity


@transaction.atomic
def activity_participant_add(*, actor, activity: Activity, person: Person) -> Activity:
    """Link a resident to an activity. The head count grows with the names when they would pass it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_own(actor, activity.committee_id)
    _check_resident(person, activity.committee_id)
    if ActivityParticipant.objects.filter(activity=activity, person=person).exists():
        raise ValidationError({"person": ERR_ALREADY_PARTICIPANT})
    ActivityParticipant.objects.create(activity=activity, person=person)
    linked = activity.participations.count()
    if activity.participant_count < linked:
        activity.participant_count = linked
        activity.save(update_fields=["participant_count", "updated_at"])
    audit.record(actor=actor, action="activity.participant_add", obj=activity, details={"person": person.pk})
    return activity


def _check_attachment(upload) -> uploads.Kind:
    """PDF, JPEG or PNG by its first bytes, within the size limit, judged before the file is read."""
    limit = settings.SERVICES_ATTACHMENT_MAX_BYTES
    return uploads.check(
        upload,
        field="file",
        max_bytes=limit,
        too_large=ERR_FILE_SIZE.format(mb=uploads.megabytes(limit)),
        wrong_kind=ERR_FILE_TYPE,
        empty=ERR_FILE_EMPTY,
    )


@transaction.atomic
def activity_attachment_add(*, actor, activity: Activity, upload, file_name: str = "") -> ActivityAttachment:
    """`upload`: an uploaded file (or bytes); `file_name` the uploader's name, kept only as display text."""
    _check_own(actor, activity.committee_id)
    kind = _check_attachment(upload)
    data = uploads.read_all(upload)
    attachment = ActivityAttachment(
        activity=activity,
        original_name=uploads.display_name(file_name or getattr(upload, "name", ""), default="file"),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    # A random stored name: the uploader's name is only recorded, never used as a path.
    storage = attachment_storage()
    attachment.file.name = storage.save(
        uploads.stored_name(f"activities/{activity.pk}", kind.extension), ContentFile(data)
    )
    try:
        attachment.full_clean()
        attachment.save()
        audit.record(
            actor=actor,
            action="activity.attachment_add",
            obj=attachment,
            details={"activity": activity.pk, "type": kind.content_type, "size": len(data)},
        )
    except Exception:
        storage.delete(attachment.file.name)  # no row, no file
        raise
    return attachment


def activity_attachment_open(*, attachment: ActivityAttachment):
    """Open a stored attachment for reading (the view's core.files.private_file_response audits the download)."""
    return attachment_storage().open(attachment.file.name, "rb")


# Volunteers -----------------------------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, actor, person: Person, registered_on: date, skills: str = "") -> Volunteer:
    _check_own(actor, person.committee_id)
    _check_resident(person, person.committee_id)
    _not_future(registered_on, field="registered_on", label="注册日期")
    if Volunteer.objects.filter(person=person).exists():
        raise ValidationError({"person": ERR_ALREADY_VOLUNTEER})
    volunteer = Volunteer(
        person=person, committee_id=person.committee_id, registered_on=registered_on, skills=skills.strip()
    )
    volunteer.full_clean()
    volunteer.save()
    audit.record(actor=actor, action="volunteer.register", obj=volunteer, details={"person": person.pk})
    return volunteer


@transaction.atomic
def volunteer_hours_log(*, actor, volunteer: Volunteer, activity: Activity, hours: Decimal) -> VolunteerHours:
    _check_own(actor, activity.committee_id)
    if volunteer.committee_id != activity.committee_id:
        raise ValidationError({"volunteer": ERR_VOLUNTEER_ELSEWHERE})
    if activity.held_on > timezone.localdate():
        raise ValidationError({"activity": ERR_ACTIVITY_NOT_HELD})
    hours = Decimal(hours)
    if not (Decimal("0.5") <= hours <= Decimal("24")):
        raise ValidationError({"hours": ERR_HOURS_RANGE})
    if VolunteerHours.objects.filter(volunteer=volunteer, activity=activity).exists():
        raise ValidationError({"volunteer": ERR_HOURS_ALREADY_LOGGED})
    entry = VolunteerHours(
        volunteer=volunteer,
        activity=activity,
        committee_id=activity.committee_id,
        served_on=activity.held_on,
        hours=hours,
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit.record(
        actor=actor,
        action="volunteer.hours_log",
        obj=entry,
        details={"volunteer": volunteer.pk, "activity": activity.pk, "hours": str(hours)},
    )
    return entry


# Community organisations ----------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    actor,
    committee: Committee,
    name: str,
    kind: str,
    founded_on: date | None = None,
    filed: bool = False,
    description: str = "",
) -> CommunityOrganisation:
    _check_own(actor, committee.pk)
    name = name.strip()
    if CommunityOrganisation.objects.filter(committee=committee, name=name).exists():
        raise ValidationError({"name": ERR_ORGANISATION_NAME_TAKEN})
    if founded_on is not None:
        _not_future(founded_on, field="founded_on", label="成立日期")
    organisation = CommunityOrganisation(
        committee=committee,
        name=name,
        kind=kind,
        founded_on=founded_on,
        filed=filed,
        description=description.strip(),
    )
    organisation.full_clean()
    organisation.save()
    audit.record(actor=actor, action="organisation.create", obj=organisation, details={"name": name})
    return organisation


@transaction.atomic
def organisation_member_add(
    *,
    actor,
    organisation: CommunityOrganisation,
    person: Person,
    joined_on: date,
    role: str = OrganisationMember.Role.MEMBER,
) -> OrganisationMember:
    _check_own(actor, organisation.committee_id)
    _check_resident(person, organisation.committee_id)
    _not_future(joined_on, field="joined_on", label="加入日期")
    if OrganisationMember.objects.filter(organisation=organisation, person=person).exists():
        raise ValidationError({"person": ERR_ALREADY_MEMBER})
    member = OrganisationMember(organisation=organisation, person=person, role=role, joined_on=joined_on)
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        action="organisation.member_add",
        obj=organisation,
        details={"person": person.pk, "role": role},
    )
    return member


@transaction.atomic
def organisation_support_record(
    *,
    actor,
    organisation: CommunityOrganisation,
    given_on: date,
    kind: str,
    description: str,
    amount: Decimal | None = None,
) -> OrganisationSupport:
    _check_own(actor, organisation.committee_id)
    _not_future(given_on, field="given_on", label="日期")
    support = OrganisationSupport(
        organisation=organisation,
        committee_id=organisation.committee_id,
        given_on=given_on,
        kind=kind,
        description=description.strip(),
        amount=amount,
        recorded_by=actor,
    )
    support.full_clean()
    support.save()
    audit.record(
        actor=actor,
        action="organisation.support",
        obj=support,
        details={"organisation": organisation.pk, "kind": kind, "amount": str(amount) if amount else None},
    )
    return support
