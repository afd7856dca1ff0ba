from celery import shared_task

from community_admin.dashboards import selectors


@shared_task(name="dashboards.refresh", ignore_result=True)
def refresh() -> None:
    selectors.refresh_cached_figures()
