"""Reads of the job mechanism. The one rule for reading a job (its page, progress, parameters and result,
through a page or the API): the job's unit is within the reader's scope, AND the reader may start its kind
(`may_use_kind`), AND the kind's own object check (`JobKind.read_filter`) accepts the job's parameters for
the reader. A job of a kind that is no longer registered is read by nobody (its rule is unknown)."""

from django.db.models import Q, QuerySet

from community_admin.accounts import scoping
from community_admin.accounts.models import ApiToken
from community_admin.accounts.permissions import has_permission, token_allows
from community_admin.jobs import registry
from community_admin.jobs.models import Job


def may_use_kind(user, kind: registry.JobKind, *, token: ApiToken | None = None) -> bool:
    """Starting a kind and reading its jobs: the kind's own permission and, through an API token, the token
    scope of that permission (a department's `jobs` scope alone reads nothing)."""
    if not has_permission(user, kind.permission):
        return False
    return token is None or token_allows(token, kind.permission)


def job_kinds_for(user, *, token: ApiToken | None = None) -> list[registry.JobKind]:
    return [kind for kind in registry.all_kinds() if may_use_kind(user, kind, token=token)]


def _readable(user, token: ApiToken | None) -> Q | None:
    plain: list[str] = []
    rule: Q | None = None
    for kind in job_kinds_for(user, token=token):
        if kind.read_filter is None:
            plain.append(kind.name)
        else:
            narrowed = Q(kind=kind.name) & kind.read_filter(user)
            rule = narrowed if rule is None else rule | narrowed
    if plain:
        rule = Q(kind__in=plain) if rule is None else rule | Q(kind__in=plain)
    return rule


def visible_jobs(user, *, token: ApiToken | None = None) -> QuerySet[Job]:
    """Jobs `user` (through `token`, for the API) may read: see the module's docstring. Every page and API
    view of jobs reads through this; `get_in_scope_or_404` over it answers (and audits) the rest as 404."""
    jobs = scoping.scope_by_unit(
        Job.objects.select_related("created_by", "scope_street", "scope_committee", "scope_department"), user
    ).order_by("-created_at", "-id")
    rule = _readable(user, token)
    return jobs.filter(rule) if rule is not None else jobs.none()


def my_jobs(user) -> QuerySet[Job]:
    return visible_jobs(user).filter(created_by=user)
