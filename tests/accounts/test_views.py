from django.urls import reverse

from community_admin.accounts.models import ApiToken
from community_admin.core import audit
from community_admin.core.models import AuditLog
from tests.factories import GRANT_TOKEN_NAME


def test_bureau_filters_the_audit_log(world, login):
    audit.record(actor=world.street_user, action="committee.update", obj=world.committee_a1)
    audit.record(actor=world.bureau, action="token.create", obj=world.police)
    client = login(world.bureau)
    page = client.get(reverse("accounts:audit-list"), {"action": "committee.", "actor": "t-street"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "committee.update" in body and "token.create" not in body


def test_audit_filter_with_a_bad_date_shows_the_field_error(world, login):
    page = login(world.bureau).get(reverse("accounts:audit-list"), {"date_from": "2026-13-45"})
    assert page.status_code == 400  # the form's error, not the unfiltered log
    assert "起始日期" in page.content.decode()


def test_token_page_shows_a_new_key_once(world, login):
    client = login(world.bureau)
    response = client.post(
        reverse("accounts:token-list"),
        {"department": world.police.pk, "name": "户籍对接", "scopes": ["org:read"], "days_valid": 30},
    )
    token = ApiToken.objects.exclude(name=GRANT_TOKEN_NAME).get()
    body = response.content.decode()
    assert response.status_code == 200 and f"ca_{token.prefix}_" in body
    assert response["Cache-Control"] == "no-store"
    assert f"ca_{token.prefix}_" not in client.get(reverse("accounts:token-list")).content.decode()


def test_token_form_errors_name_the_field_and_create_nothing(world, login):
    response = login(world.bureau).post(
        reverse("accounts:token-list"), {"department": world.police.pk, "name": "", "days_valid": 999}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "用途说明" in body and "权限范围" in body and "有效天数" in body
    assert not ApiToken.objects.exclude(name=GRANT_TOKEN_NAME).exists()


def test_revoking_from_the_page(world, login, department_token):
    token, _ = department_token
    response = login(world.bureau).post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_denied_page_access_is_audited(world, login):
    assert login(world.committee_user).get(reverse("accounts:audit-list")).status_code == 403
    row = AuditLog.objects.get(action="access.denied")
    assert row.actor == world.committee_user and row.details["permission"] == "audit.view"
