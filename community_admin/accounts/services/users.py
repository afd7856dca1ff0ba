"""Accounts, one per person (issue 16): a unit's accounts are opened and kept by the unit above it (the bureau
every account, a street office its own street's and its committees'), never deleted (the audit log keeps who
did what), and every change is audited without any password in it."""

import re
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from community_admin.accounts import lockouts, scoping
from community_admin.accounts.models import Role, User
from community_admin.core import audit
from community_admin.org.models import Committee, Department, Street

ERR_USERNAME_TAKEN = "用户名：{username} 已被使用。"
ERR_USERNAME_REQUIRED = "用户名：请填写登录用的用户名。"
ERR_NAME_REQUIRED = "姓名：请填写使用者的真实姓名（审计日志据此记录是谁操作的）。"
ERR_PHONE = "联系电话：只能填写数字、空格、“-”和“+”，5 至 20 位。"
ERR_UNIT_ROLE = "所属单位：与角色不符。"
ERR_UNIT_OUT_OF_SCOPE = "所属单位：只能在本单位管理的范围内新建账号（街道办事处管本街道及其社区的账号）。"
ERR_NOT_MANAGED = "无权管理该账号。"
ERR_DEACTIVATE_SELF = "不能停用自己的账号。"
ERR_LAST_BUREAU = "这是最后一个在用的区民政局账号，停用后无人能管理全区账号，不能停用。"
ERR_ALREADY_INACTIVE = "该账号已停用。"
ERR_ALREADY_ACTIVE = "该账号在用，无需启用。"
ERR_RESET_SELF = "自己的密码请在“修改密码”页修改（须输入原密码）。"
ERR_RESET_INACTIVE = "该账号已停用：先启用，再重置密码。"
ERR_NOT_LOCKED = "该账号未被锁定。"
ERR_OLD_PASSWORD = "原密码：不正确。"
ERR_SAME_PASSWORD = "新密码：不能与原密码相同。"

PASSWORD_MESSAGES = {"password_too_short": "密码太短，至少要 %(min_length)d 位。"}
PHONE = re.compile(r"[0-9+\- ]{5,20}")
UNIT_MODELS = {Role.STREET: Street, Role.COMMITTEE: Committee, Role.DEPARTMENT: Department}
# No 0/O, 1/l/I: a temporary password is read out over the phone or copied from the screen by hand.
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _unit_code(unit: models.Model | None) -> str:
    return getattr(unit, "code", "") if unit is not None else ""


def _check_password(password: str, user: User, field: str, label: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: [f"{label}：{_password_message(e)}" for e in exc.error_list]}) from exc


def _password_message(error: ValidationError) -> str:
    # Django's zh-hans catalogue lacks the length message as Django 5 words it: it would show in English.
    if error.code in PASSWORD_MESSAGES:
        return PASSWORD_MESSAGES[error.code] % (error.params or {})
    return " ".join(error.messages)


def _check_unit(actor: User | None, role: str, unit: models.Model | None) -> None:
    expected = UNIT_MODELS.get(role)
    if (expected is None) != (unit is None) or (expected is not None and not isinstance(unit, expected)):
        raise ValidationError({"unit": ERR_UNIT_ROLE})
    if actor is not None and not scoping.may_manage_unit(actor, role, unit):
        raise ValidationError({"unit": ERR_UNIT_OUT_OF_SCOPE})


def _check_person(full_name: str, phone: str) -> None:
    errors = {}
    if not full_name:
        errors["first_name"] = ERR_NAME_REQUIRED
    if phone and not PHONE.fullmatch(phone):
        errors["phone"] = ERR_PHONE
    if errors:
        raise ValidationError(errors)


