"""The one rule for showing a full number the pages and the API otherwise mask (a resident's ID number and the
numbers that embed it, a community worker's ID number): the reader states why, may do it at most
`settings.REVEAL_LIMIT_PER_HOUR` times in any hour, and every reveal, allowed or refused, leaves an audit row.

The count is read from the audit log, which already holds every reveal of every process (a cache would be
per process unless shared). Reveal actions are named `<entity>.reveal_<what>` and counted together."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from rest_framework.exceptions import Throttled

from community_admin.core import audit
from community_admin.core.models import AuditLog

REASON_MAX = 200
WINDOW = timedelta(hours=1)
ACTION_MARK = ".reveal_"

# The pages put the field's label before a field's message; these name it in their own words too (the API).
ERR_REASON_REQUIRED = "请填写查看原因（为何需要完整号码）。"
ERR_REASON_LONG = "查看原因不能超过 {limit} 个字符。"
ERR_REASON_CHARS = "查看原因不能包含控制字符。"
ERR_LIMIT = (
    "查看完整号码过于频繁：每人每小时最多 {limit} 次，请 {minutes} 分钟后再试。本次请求已记入审计日志。"
)


class RevealLimitExceeded(Exception):
    """Over the hourly limit: nothing shown, the refusal audited. `retry_after` is in seconds."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Allowance:
    used: int
    retry_after: int  # seconds until the oldest reveal of the window leaves it (0 when none)


def clean_reason(reason: str | None) -> str:
    """The reason, stripped; blank, too long or with control characters -> ValidationError on `reason`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": ERR_REASON_LONG.format(limit=REASON_MAX)})
    if any(ord(c) < 32 for c in reason):  # a NUL cannot even be stored in PostgreSQL's JSON
        raise ValidationError({"reason": ERR_REASON_CHARS})
    return reason


def allowance(actor) -> Allowance:
    """The actor's reveals in the last hour."""
    since = timezone.now() - WINDOW
    rows = AuditLog.objects.filter(
        actor_id=actor.pk, result=AuditLog.Result.OK, action__contains=ACTION_MARK, created_at__gte=since
    )
    summary = rows.aggregate(used=models.Count("id"), oldest=models.Min("created_at"))
    oldest = summary["oldest"]
    wait = max(1, int((oldest + WINDOW - timezone.now()).total_seconds()) + 1) if oldest else 0
    return Allowance(used=summary["used"], retry_after=wait)


def reveal(*, actor, action: str, obj: models.Model, reason: str, details: dict | None = None) -> None:
    """Check the reason and the limit, then audit the reveal; the caller shows the number only if this returns.

    Raises ValidationError (the reason; nothing audited) or RevealLimitExceeded (the refusal audited). Call it
    outside a transaction that the exception would roll back, or the refusal's audit row goes with it."""
    if ACTION_MARK not in action:
        raise ValueError(f"a reveal action is named <entity>{ACTION_MARK}<what>: {action}")
    reason = clean_reason(reason)
    limit = settings.REVEAL_LIMIT_PER_HOUR
    with transaction.atomic():
        # one reveal at a time per user, so two concurrent requests cannot both take the last one
        get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk").first()
        current = allowance(actor)
        allowed = current.used < limit
        audit.record(
            actor=actor,
            action=action,
            obj=obj,
            result=AuditLog.Result.OK if allowed else AuditLog.Result.DENIED,
            details={"reason": reason, **(details or {}), **({} if allowed else {"limit": limit})},
        )
    if not allowed:
        minutes = max(1, -(-current.retry_after // 60))
        raise RevealLimitExceeded(
            ERR_LIMIT.format(limit=limit, minutes=minutes), retry_after=current.retry_after
        )


def api_refusal(exc: RevealLimitExceeded) -> Throttled:
    """The API's answer to a refusal: 429 with the message as it is and a Retry-After header."""
    refusal = Throttled(detail=exc.message)  # without `wait`, DRF would append an English sentence
    refusal.wait = exc.retry_after
    return refusal
