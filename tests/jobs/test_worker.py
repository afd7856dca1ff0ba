"""A real Celery worker, in its own process, against Redis: it runs a job to done, and when it is killed
mid-job the stuck-job rule fails the job. Needs a database the worker can see, so it runs in the
PostgreSQL pass (the SQLite pass uses an in-memory database and skips it)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools

from community_admin.config.celery import app as celery_app
from community_admin.dashboards.jobs import COMMITTEE_EXPORT
from community_admin.jobs import services
from community_admin.jobs.models import Job

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# One Redis database per pytest-xdist process (15, 14, ...): two workers on one queue would take each
# other's messages, whose jobs live in the other process's test database.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("CELERY_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _XDIST_INDEX % 8}")


def _reset_producer_pool() -> None:
    pools.reset()  # kombu's process-wide connection and producer pools
    celery_app._after_fork()  # and the app's references to them: the next send connects afresh


@pytest.fixture
def redis_broker():
    if connection.vendor == "sqlite":
        pytest.skip("the worker process cannot see the in-memory SQLite test database (PostgreSQL pass)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis is needed for the real-worker test at {REDIS_URL}: {exc}")
    client.flushdb()
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False, broker_transport_options={})
    _reset_producer_pool()
    yield client
    celery_app.conf.update(saved)
    _reset_producer_pool()
    client.flushdb()


@pytest.fixture
def start_worker(redis_broker, job_results, tmp_path):
    workers = []

    def start(**extra_env) -> subprocess.Popen:
        db = connection.settings_dict
        auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "community_admin.config.settings_test",
            "PYTHONPATH": os.pathsep.join([str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")]),
            "DATABASE_URL": f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": REDIS_URL,
            "JOBS_RESULT_ROOT": str(job_results),
            **extra_env,
        }
        log = open(tmp_path / f"worker-{len(workers)}.log", "wb")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "community_admin",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((worker, log))
        return worker

    yield start
    for worker, log in workers:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        log.close()


def _wait_for(job: Job, predicate, *, timeout: float, logs: Path) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if predicate(job):
            return job
        time.sleep(0.2)
    output = "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(logs.glob("worker-*.log")))
    pytest.fail(f"job #{job.pk} is {job.state} after {timeout} s; worker log:\n{output}")


def test_a_real_worker_runs_a_job_to_done(district, start_worker, tmp_path):
    worker = start_worker()
    job = services.job_start(actor=district.bureau, kind=COMMITTEE_EXPORT).job  # committed: sent now
    job = _wait_for(job, lambda j: j.state in (Job.State.DONE, Job.State.FAILED), timeout=60, logs=tmp_path)
    assert job.state == Job.State.DONE, job.error
    assert job.progress == 100 and job.attempts == 1
    assert job.worker.startswith("test-")
    assert job.has_result
    assert worker.poll() is None


def test_a_worker_killed_mid_job_leaves_it_failed_not_running(settings, district, start_worker, tmp_path):
    # Slow rows and a quick heartbeat, so the job is surely running when the worker dies.
    worker = start_worker(JOBS_EXPORT_ROW_DELAY_MS="3000", JOBS_HEARTBEAT_SECONDS="1")
    job = services.job_start(actor=district.bureau, kind=COMMITTEE_EXPORT).job
    job = _wait_for(job, lambda j: j.state == Job.State.RUNNING, timeout=60, logs=tmp_path)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)

    settings.JOBS_STALE_AFTER_SECONDS = 3
    time.sleep(1)
    assert services.job_sweep_stale() == (0, 0)  # a beat ago it was alive: not yet stale
    time.sleep(3.5)
    assert services.job_sweep_stale() == (1, 0)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == services.ERR_JOB_WORKER_LOST.format(seconds=3)
