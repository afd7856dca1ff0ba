from django.db.models import QuerySet

from community_admin.accounts import scoping
from community_admin.accounts.permissions import has_permission
from community_admin.jobs import registry
from community_admin.jobs.models import Job


def visible_jobs(user) -> QuerySet[Job]:
    """Jobs whose unit the user's scope covers; their results are downloadable by the same rule."""
    return scoping.scope_by_unit(
        Job.objects.select_related("created_by", "scope_street", "scope_committee", "scope_department"), user
    ).order_by("-created_at", "-id")


def my_jobs(user) -> QuerySet[Job]:
    return visible_jobs(user).filter(created_by=user)


def job_kinds_for(user) -> list[registry.JobKind]:
    return [kind for kind in registry.all_kinds() if has_permission(user, kind.permission)]
