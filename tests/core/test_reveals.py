"""The shared rule of every reveal (community_admin/core/reveals.py): a reason, an hourly limit per user counted
from the audit log over every kind of reveal, refusals audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.core import reveals
from community_admin.core.models import AuditLog
from community_admin.residents import services as residents
from community_admin.staff import services as staff
from tests.factories import PersonFactory
from tests.staff.factories import make_worker


@pytest.mark.parametrize("reason", ["", "   ", "\t\n", None])
def test_a_blank_reason_is_refused_and_nothing_audited(world, reason):
    person = PersonFactory(household__committee=world.committee_a1)
    with pytest.raises(ValidationError) as exc:
        residents.person_reveal_id(actor=world.committee_user, person=person, reason=reason)
    assert exc.value.message_dict == {"reason": [reveals.ERR_REASON_REQUIRED]}
    assert not AuditLog.objects.exists()


def test_a_long_or_control_character_reason_is_refused(world):
    person = PersonFactory(household__committee=world.committee_a1)
    for reason, message in (
        ("长" * 201, reveals.ERR_REASON_LONG.format(limit=200)),
        ("a\x00b", reveals.ERR_REASON_CHARS),
    ):
        with pytest.raises(ValidationError) as exc:
            residents.person_reveal_id(actor=world.committee_user, person=person, reason=reason)
        assert exc.value.message_dict == {"reason": [message]}
    assert residents.person_reveal_id(
        actor=world.committee_user, person=person, reason=" " + "长" * 200 + " "
    )
    assert AuditLog.objects.get().details["reason"] == "长" * 200  # stripped, then bounded


def test_the_limit_counts_every_kind_of_reveal_of_the_user_in_the_last_hour(world, settings):
    settings.REVEAL_LIMIT_PER_HOUR = 3
    person = PersonFactory(household__committee=world.committee_a1)
    worker = make_worker(world.bureau, world.committee_a1)
    residents.person_reveal_id(actor=world.street_user, person=person, reason="核对")
    staff.worker_reveal_id_number(actor=world.street_user, worker=worker, reason="核对")
    residents.person_reveal_id(actor=world.bureau, person=person, reason="别人的不算")
    residents.person_reveal_id(actor=world.street_user, person=person, reason="第三次")
    with pytest.raises(reveals.RevealLimitExceeded) as exc:
        staff.worker_reveal_id_number(actor=world.street_user, worker=worker, reason="第四次")
    assert exc.value.message == reveals.ERR_LIMIT.format(limit=3, minutes=-(-exc.value.retry_after // 60))
    assert 3590 <= exc.value.retry_after <= 3601
    denied = AuditLog.objects.get(result=AuditLog.Result.DENIED)
    assert (denied.action, denied.actor, denied.object_id) == (
        "worker.reveal_id_number",
        world.street_user,
        str(worker.pk),
    )
    assert denied.details == {"reason": "第四次", "limit": 3}
    assert reveals.allowance(world.street_user).used == 3  # the refusal does not count


def test_reveals_older_than_an_hour_do_not_count(world, settings):
    settings.REVEAL_LIMIT_PER_HOUR = 2
    person = PersonFactory(household__committee=world.committee_a1)
    for minutes in (61, 90, 600):
        AuditLog.objects.create(
            created_at=timezone.now() - timedelta(minutes=minutes),
            actor=world.committee_user,
            action="person.reveal_id",
            object_type="residents.person",
            object_id=str(person.pk),
        )
    residents.person_reveal_id(actor=world.committee_user, person=person, reason="一")
    residents.person_reveal_id(actor=world.committee_user, person=person, reason="二")
    with pytest.raises(reveals.RevealLimitExceeded):
        residents.person_reveal_id(actor=world.committee_user, person=person, reason="三")


def test_a_reveal_action_must_be_named_as_one(world):
    person = PersonFactory(household__committee=world.committee_a1)
    with pytest.raises(ValueError):
        reveals.reveal(actor=world.bureau, action="person.show", obj=person, reason="x")
