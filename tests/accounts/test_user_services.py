"""Accounts, one per person (issue 16): who may open and keep which account, and what each change leaves in
the audit log (never a password)."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community_admin.accounts import lockouts, services
from community_admin.accounts.models import Role, User
from community_admin.core.models import AuditLog
from tests.factories import UserFactory

GOOD = "Quiet-harbour-2026"


def create(actor, **overrides):
    arguments = {
        "actor": actor,
        "username": "a1-zhangmin",
        "full_name": "张敏",
        "role": Role.COMMITTEE,
        "unit": None,
        "password": GOOD,
        "phone": "13800001111",
        "post": "社区书记",
    }
    return services.user_create(**{**arguments, **overrides})


def lock(username: str) -> None:
    """As axes leaves a user name after five failed logins (tests/accounts/test_auth.py does it for real)."""
    AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.9", user_agent="x", failures_since_start=5
    )


def assert_no_password_in_audit(*passwords):
    for row in AuditLog.objects.filter(action__startswith="user."):
        text = str(row.details)
        assert not any(p in text for p in passwords), row.action
        assert "password" not in {k.lower() for k in row.details}


def test_a_street_opens_an_account_for_one_of_its_committees(world):
    user = create(world.street_user, unit=world.committee_a2)
    assert (user.role, user.committee, user.first_name, user.post) == (
        Role.COMMITTEE,
        world.committee_a2,
        "张敏",
        "社区书记",
    )
    assert user.must_change_password and user.check_password(GOOD)
    row = AuditLog.objects.get(action="user.create")
    assert row.actor == world.street_user and row.object_id == str(user.pk)
    assert row.details == {
        "username": "a1-zhangmin",
        "name": "张敏",
        "role": "committee",
        "unit": "A2",
        "post": "社区书记",
    }
    assert_no_password_in_audit(GOOD)


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.COMMITTEE, "committee_b1"),  # another street's committee
        (Role.STREET, "street_b"),  # another street
        (Role.BUREAU, None),  # above it
        (Role.DEPARTMENT, "police"),  # beside it
    ],
)
def test_a_street_cannot_open_an_account_outside_its_street(world, role, unit):
    with pytest.raises(ValidationError) as exc:
        create(world.street_user, role=role, unit=getattr(world, unit) if unit else None)
    assert exc.value.message_dict["unit"] == [services.ERR_UNIT_OUT_OF_SCOPE]
    assert not User.objects.filter(username="a1-zhangmin").exists()
    assert not AuditLog.objects.filter(action="user.create").exists()


def test_a_unit_of_the_wrong_kind_for_the_role_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world.bureau, role=Role.COMMITTEE, unit=world.street_a)
    assert exc.value.message_dict["unit"] == [services.ERR_UNIT_ROLE]
    with pytest.raises(ValidationError):
        create(world.bureau, role=Role.BUREAU, unit=world.street_a)


def test_the_bureau_opens_bureau_street_and_department_accounts(world):
    bureau = create(world.bureau, username="bureau-li", role=Role.BUREAU, unit=None)
    street = create(world.bureau, username="b-wang", role=Role.STREET, unit=world.street_b)
    dept = create(world.bureau, username="ps-zhao", role=Role.DEPARTMENT, unit=world.police)
    assert (bureau.role, street.street, dept.department) == (Role.BUREAU, world.street_b, world.police)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password": "short1"}, "password", "初始密码：密码太短，至少要 12 位。"),
        ({"password": "123456789012345"}, "password", "初始密码："),
        ({"password": "a1-zhangmin-x"}, "password", "初始密码："),  # too like the login
        ({"full_name": "  "}, "first_name", services.ERR_NAME_REQUIRED),
        ({"username": "T-Committee"}, "username", "用户名：T-Committee 已被使用"),
        ({"username": "  "}, "username", services.ERR_USERNAME_REQUIRED),
        ({"username": "张 敏"}, "username", ""),
        ({"phone": "call me"}, "phone", services.ERR_PHONE),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, overrides, field, message):
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(world.street_user, unit=world.committee_a1, **overrides)
    assert message in exc.value.message_dict[field][0]
    assert User.objects.count() == before
    assert not AuditLog.objects.filter(action="user.create").exists()


def test_the_first_bureau_account_keeps_its_typed_password(db):
    user = services.bureau_user_create(actor=None, username="zhangwei", full_name="张伟", password=GOOD)
    assert user.role == Role.BUREAU and not user.must_change_password
    assert AuditLog.objects.get(action="user.create").actor_name == "create_bureau_user"


def test_update_audits_each_changed_field_with_old_and_new(world):
    services.user_update(
        actor=world.street_user, user=world.committee_user, full_name="李娜", phone="", post="社工"
    )
    user = User.objects.get(pk=world.committee_user.pk)
    assert (user.first_name, user.post) == ("李娜", "社工")
    row = AuditLog.objects.get(action="user.update")
    assert row.details == {"changed": {"first_name": ["", "李娜"], "post": ["", "社工"]}}
    # nothing changed: no row
    services.user_update(actor=world.street_user, user=user, full_name="李娜", phone="", post="社工")
    assert AuditLog.objects.filter(action="user.update").count() == 1


def test_a_street_cannot_change_another_streets_account_through_the_service(world):
    other = UserFactory(
        username="b1-clerk", role=Role.COMMITTEE, committee=world.committee_b1, first_name="王五"
    )
    for call in (
        lambda: services.user_update(actor=world.street_user, user=other, full_name="改名"),
        lambda: services.user_deactivate(actor=world.street_user, user=other),
        lambda: services.user_password_reset(actor=world.street_user, user=other),
        lambda: services.user_update(actor=world.street_user, user=world.bureau, full_name="改名"),
        lambda: services.user_update(actor=world.committee_user, user=world.committee_user, full_name="改名"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    other.refresh_from_db()
    assert other.first_name == "王五" and other.is_active
    assert not AuditLog.objects.filter(action__startswith="user.").exists()


def test_deactivate_keeps_the_account_and_reactivate_brings_it_back(world):
    services.user_deactivate(actor=world.street_user, user=world.committee_user)
    user = User.objects.get(pk=world.committee_user.pk)  # still there: the audit keeps who it was
    assert not user.is_active
    with pytest.raises(ValidationError, match=services.ERR_ALREADY_INACTIVE):
        services.user_deactivate(actor=world.street_user, user=user)
    services.user_reactivate(actor=world.street_user, user=user)
    assert User.objects.get(pk=user.pk).is_active
    assert list(
        AuditLog.objects.filter(action__startswith="user.").values_list("action", flat=True).order_by("id")
    ) == [
        "user.deactivate",
        "user.reactivate",
    ]


def test_no_one_deactivates_themselves(world):
    for actor in (world.bureau, world.street_user):
        with pytest.raises(ValidationError, match=services.ERR_DEACTIVATE_SELF):
            services.user_deactivate(actor=actor, user=actor)
        assert User.objects.get(pk=actor.pk).is_active


def test_the_last_active_bureau_account_cannot_be_deactivated(world):
    """Two bureau clerks stop each other (one request each, in turn, each holding its own copy): the second
    is refused, so the district keeps someone who can manage its accounts."""
    second = UserFactory(username="bureau-2", role=Role.BUREAU)
    services.user_deactivate(actor=world.bureau, user=second)
    with pytest.raises(ValidationError, match=services.ERR_LAST_BUREAU):
        services.user_deactivate(actor=second, user=world.bureau)
    assert User.objects.get(pk=world.bureau.pk).is_active


def test_a_password_reset_makes_a_temporary_password_shown_once_and_lifts_a_lockout(world):
    lock("t-committee")
    assert lockouts.is_locked("t-committee")
    user, password = services.user_password_reset(actor=world.street_user, user=world.committee_user)
    assert user.check_password(password) and user.must_change_password
    assert not lockouts.is_locked("t-committee")
    row = AuditLog.objects.get(action="user.password_reset")
    assert row.details == {"username": "t-committee", "lockout_lifted": True}
    assert_no_password_in_audit(password)


def test_generated_passwords_pass_the_sites_validators_and_differ(world):
    from django.contrib.auth.password_validation import validate_password

    made = {services.generate_password() for _ in range(50)}
    assert len(made) == 50
    for password in list(made)[:10]:
        validate_password(password, world.committee_user)


def test_one_does_not_reset_ones_own_password_nor_a_stopped_account(world):
    with pytest.raises(ValidationError, match="修改密码"):
        services.user_password_reset(actor=world.bureau, user=world.bureau)
    services.user_deactivate(actor=world.bureau, user=world.committee_user)
    with pytest.raises(ValidationError, match=services.ERR_RESET_INACTIVE):
        services.user_password_reset(actor=world.bureau, user=world.committee_user)


def test_unlock_lifts_a_lockout_and_refuses_an_unlocked_account(world):
    with pytest.raises(ValidationError, match=services.ERR_NOT_LOCKED):
        services.user_unlock(actor=world.street_user, user=world.committee_user)
    lock("t-committee")
    services.user_unlock(actor=world.street_user, user=world.committee_user)
    assert not AccessAttempt.objects.filter(username="t-committee").exists()
    assert AuditLog.objects.get(action="user.unlock").actor == world.street_user


def test_an_old_lockout_past_the_cool_off_is_not_a_lockout(world, settings):
    lock("t-committee")
    assert lockouts.is_locked("t-committee")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert not lockouts.is_locked("t-committee")


def test_changing_ones_own_password_needs_the_old_one_and_clears_the_flag(world):
    User.objects.filter(pk=world.committee_user.pk).update(must_change_password=True)
    user = User.objects.get(pk=world.committee_user.pk)
    from tests.factories import PASSWORD

    with pytest.raises(ValidationError) as exc:
        services.user_password_change(user=user, old_password="wrong", new_password=GOOD)
    assert exc.value.message_dict == {"old_password": [services.ERR_OLD_PASSWORD]}
    with pytest.raises(ValidationError) as exc:
        services.user_password_change(user=user, old_password=PASSWORD, new_password="12345678901234")
    assert exc.value.message_dict["new_password1"][0].startswith("新密码：")
    with pytest.raises(ValidationError, match=services.ERR_SAME_PASSWORD):
        services.user_password_change(user=user, old_password=PASSWORD, new_password=PASSWORD)
    assert User.objects.get(pk=user.pk).must_change_password  # nothing written by the refusals
    services.user_password_change(user=user, old_password=PASSWORD, new_password=GOOD)
    user = User.objects.get(pk=user.pk)
    assert user.check_password(GOOD) and not user.must_change_password
    row = AuditLog.objects.get(action="user.password_change")
    assert row.actor == user and row.details == {"was_required": True}
    assert_no_password_in_audit(GOOD, PASSWORD)
