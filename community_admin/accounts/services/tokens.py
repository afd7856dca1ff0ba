from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts import tokens
from community_admin.accounts.models import ApiToken, Role, User
from community_admin.core import audit
from community_admin.org.models import Department

TOKEN_MAX_DAYS = 366
ERR_TOKEN_NO_SCOPES = "请至少选择一项权限范围。"
ERR_TOKEN_UNKNOWN_SCOPE = "未知的权限范围：{scope}"
ERR_TOKEN_DAYS = f"有效期须在 1 至 {TOKEN_MAX_DAYS} 天之间。"
ERR_TOKEN_ALREADY_REVOKED = "该令牌已撤销。"


def department_account(department: Department) -> User:
    """The department's system account that its API tokens act as (no password: tokens only)."""
    user, created = User.objects.get_or_create(
        username=f"dept-{department.code}",
        defaults={"role": Role.DEPARTMENT, "department": department, "first_name": department.name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def api_token_create(
    *, actor: User, department: Department, name: str, scopes: list[str], days_valid: int
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key; the key is never stored and cannot be shown again."""
    if not scopes:
        raise ValidationError({"scopes": _(ERR_TOKEN_NO_SCOPES)})
    for scope in scopes:
        if scope not in ApiToken.Scope.values:
            raise ValidationError({"scopes": _(ERR_TOKEN_UNKNOWN_SCOPE).format(scope=scope)})
    if not 1 <= days_valid <= TOKEN_MAX_DAYS:
        raise ValidationError({"days_valid": _(ERR_TOKEN_DAYS)})
    key, prefix, key_hash = tokens.generate_key()
    token = ApiToken(
        user=department_account(department),
        name=name,
        prefix=prefix,
        key_hash=key_hash,
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days_valid),
        created_by=actor,
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="token.create",
        obj=token,
        details={
            "department": department.code,
            "scopes": token.scopes,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_(ERR_TOKEN_ALREADY_REVOKED))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit.record(actor=actor, action="token.revoke", obj=token)
    return token


@transaction.atomic
def api_token_rotate(*, actor: User, token: ApiToken) -> tuple[ApiToken, str]:
    """Replace a token with a new key of the same department, purpose and scopes, valid as long as the
    old one was issued for; the old key stops working at once. The new key is shown once."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_(ERR_TOKEN_ALREADY_REVOKED))
    # expires_at is computed a moment before created_at is stamped: round to whole days.
    issued_days = round((token.expires_at - token.created_at).total_seconds() / 86400)
    days_valid = min(max(issued_days, 1), TOKEN_MAX_DAYS)
    new_token, key = api_token_create(
        actor=actor,
        department=token.user.department,
        name=token.name,
        scopes=list(token.scopes),
        days_valid=days_valid,
    )
    api_token_revoke(actor=actor, token=token)
    audit.record(actor=actor, action="token.rotate", obj=new_token, details={"replaces": token.prefix})
    return new_token, key
