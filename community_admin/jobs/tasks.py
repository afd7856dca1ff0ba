from celery import shared_task

from community_admin.jobs import services


@shared_task(bind=True, name="jobs.run", ignore_result=True)
def run_job(self, job_id: int) -> None:
    # Eager runs (tests) share the caller's transaction: a heartbeat thread there would wait on its locks.
    services.job_run(job_id=job_id, worker=self.request.hostname or "", heartbeat=not self.request.is_eager)


@shared_task(name="jobs.sweep_stale", ignore_result=True)
def sweep_stale() -> None:
    services.job_sweep_stale()


@shared_task(name="jobs.cleanup_results", ignore_result=True)
def cleanup_results() -> None:
    services.job_cleanup_results()
