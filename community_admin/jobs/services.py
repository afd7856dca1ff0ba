"""Writes of the job mechanism. Starting and retrying are audited user actions; running, finishing,
failing, the stale sweep and the clean-up are audited as the worker ("job-worker")."""

import hashlib
import json
import logging
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import User
from community_admin.accounts.permissions import has_permission
from community_admin.core import audit
from community_admin.core.models import AuditLog
from community_admin.jobs import masking, progress, registry
from community_admin.jobs.models import Job

logger = logging.getLogger(__name__)

ERR_JOB_UNKNOWN_KIND = "未知的任务类型：{kind}"
ERR_JOB_PARAMS_NOT_OBJECT = "任务参数必须是一个对象。"
ERR_JOB_DUPLICATE = "相同的任务（#{pk}）正在进行中，请等它结束后再启动。"
ERR_JOB_NOT_RETRYABLE = "只有失败的任务可以重试。"
ERR_JOB_WORKER_LOST = "后台工作进程中断：超过 {seconds} 秒没有心跳。可以重试。"
ERR_JOB_FAILED = "{error_type}: {error}"

WORKER_ACTOR = "job-worker"


@dataclass(frozen=True)
class JobStart:
    job: Job
    joined: bool  # True: the same job was already active and is handed back instead of a new one


def _results_storage():
    return storages["job_results"]


def _dedupe_key(kind: str, params: dict[str, Any], scope: dict[str, Any]) -> str:
    unit = {k: (getattr(v, "pk", v)) for k, v in scope.items()}
    payload = json.dumps({"kind": kind, "params": params, "scope": unit}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _enqueue(job: Job) -> None:
    from community_admin.jobs.tasks import run_job  # tasks import this module

    job_id = job.pk
    transaction.on_commit(lambda: run_job.delay(job_id))


def _kind_or_error(name: str) -> registry.JobKind:
    kind = registry.find(name)
    if kind is None:
        raise ValidationError({"kind": ERR_JOB_UNKNOWN_KIND.format(kind=name)})
    return kind


def _active_duplicate(dedupe_key: str, *, exclude_pk: int | None = None) -> Job | None:
    rows = Job.objects.filter(dedupe_key=dedupe_key, state__in=Job.ACTIVE_STATES)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.first()


def _join_or_refuse(*, actor: User, kind: registry.JobKind, existing: Job) -> JobStart:
    if kind.on_duplicate == "refuse":
        raise ValidationError(ERR_JOB_DUPLICATE.format(pk=existing.pk), code="duplicate")
    audit.record(actor=actor, action="job.join", obj=existing, details={"kind": existing.kind})
    return JobStart(job=existing, joined=True)


@transaction.atomic
def job_start(*, actor: User, kind: str, params: dict[str, Any] | None = None) -> JobStart:
    """Queue a job of `kind` for `actor`; the worker starts after the transaction commits."""
    job_kind = _kind_or_error(kind)
    if not has_permission(actor, job_kind.permission):
        raise PermissionDenied
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ValidationError({"params": ERR_JOB_PARAMS_NOT_OBJECT})
    params = job_kind.clean_params(params, actor)
    scope = job_kind.scope(params, actor) if job_kind.scope else scoping.unit_scope_of(actor)
    dedupe_key = _dedupe_key(kind, params, scope)
    existing = _active_duplicate(dedupe_key)
    if existing is not None:
        return _join_or_refuse(actor=actor, kind=job_kind, existing=existing)
    job = Job(
        kind=kind,
        created_by=actor,
        params=params,
        dedupe_key=dedupe_key,
        state=Job.State.QUEUED,
        queued_at=timezone.now(),
        **scope,
    )
    try:
        job.full_clean()
        with transaction.atomic():  # a concurrent start of the same job loses on the unique constraint
            job.save()
    except (IntegrityError, ValidationError):
        existing = _active_duplicate(dedupe_key)
        if existing is None:
            raise
        return _join_or_refuse(actor=actor, kind=job_kind, existing=existing)
    audit.record(
        actor=actor, action="job.start", obj=job, details={"kind": kind, "params": masking.mask_value(params)}
    )
    _enqueue(job)
    return JobStart(job=job, joined=False)


@transaction.atomic
def job_retry(*, actor: User, job: Job) -> Job:
    """Queue a failed job again, same parameters and scope. Its previous error stays in the audit log."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.state != Job.State.FAILED:
        raise ValidationError(ERR_JOB_NOT_RETRYABLE, code="not_retryable")
    job_kind = _kind_or_error(job.kind)
    if not has_permission(actor, job_kind.permission):
        raise PermissionDenied
    existing = _active_duplicate(job.dedupe_key, exclude_pk=job.pk)
    if existing is not None:
        raise ValidationError(ERR_JOB_DUPLICATE.format(pk=existing.pk), code="duplicate")
    previous_error = job.error
    job.state = Job.State.QUEUED
    job.progress = 0
    job.message = ""
    job.error = ""
    job.queued_at = timezone.now()
    job.started_at = job.heartbeat_at = job.finished_at = None
    job.full_clean()
    job.save()
    audit.record(actor=actor, action="job.retry", obj=job, details={"previous_error": previous_error})
    _enqueue(job)
    return job


def job_run(*, job_id: int, worker: str = "", heartbeat: bool = True) -> Job | None:
    """Run a queued job; the Celery task calls this. Deliberately not one transaction: the progress it
    writes must be visible while it runs. Claiming is one conditional UPDATE, so a message delivered twice
    runs the job once."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
        progress=0,
        message="",
        worker=worker[:200],
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    beat = progress.Heartbeat(job_id=job.pk, every=settings.JOBS_HEARTBEAT_SECONDS) if heartbeat else None
    try:
        kind = _kind_or_error(job.kind)
        with tempfile.TemporaryDirectory(prefix=f"job-{job.pk}-") as workdir:
            ctx = registry.JobContext(
                job=job,
                user=job.created_by,
                params=job.params,
                progress=partial(progress.JobProgress, job_id=job.pk),
                workdir=Path(workdir),
                say=lambda message: progress.report(job_id=job_id, message=message),
            )
            output = kind.run(ctx)
            stored = _store_result(job, output) if output is not None else None
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        error = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return job_fail(
            job_id=job.pk,
            attempt=job.attempts,
            error=ERR_JOB_FAILED.format(error_type=type(exc).__name__, error="；".join(error)),
        )
    finally:
        if beat is not None:
            beat.stop()
    return job_finish(job_id=job.pk, attempt=job.attempts, result=stored, output=output)


def _store_result(job: Job, output: registry.JobOutput) -> str:
    suffix = Path(output.filename).suffix
    name = f"{timezone.now():%Y/%m}/{job.pk}-{secrets.token_hex(8)}{suffix}"
    with open(output.path, "rb") as fh:
        return _results_storage().save(name, File(fh))


@transaction.atomic
def job_finish(
    *, job_id: int, attempt: int, result: str | None, output: registry.JobOutput | None = None
) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.state != Job.State.RUNNING or job.attempts != attempt:
        # The sweep gave this run up (and perhaps it was retried): its late result is not kept.
        if result:
            transaction.on_commit(lambda: _results_storage().delete(result))
        return job
    now = timezone.now()
    job.state = Job.State.DONE
    job.progress = 100
    # Done is final (only a failed job is retried): the full search term is no longer needed to run it.
    job.params = masking.mask_value(job.params)
    job.message = ""
    job.finished_at = job.heartbeat_at = now
    if result and output is not None:
        storage = _results_storage()
        job.result_path = result
        job.result_name = output.filename[:200]
        job.result_content_type = output.content_type
        job.result_size = storage.size(result)
        job.result_expires_at = now + timedelta(hours=settings.JOBS_RESULT_TTL_HOURS)
    job.full_clean()
    job.save()
    audit.record(
        actor=None,
        actor_name=WORKER_ACTOR,
        action="job.done",
        obj=job,
        details={"kind": job.kind, "attempt": attempt, "result_size": job.result_size},
    )
    return job


@transaction.atomic
def job_fail(*, job_id: int, attempt: int, error: str) -> Job:
    job = Job.objects.select_for_update().get(pk=job_id)
    if job.state != Job.State.RUNNING or job.attempts != attempt:
        return job
    job.state = Job.State.FAILED
    error = masking.mask_text(error)  # an exception's text may quote a searched ID number
    job.error = error
    job.finished_at = timezone.now()
    job.full_clean()
    job.save()
    audit.record(
        actor=None,
        actor_name=WORKER_ACTOR,
        action="job.fail",
        obj=job,
        result=AuditLog.Result.FAILED,
        details={"kind": job.kind, "attempt": attempt, "error": error},
    )
    return job


def job_sweep_stale(*, now: datetime | None = None) -> tuple[int, int]:
    """The stuck-job rule. A running job whose heartbeat is older than JOBS_STALE_AFTER_SECONDS lost its
    worker: it is failed (and can be retried; a kind may write, so it is not re-run behind anyone's back).
    A job queued longer than JOBS_REQUEUE_AFTER_SECONDS has its message sent again (claiming makes a
    duplicate message harmless). Returns (failed, requeued)."""
    now = now or timezone.now()
    stale_after = settings.JOBS_STALE_AFTER_SECONDS
    failed = 0
    stale = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_after))
    error = ERR_JOB_WORKER_LOST.format(seconds=stale_after)
    for job_id, attempt in stale.values_list("pk", "attempts"):
        job = job_fail(job_id=job_id, attempt=attempt, error=error)
        if job.state == Job.State.FAILED and job.error == error:
            failed += 1
    requeued = 0
    waiting = Job.objects.filter(
        state=Job.State.QUEUED, queued_at__lt=now - timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS)
    )
    for job in waiting:
        requeued += _job_requeue(job=job, now=now)
    return failed, requeued