def _require_managed(actor: User, user: User) -> User:
    """The account, locked for the change, if `actor` manages it (the pages found it through
    `scoping.visible_accounts` already; a service called otherwise refuses the same way)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not scoping.visible_accounts(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(ERR_NOT_MANAGED)
    return user


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    role: str,
    unit: models.Model | None = None,
    password: str,
    phone: str = "",
    post: str = "",
    must_change_password: bool = True,
) -> User:
    """An account for one named person in `unit` (None for the bureau), with an initial password that passes
    the site's validators; the person changes it at first login unless `must_change_password` is False (the
    first account of an installation, whose holder typed it). `actor` None: a management command."""
    username, full_name, phone, post = username.strip(), full_name.strip(), phone.strip(), post.strip()
    if not username:
        raise ValidationError({"username": ERR_USERNAME_REQUIRED})
    _check_person(full_name, phone)
    _check_unit(actor, role, unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": ERR_USERNAME_TAKEN.format(username=username)})
    user = User(
        username=username,
        first_name=full_name,
        phone=phone,
        post=post,
        role=role,
        must_change_password=must_change_password,
        **({UNIT_MODELS[role].__name__.lower(): unit} if unit is not None else {}),
    )
    _check_password(password, user, "password", "初始密码")
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(
        actor=actor,
        actor_name="" if actor else "create_bureau_user",
        action="user.create",
        obj=user,
        details={
            "username": username,
            "name": full_name,
            "role": role,
            "unit": _unit_code(unit),
            "post": post,
        },
    )
    return user


def bureau_user_create(*, actor: User | None, username: str, full_name: str, password: str) -> User:
    """A bureau account for one named person: the first account of a new installation (`create_bureau_user`),
    whose holder typed the password, so it need not be changed at first login."""
    return user_create(
        actor=actor,
        username=username,
        full_name=full_name,
        role=Role.BUREAU,
        password=password,
        must_change_password=False,
    )


@transaction.atomic
def user_update(*, actor: User, user: User, full_name: str, phone: str = "", post: str = "") -> User:
    """The person's name, phone and post; the audit row has each changed field with its old and new value."""
    user = _require_managed(actor, user)
    full_name, phone, post = full_name.strip(), phone.strip(), post.strip()
    _check_person(full_name, phone)
    new = {"first_name": full_name, "phone": phone, "post": post}
    changed = {f: [getattr(user, f), v] for f, v in new.items() if getattr(user, f) != v}
    if not changed:
        return user
    for field, (_old, value) in changed.items():
        setattr(user, field, value)
    user.full_clean()
    user.save(update_fields=list(changed))
    audit.record(actor=actor, action="user.update", obj=user, details={"changed": changed})
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Stops the account (its sessions end at their next request, its tokens stop): never deleted, the audit
    log keeps who it was. Not oneself, nor the district's last active bureau account."""
    user = _require_managed(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(ERR_DEACTIVATE_SELF)
    if not user.is_active:
        raise ValidationError(ERR_ALREADY_INACTIVE)
    if user.role == Role.BUREAU:
        # Locked together, so two bureau clerks stopping each other at once cannot leave none.
        active = list(
            User.objects.select_for_update()
            .filter(role=Role.BUREAU, is_active=True)
            .values_list("pk", flat=True)
        )
        if set(active) <= {user.pk}:
            raise ValidationError(ERR_LAST_BUREAU)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, action="user.deactivate", obj=user, details={"username": user.username})
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User) -> User:
    user = _require_managed(actor, user)
    if user.is_active:
        raise ValidationError(ERR_ALREADY_ACTIVE)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(actor=actor, action="user.reactivate", obj=user, details={"username": user.username})
    return user


def generate_password() -> str:
    """Three groups of four letters and digits (about 69 bits), always with a digit and both cases."""
    while True:
        groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        if (
            any(c.isdigit() for c in password)
            and any(c.islower() for c in password)
            and any(c.isupper() for c in password)
        ):
            return password


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> tuple[User, str]:
    """A temporary password made by the system, returned to be shown once; the person must change it at next
    login. A lockout on the account is lifted with it (the reset is how a locked-out clerk gets back in)."""
    user = _require_managed(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(ERR_RESET_SELF)
    if not user.is_active:
        raise ValidationError(ERR_RESET_INACTIVE)
    password = generate_password()
    _check_password(password, user, "password", "临时密码")
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    lifted = lockouts.lift(user.username)
    audit.record(
        actor=actor,
        action="user.password_reset",
        obj=user,
        details={"username": user.username, "lockout_lifted": lifted > 0},
    )
    return user, password


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> User:
    """Lifts the login lockout of the account's user name (axes' reset)."""
    user = _require_managed(actor, user)
    if not lockouts.is_locked(user.username):
        raise ValidationError(ERR_NOT_LOCKED)
    lockouts.lift(user.username)
    audit.record(actor=actor, action="user.unlock", obj=user, details={"username": user.username})
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The person changes their own password (the old one first); a forced change is then done."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ERR_OLD_PASSWORD})
    if new_password == old_password:
        raise ValidationError({"new_password1": ERR_SAME_PASSWORD})
    _check_password(new_password, user, "new_password1", "新密码")
    user.set_password(new_password)
    forced = user.must_change_password
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=user, action="user.password_change", obj=user, details={"was_required": forced})
    return user
