from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from community_admin.community_services import services
from community_admin.community_services.models import ActivityAttachment, Visit
from community_admin.core.models import AuditLog
from tests.community_services.conftest import PDF, PNG
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_visit_is_recorded_by_its_worker_with_an_audit_row(world, visit):
    assert visit.visitor == world.committee_user
    assert visit.committee == world.committee_a1
    assert visit.follow_up_open
    row = AuditLog.objects.get(action="visit.record")
    assert row.object_id == str(visit.pk) and row.details["follow_up"] is True


def test_only_the_households_own_committee_records_its_visits(world, households, today):
    for actor in (world.street_user, world.bureau):
        with pytest.raises(ValidationError) as exc:
            services.visit_record(
                actor=actor, household=households["A1"], visited_on=today, purpose="routine"
            )
        assert services.ERR_NOT_OWN_COMMITTEE in exc.value.messages
    with pytest.raises(ValidationError):
        services.visit_record(
            actor=world.committee_user, household=households["A2"], visited_on=today, purpose="routine"
        )
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"visited_on": 1}, "visited_on", services.ERR_FUTURE_DATE.format(field="走访日期")),
        ({"follow_up": "再访"}, "follow_up_due", services.ERR_FOLLOW_UP_DUE_MISSING),
        ({"follow_up_due": 0}, "follow_up", services.ERR_FOLLOW_UP_MISSING),
        ({"follow_up": "再访", "follow_up_due": -1}, "follow_up_due", services.ERR_DUE_BEFORE_VISIT),
    ],
)
def test_visit_rules_name_the_field(world, households, today, changes, field, message):
    kwargs = {"visited_on": today, "purpose": "routine"}
    for key, value in changes.items():
        kwargs[key] = today + timedelta(days=value) if isinstance(value, int) else value
    with pytest.raises(ValidationError) as exc:
        services.visit_record(actor=world.committee_user, household=households["A1"], **kwargs)
    assert exc.value.message_dict[field] == [message]


def test_the_database_refuses_a_follow_up_without_a_due_date(world, visit):
    with pytest.raises(IntegrityError):
        Visit.objects.filter(pk=visit.pk).update(follow_up_due=None)


def test_a_follow_up_is_closed_once(world, visit, today):
    services.visit_follow_up_close(actor=world.committee_user, visit=visit, done_on=today, note="已联系")
    visit.refresh_from_db()
    assert not visit.follow_up_open and visit.follow_up_note == "已联系"
    with pytest.raises(ValidationError) as exc:
        services.visit_follow_up_close(actor=world.committee_user, visit=visit, done_on=today)
    assert exc.value.messages == [services.ERR_FOLLOW_UP_DONE]


def test_closing_before_the_visit_is_refused(world, visit):
    with pytest.raises(ValidationError) as exc:
        services.visit_follow_up_close(
            actor=world.committee_user, visit=visit, done_on=visit.visited_on - timedelta(days=1)
        )
    assert exc.value.message_dict["done_on"] == [services.ERR_DONE_BEFORE_VISIT]


def test_activity_participants_linked_and_counted(world, persons, activity):
    services.activity_participant_add(actor=world.committee_user, activity=activity, person=persons["A1"])
    activity.refresh_from_db()
    assert activity.participant_count == 40
    assert list(activity.participants.all()) == [persons["A1"]]
    with pytest.raises(ValidationError) as exc:
        services.activity_participant_add(actor=world.committee_user, activity=activity, person=persons["A2"])
    assert exc.value.message_dict["person"] == [services.ERR_PERSON_ELSEWHERE]


def test_the_head_count_cannot_be_below_the_named_participants(world, persons, today):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=world.committee_user,
            committee=world.committee_a1,
            title="议事会",
            kind="consultation",
            held_on=today,
            place="活动室",
            organiser="居委会",
            participant_count=0,
            participants=[persons["A1"]],
        )
    assert exc.value.message_dict["participant_count"] == [services.ERR_COUNT_BELOW_LINKED.format(linked=1)]


