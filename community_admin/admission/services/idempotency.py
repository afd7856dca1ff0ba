"""A department's task submission behind an Idempotency-Key: one answer per key, also to concurrent retries."""

import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from community_admin.accounts.models import User
from community_admin.admission.models import IdempotencyKey, Task
from community_admin.admission.services import submission as task_submission

ERR_IDEMPOTENCY_CONFLICT = "该 Idempotency-Key 已用于另一份内容不同的请求；请为新请求使用新的键。"


class IdempotencyConflict(ValidationError):
    """The key was used before with another request body."""


@dataclass(frozen=True)
class SubmitOutcome:
    task: Task | None
    errors: dict
    status_code: int
    replayed: bool


# Concurrent retries of one key: the first claims it, the others wait for its answer. PostgreSQL makes them
# wait on the key's unique index (then IntegrityError); SQLite refuses a second writer ("database is locked")
# or hands a stale snapshot, so the whole attempt is run again, briefly backing off, until the answer is there.
IDEMPOTENCY_ATTEMPTS = 40
IDEMPOTENCY_BACKOFF_SECONDS = 0.05


def _is_lock_error(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def _key_claimed(actor: User, key: str) -> bool:
    try:
        return IdempotencyKey.objects.filter(user=actor, key=key).exists()
    except OperationalError as exc:
        if _is_lock_error(exc):
            return True  # the claimer is still writing: try again
        raise


def task_submit_idempotent(
    *, actor: User, idempotency_key: str, fingerprint: str, **submission
) -> SubmitOutcome:
    """`task_submit` behind an idempotency key: the first request's answer is stored with the key and
    given again for the same body, also to retries racing the first request; another body under the same
    key is refused (IdempotencyConflict)."""
    retry = not connection.in_atomic_block  # inside an outer transaction an attempt cannot be run again
    for attempt in range(IDEMPOTENCY_ATTEMPTS):
        last = not retry or attempt == IDEMPOTENCY_ATTEMPTS - 1
        try:
            return _submit_once(
                actor=actor, idempotency_key=idempotency_key, fingerprint=fingerprint, **submission
            )
        except IntegrityError:
            if last or not _key_claimed(actor, idempotency_key):
                raise  # not the key's constraint: a real fault
        except OperationalError as exc:
            if last or not _is_lock_error(exc):
                raise
        time.sleep(min(IDEMPOTENCY_BACKOFF_SECONDS * (attempt + 1), 0.5))
    raise AssertionError("unreachable")


@transaction.atomic
def _submit_once(*, actor: User, idempotency_key: str, fingerprint: str, **submission) -> SubmitOutcome:
    record, created = IdempotencyKey.objects.select_for_update().get_or_create(
        user=actor, key=idempotency_key, defaults={"fingerprint": fingerprint}
    )
    if not created:
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict({"idempotency_key": _(ERR_IDEMPOTENCY_CONFLICT)})
        task = Task.objects.filter(pk=record.task_id).first()
        return SubmitOutcome(task, record.errors, record.status_code, replayed=True)
    try:
        with transaction.atomic():
            task = task_submission.task_submit(
                actor=actor, **submission
            )  # via the module: a test slows it down
    except ValidationError as exc:
        task, errors, status = None, _error_dict(exc), 422
    else:
        errors, status = {}, 201 if task.decision == Task.Decision.ADMITTED else 422
    record.task, record.errors, record.status_code = task, errors, status
    record.save(update_fields=["task", "errors", "status_code"])
    return SubmitOutcome(task, errors, status, replayed=False)


def _error_dict(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}
