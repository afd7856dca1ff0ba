import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.accounts import services, tokens
from community_admin.accounts.models import ApiToken, Role
from community_admin.core.models import AuditLog
from tests.factories import GRANT_TOKEN_NAME


def test_token_is_stored_hashed_shown_once_and_audited(world):
    token, key = services.api_token_create(
        actor=world.bureau, department=world.police, name="流动人口对接", scopes=["org:read"], days_valid=90
    )
    assert key.startswith(f"ca_{token.prefix}_")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert token.user.role == Role.DEPARTMENT and token.user.department == world.police
    assert not token.user.has_usable_password()
    assert tokens.find_active(key) == token
    row = AuditLog.objects.get(action="token.create")
    assert row.actor == world.bureau and row.details["scopes"] == ["org:read"]
    assert key not in str(row.details)


def test_a_department_gets_one_account_for_all_its_tokens(world):
    first, _ = services.api_token_create(
        actor=world.bureau, department=world.police, name="a", scopes=["org:read"], days_valid=1
    )
    second, _ = services.api_token_create(
        actor=world.bureau, department=world.police, name="b", scopes=["org:read"], days_valid=1
    )
    assert first.user == second.user


@pytest.mark.parametrize(
    ("scopes", "days", "field", "message"),
    [
        ([], 30, "scopes", services.ERR_TOKEN_NO_SCOPES),
        (["everything"], 30, "scopes", "未知的权限范围"),
        (["org:read"], 0, "days_valid", services.ERR_TOKEN_DAYS),
        (["org:read"], 367, "days_valid", services.ERR_TOKEN_DAYS),
    ],
)
def test_bad_token_requests_name_the_field_and_change_nothing(world, scopes, days, field, message):
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(
            actor=world.bureau, department=world.police, name="x", scopes=scopes, days_valid=days
        )
    assert message in exc.value.message_dict[field][0]
    assert not ApiToken.objects.exclude(name=GRANT_TOKEN_NAME).exists()
    assert not AuditLog.objects.filter(action="token.create").exists()


def test_revoked_and_expired_tokens_no_longer_authenticate(world):
    token, key = services.api_token_create(
        actor=world.bureau, department=world.police, name="x", scopes=["org:read"], days_valid=1
    )
    services.api_token_revoke(actor=world.bureau, token=token)
    assert tokens.find_active(key) is None
    assert AuditLog.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=world.bureau, token=token)

    other, other_key = services.api_token_create(
        actor=world.bureau, department=world.police, name="y", scopes=["org:read"], days_valid=1
    )
    ApiToken.objects.filter(pk=other.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tokens.find_active(other_key) is None


@pytest.mark.parametrize("key", ["", "ca_", "ca_abc", "xx_abc_def", "ca_nope_nope"])
def test_malformed_keys_find_nothing(world, key):
    assert tokens.find_active(key) is None
