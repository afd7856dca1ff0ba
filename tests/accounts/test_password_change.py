"""One's own password (issue 16): the page every logged-in person has, and the forced change after an account
was opened or its password reset by someone else."""

import pytest
from django.test import Client
from django.urls import reverse

from community_admin.accounts.models import Role, User
from community_admin.core.models import AuditLog
from tests.factories import PASSWORD

CHANGE = reverse("accounts:password-change")
NEW = "Quiet-harbour-2026"


def must_change(user) -> User:
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_every_page_sends_an_account_that_must_change_its_password_to_the_change_page(world, login, role):
    client = login(must_change(world.user(role)))
    for url in (reverse("home"), reverse("residents:person-list"), reverse("accounts:user-list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{CHANGE}?next=")
    page = client.get(CHANGE)
    assert page.status_code == 200 and 'data-testid="must-change"' in page.content.decode()
    assert client.get("/static/css/app.css").status_code != 302  # static files are not held back
    assert client.get("/api/v1/streets/").status_code == 403  # the API refuses the session, no redirect
    assert client.post(reverse("accounts:logout")).status_code == 302  # logging out is always possible


def test_changing_it_clears_the_flag_keeps_the_session_and_returns_to_the_page_asked_for(world, login):
    client = login(must_change(world.street_user))
    asked = reverse("residents:person-list")
    redirected = client.get(asked)["Location"]
    response = client.post(redirected, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == asked
    user = User.objects.get(pk=world.street_user.pk)
    assert not user.must_change_password and user.check_password(NEW)
    assert client.get(asked).status_code == 200  # the same session goes on
    row = AuditLog.objects.get(action="user.password_change")
    assert row.actor == user and NEW not in str(row.details) and PASSWORD not in str(row.details)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "wrong-one", "new_password1": NEW, "new_password2": NEW},
            "old_password",
            "原密码：不正确",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
            "new_password1",
            "新密码：密码太短，至少要 12 位。",
        ),
        (
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
            "new_password2",
            "两次输入",
        ),
        (
            {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
            "new_password1",
            "相同",
        ),
    ],
)
def test_a_refused_change_is_a_400_naming_the_field_and_changes_nothing(world, login, data, field, message):
    client = login(must_change(world.committee_user))
    response = client.post(CHANGE, data)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert response.context["form"].errors[field]
    user = User.objects.get(pk=world.committee_user.pk)
    assert user.must_change_password and user.check_password(PASSWORD)
    assert not AuditLog.objects.filter(action="user.password_change").exists()


def test_an_unsafe_next_is_not_followed(world, login):
    client = login(world.bureau)
    response = client.post(
        f"{CHANGE}?next=https://evil.example/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_an_api_token_is_not_held_back_by_its_accounts_flag(world, department_token):
    token, key = department_token
    must_change(token.user)
    response = Client().get("/api/v1/streets/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_the_page_needs_a_login(db):
    response = Client().get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
