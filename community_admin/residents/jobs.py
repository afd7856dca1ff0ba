"""Job kinds of the registry (found by `community_admin.jobs` through autodiscovery)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict

from community_admin.accounts.models import Role
from community_admin.jobs.registry import JobContext, JobKind, JobOutput, register
from community_admin.residents import selectors, services
from community_admin.residents.exporters import PersonExporter
from community_admin.residents.filters import PersonFilter
from community_admin.residents.models import Person

PERSON_EXPORT = PersonExporter.identifier
ERR_EXPORT_PARAMS = "参数只能是 query（人员列表的筛选条件）。"


def _filterset(query: str, user) -> PersonFilter:
    return PersonFilter(QueryDict(query), queryset=selectors.person_list(user), user=user)


def _clean_person_export_params(params: dict[str, Any], user) -> dict[str, Any]:
    if set(params) - {"query"}:
        raise ValidationError({"params": ERR_EXPORT_PARAMS})
    query = QueryDict(str(params.get("query", "")), mutable=True)
    query.pop("page", None)
    filterset = _filterset(query.urlencode(), user)
    if query and not filterset.is_valid():
        raise ValidationError(dict(filterset.form.errors))
    # Sorted, so the same list asked for twice is recognised as the same job.
    return {"query": "&".join(sorted(query.urlencode().split("&"))) if query else ""}


def _run_person_export(ctx: JobContext) -> JobOutput:
    filterset = _filterset(ctx.params["query"], ctx.user)
    persons = (
        filterset.qs
        if ctx.params["query"] and filterset.is_valid()
        else filterset.queryset.filter(status__in=Person.ACTIVE_STATUSES)
    )
    path = ctx.workdir / "persons.xlsx"
    export = services.persons_export(
        actor=ctx.user,
        persons=persons,
        sensitive=selectors.can_see_sensitive(ctx.user),
        target=path,
        progress=ctx.progress,
    )
    return JobOutput(path=path, filename=export.filename, content_type=export.content_type)


def _readable(user) -> Q:
    """The export carries the sensitive columns (残疾, 低保) when its starter may see them: a reader who may not
    reads only exports made without them. (Today every role that may export may see them.)"""
    if selectors.can_see_sensitive(user):
        return Q()
    return Q(created_by__role__in=[role for role in Role if role not in selectors.SENSITIVE_ROLES])


register(
    JobKind(
        name=PERSON_EXPORT,
        label=PersonExporter.label,
        permission=PersonExporter.permission,
        run=_run_person_export,
        clean_params=_clean_person_export_params,
        read_filter=_readable,
        on_duplicate="join",
    )
)
