import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_admin.accounts.middleware import SESSION_STARTED_KEY, SESSION_TOUCHED_KEY
from community_admin.core.models import AuditLog
from tests.factories import PASSWORD

LOGIN = reverse("accounts:login")


def attempt(username: str, password: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def test_login_with_the_right_password_lands_on_home_and_is_audited(world):
    response = attempt("t-street", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    row = AuditLog.objects.get(action="auth.login")
    assert (row.actor, row.role, row.ip_address) == (world.street_user, "street", "10.0.0.1")


def test_five_failures_for_one_user_name_lock_it_from_any_address(world):
    for i in range(4):
        assert attempt("t-street", "wrong-password", ip=f"10.0.1.{i}").status_code == 200
    assert attempt("t-street", "wrong-password", ip="10.0.1.9").status_code == 429  # the fifth locks
    locked = attempt("t-street", PASSWORD, ip="10.0.2.1")
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    # Five failures, then the attempt refused while locked (axes reports it as a failed login too).
    assert AuditLog.objects.filter(action="auth.login_failed", actor_name="t-street").count() == 6
    assert AuditLog.objects.filter(action="auth.locked_out", result="denied").exists()
    assert not AuditLog.objects.filter(action="auth.login").exists()
    # Another user name is not locked by this one's failures.
    assert attempt("t-bureau", PASSWORD, ip="10.0.3.1").status_code == 302


def test_five_failures_from_one_address_lock_that_address(world):
    for i in range(5):
        attempt(f"nobody{i}", "wrong-password", ip="10.9.9.9")
    assert attempt("t-bureau", PASSWORD, ip="10.9.9.9").status_code == 429
    assert attempt("t-bureau", PASSWORD, ip="10.9.9.8").status_code == 302


def test_lockout_settings_match_the_policy():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_failed_login_shows_an_error_and_audits_the_attempt(world):
    response = attempt("t-bureau", "not-the-password")
    assert "请输入一个正确的用户名和密码" in response.content.decode() or "正确" in response.content.decode()
    assert AuditLog.objects.filter(
        action="auth.login_failed", actor_name="t-bureau", result="failed"
    ).exists()


def test_session_is_idle_limited_to_30_minutes(world, login):
    client = login(world.bureau)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 30 * 60
    row = Session.objects.get(session_key=client.session.session_key)
    assert 29 * 60 < (row.expire_date - timezone.now()).total_seconds() <= 30 * 60


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_an_active_session_is_saved_once_a_minute_not_on_every_request(world, login):
    client = login(world.bureau)
    client.get(reverse("home"))
    saved = expiry(client)
    client.get(reverse("home"))
    assert expiry(client) == saved  # within the minute: no write

    session = client.session
    session[SESSION_TOUCHED_KEY] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=saved - timedelta(minutes=5))
    client.get(reverse("home"))
    assert expiry(client) > saved - timedelta(minutes=1)  # a minute later: the expiry moves on


def test_an_idle_session_ends(world, login):
    client = login(world.bureau)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("home")).status_code == 302


def test_session_ends_12_hours_after_login_whatever_the_activity(world, login):
    client = login(world.bureau)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(reverse("home")).status_code == 302


def test_logout_is_a_post_and_audited(world, login):
    client = login(world.committee_user)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditLog.objects.filter(action="auth.logout", actor=world.committee_user).exists()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("password", ["short-pass1", "abcdefghijk"])
def test_passwords_need_at_least_12_characters(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_12_character_password_passes():
    validate_password("Qz7!market-lane")