@transaction.atomic
def _job_requeue(*, job: Job, now: datetime) -> bool:
    if not Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(queued_at=now):
        return False
    audit.record(actor=None, actor_name=WORKER_ACTOR, action="job.requeue", obj=job)
    _enqueue(job)
    return True


def job_cleanup_results(*, now: datetime | None = None) -> int:
    """Delete result files past their time (JOBS_RESULT_TTL_HOURS); the job row stays, without a file."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.filter(result_expires_at__lt=now).exclude(result_path=""):
        removed += _job_result_delete(job=job, now=now)
    return removed


@transaction.atomic
def _job_result_delete(*, job: Job, now: datetime) -> bool:
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not job.result_path:
        return False
    path = job.result_path
    job.result_path = ""
    job.result_deleted_at = now
    job.full_clean()
    job.save(update_fields=["result_path", "result_deleted_at", "updated_at"])
    audit.record(actor=None, actor_name=WORKER_ACTOR, action="job.result_deleted", obj=job)
    # The file goes only once the row no longer points at it.
    transaction.on_commit(lambda: _results_storage().delete(path))
    return True


def job_result_open(*, job: Job) -> File:
    """Open a job's result for reading. The caller has scoped `job` already; a download goes through
    core.files.private_file_response, which audits it (a reveal)."""
    storage = _results_storage()
    if not job.has_result or not storage.exists(job.result_path):
        raise FileNotFoundError(job.result_path)
    return storage.open(job.result_path, "rb")
