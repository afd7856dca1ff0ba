"""A job's side of the shared progress interface (`community_admin.core.progress`), and its heartbeat."""

import threading
import time

from django.db import connection
from django.utils import timezone

from community_admin.jobs.models import Job


def report(*, job_id: int, progress: int | None = None, message: str | None = None) -> None:
    """Progress and heartbeat of a running job: one UPDATE outside any transaction, so the browser sees it
    at once. Not audited: the start, the end and every failure are."""
    fields = {"heartbeat_at": timezone.now()}
    if progress is not None:
        fields["progress"] = max(0, min(progress, 99))  # 100 only when the result is stored
    if message is not None:
        fields["message"] = message[:200]
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(**fields)


class JobProgress:
    """Like `core.progress.Progress`, but writes the percentage to the job's row (at most every
    `min_interval` seconds, and only when the whole percentage changes)."""

    def __init__(self, label: str, total: int, *, job_id: int, min_interval: float = 0.5) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.job_id = job_id
        self.min_interval = min_interval
        self._written: int | None = None
        self._last = 0.0
        report(job_id=job_id, progress=0, message=f"{label}（共 {total}）")

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total)

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        now = time.monotonic()
        if self.percent != self._written and now - self._last >= self.min_interval:
            self._write(now)

    def finish(self) -> None:
        self._write(time.monotonic())

    def _write(self, now: float) -> None:
        self._written, self._last = self.percent, now
        report(job_id=self.job_id, progress=self.percent, message=f"{self.label}：{self.done}/{self.total}")


class Heartbeat:
    """Touches the job's heartbeat from a thread of its own while the work runs, so a long step without
    progress is not taken for a dead worker; a killed worker stops beating and the sweep fails the job."""

    def __init__(self, *, job_id: int, every: float) -> None:
        self.job_id = job_id
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                report(job_id=self.job_id)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 5)