@pytest.mark.parametrize(("data", "content_type"), [(PNG, "image/png"), (PDF, "application/pdf")])
def test_attachments_are_typed_by_their_bytes_and_stored_under_a_random_name(
    world, activity, attachment_storage, data, content_type
):
    item = services.activity_attachment_add(
        actor=world.committee_user, activity=activity, upload=data, file_name="../../etc/照片.exe"
    )
    assert item.content_type == content_type
    assert "照片" not in item.file.name and ".." not in item.file.name
    assert (attachment_storage / item.file.name).read_bytes() == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><script>alert(1)</script></html>", services.ERR_FILE_TYPE),
        (b"GIF89a" + b"\x00" * 20, services.ERR_FILE_TYPE),
        (b"", services.ERR_FILE_EMPTY),
    ],
)
def test_other_files_are_refused_and_nothing_is_stored(world, activity, attachment_storage, data, message):
    with pytest.raises(ValidationError) as exc:
        services.activity_attachment_add(
            actor=world.committee_user, activity=activity, upload=data, file_name="a.png"
        )
    assert exc.value.message_dict["file"] == [message]
    assert not ActivityAttachment.objects.exists()
    assert not attachment_storage.exists() or not any(attachment_storage.rglob("*.*"))


def test_attachments_are_size_limited(world, activity, settings):
    settings.SERVICES_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        services.activity_attachment_add(
            actor=world.committee_user,
            activity=activity,
            upload=PNG + b"\x00" * (1024 * 1024),
            file_name="a.png",
        )
    assert exc.value.message_dict["file"] == [services.ERR_FILE_SIZE.format(mb=1)]


def test_volunteers_register_once_and_log_hours_per_activity(world, persons, activity, today):
    volunteer = services.volunteer_register(
        actor=world.committee_user, person=persons["A1"], registered_on=today
    )
    with pytest.raises(ValidationError) as exc:
        services.volunteer_register(actor=world.committee_user, person=persons["A1"], registered_on=today)
    assert exc.value.message_dict["person"] == [services.ERR_ALREADY_VOLUNTEER]
    entry = services.volunteer_hours_log(
        actor=world.committee_user, volunteer=volunteer, activity=activity, hours=Decimal("2.5")
    )
    assert entry.served_on == activity.held_on and entry.committee_id == world.committee_a1.pk
    with pytest.raises(ValidationError) as exc:
        services.volunteer_hours_log(
            actor=world.committee_user, volunteer=volunteer, activity=activity, hours=1
        )
    assert exc.value.message_dict["volunteer"] == [services.ERR_HOURS_ALREADY_LOGGED]


@pytest.mark.parametrize("hours", ["0", "0.4", "24.5"])
def test_volunteer_hours_out_of_range_are_refused(world, persons, activity, today, hours):
    volunteer = services.volunteer_register(
        actor=world.committee_user, person=persons["A1"], registered_on=today
    )
    with pytest.raises(ValidationError) as exc:
        services.volunteer_hours_log(
            actor=world.committee_user, volunteer=volunteer, activity=activity, hours=Decimal(hours)
        )
    assert exc.value.message_dict["hours"] == [services.ERR_HOURS_RANGE]


def test_organisations_members_and_support(world, persons, today):
    organisation = services.organisation_create(
        actor=world.committee_user, committee=world.committee_a1, name="夕阳红舞蹈队", kind="culture"
    )
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=world.committee_user, committee=world.committee_a1, name=" 夕阳红舞蹈队 ", kind="culture"
        )
    assert exc.value.message_dict["name"] == [services.ERR_ORGANISATION_NAME_TAKEN]
    services.organisation_member_add(
        actor=world.committee_user,
        organisation=organisation,
        person=persons["A1"],
        joined_on=today,
        role="leader",
    )
    with pytest.raises(ValidationError):
        services.organisation_member_add(
            actor=world.committee_user, organisation=organisation, person=persons["B1"], joined_on=today
        )
    support = services.organisation_support_record(
        actor=world.committee_user,
        organisation=organisation,
        given_on=today,
        kind="funding",
        description="购置音响",
        amount=Decimal("800"),
    )
    assert support.committee_id == world.committee_a1.pk
    other = UserFactory(role="committee", committee=world.committee_a2)
    with pytest.raises(ValidationError):
        services.organisation_support_record(
            actor=other, organisation=organisation, given_on=today, kind="venue", description="场地"
        )
    assert AuditLog.objects.filter(action__startswith="organisation.").count() == 3
