"""Finding 8 of the penetration test: a superuser changed a user's role or unit and deleted tokens through the
Django admin without an audit row."""

import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from community_admin.accounts.models import ApiToken, Role, User
from community_admin.core.models import AuditLog
from tests.factories import UserFactory

STRONG = "Nouveau-Mot-2026!"


@pytest.fixture
def admin_client(world, login):
    return login(UserFactory(username="t-admin", is_staff=True, is_superuser=True))


def change_form(user: User, **overrides) -> dict:
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        # as the admin's page sends them: the shown values and, hidden, the same as they were shown
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M"),
        "initial-date_joined_0": joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": joined.strftime("%H:%M"),
        "role": user.role,
        "street": user.street_id or "",
        "committee": user.committee_id or "",
        "department": user.department_id or "",
        "_save": "保存",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def no_secret_in(rows) -> None:
    text = json.dumps([r.details for r in rows], ensure_ascii=False)
    assert "pbkdf2" not in text and "md5$" not in text and "key_hash" not in text and STRONG not in text


def test_moving_a_user_to_another_unit_and_role_through_the_admin_is_audited_old_to_new(world, admin_client):
    user = world.committee_user
    group = Group.objects.create(name="统计员")
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(
            user,
            role=Role.STREET,
            street=world.street_a.pk,
            committee="",
            is_staff="on",
            groups=[group.pk],
            first_name="新名",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditLog.objects.get(action="user.change", object_id=str(user.pk))
    assert row.actor.username == "t-admin" and row.object_type == "accounts.user"
    assert row.details["via"] == "admin"
    assert row.details["changes"] == {
        "role": [Role.COMMITTEE, Role.STREET],
        "street": [None, "A"],
        "committee": ["A1", None],
        "is_staff": [False, True],
        "groups": [[], ["统计员"]],
    }
    assert row.details["other_fields"] == ["first_name"]
    no_secret_in([row])


def test_a_save_that_changes_nothing_writes_no_row(world, admin_client):
    user = world.committee_user
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), change_form(user))
    assert response.status_code == 302
    assert not AuditLog.objects.filter(action="user.change").exists()


def test_adding_a_user_and_setting_a_password_through_the_admin_are_audited_without_the_password(
    world, admin_client
):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "t-new",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = User.objects.get(username="t-new")
    created = AuditLog.objects.get(action="user.create", object_id=str(new.pk))
    assert created.details["role"] == Role.BUREAU and created.details["is_superuser"] is False
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[new.pk]),
        {"password1": STRONG + "x", "password2": STRONG + "x", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditLog.objects.filter(action="user.password_set", object_id=str(new.pk)).count() == 1
    no_secret_in(AuditLog.objects.all())


def test_deleting_users_through_the_admin_is_audited(world, admin_client):
    one, two = UserFactory(username="t-gone-1"), UserFactory(username="t-gone-2")
    response = admin_client.post(reverse("admin:accounts_user_delete", args=[one.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [two.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(username__startswith="t-gone").exists()
    rows = AuditLog.objects.filter(action="user.delete").order_by("id")
    assert [r.details["username"] for r in rows] == ["t-gone-1", "t-gone-2"]
    no_secret_in(rows)


def test_deleting_tokens_through_the_admin_is_audited_without_their_hash(
    world, admin_client, department_token
):
    token, key = department_token
    response = admin_client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    row = AuditLog.objects.get(action="token.delete", object_id=str(token.pk))
    assert row.details == {
        "via": "admin",
        "name": token.name,
        "prefix": token.prefix,
        "department": "PSA",
        "scopes": token.scopes,
        "revoked": False,
    }
    assert key not in json.dumps(row.details) and token.key_hash not in json.dumps(row.details)


def test_deleting_tokens_in_bulk_through_the_admin_is_audited(world, admin_client, department_token):
    token, _ = department_token
    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert AuditLog.objects.filter(action="token.delete", object_id=str(token.pk)).count() == 1
