"""Job kinds of this app, found by `community_admin.jobs` through Django's autodiscovery."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from community_admin.accounts import scoping
from community_admin.accounts.models import ScopeLevel, User
from community_admin.dashboards.exporters import CommitteeExporter
from community_admin.dashboards.reports import documents
from community_admin.dashboards.reports.figures import clean_year
from community_admin.jobs.registry import JobContext, JobKind, JobOutput, register

COMMITTEE_EXPORT = CommitteeExporter.identifier
SURVEY_REPORT = "dashboards.survey_report"
ERR_REPORT_FORMAT = "格式：请选择 pdf 或 xlsx（收到“{value}”）。"
ERR_EXPORT_UNKNOWN_PARAM = "未知的参数：{names}"
ERR_EXPORT_STREET_NOT_VISIBLE = "没有可导出的街道：{code}"


def _clean_committee_export_params(params: dict[str, Any], user: User) -> dict[str, Any]:
    unknown = set(params) - {"street"}
    if unknown:
        raise ValidationError({"params": ERR_EXPORT_UNKNOWN_PARAM.format(names="、".join(sorted(unknown)))})
    street = params.get("street") or ""
    if not street:
        return {}
    # An unknown street and one outside the user's scope read the same.
    if not scoping.visible_streets(user).filter(code=street).exists():
        raise ValidationError({"params": ERR_EXPORT_STREET_NOT_VISIBLE.format(code=street)})
    return {"street": street}


def _committee_export_scope(params: dict[str, Any], user: User) -> dict[str, Any]:
    scope = scoping.unit_scope_of(user)
    if params.get("street") and scope["scope_level"] in (ScopeLevel.DISTRICT, ScopeLevel.DEPARTMENT):
        # One street's committees: the street's own clerks may see the result too.
        street = scoping.visible_streets(user).get(code=params["street"])
        scope.update(scope_level=ScopeLevel.STREET, scope_street=street, scope_department=None)
    return scope


def _committee_export_readable(user: User) -> Q:
    """The exports `user` could have started: of the whole scope, or of a street they see."""
    streets = list(scoping.visible_streets(user).values_list("code", flat=True))
    return Q(params__street__isnull=True) | Q(params__street__in=streets)


def _run_committee_export(ctx: JobContext) -> JobOutput:
    committees = scoping.visible_committees(ctx.user).select_related("street")
    if ctx.params.get("street"):
        committees = committees.filter(street__code=ctx.params["street"])
    export = CommitteeExporter(committees).render(ctx.workdir / "committees.xlsx", progress=ctx.progress)
    return JobOutput(path=export.path, filename=export.filename, content_type=export.content_type)


register(
    JobKind(
        name=COMMITTEE_EXPORT,
        label=CommitteeExporter.label,
        permission=CommitteeExporter.permission,
        run=_run_committee_export,
        clean_params=_clean_committee_export_params,
        scope=_committee_export_scope,
        read_filter=_committee_export_readable,
        on_duplicate="join",
    )
)


def _clean_survey_report_params(params: dict[str, Any], user: User) -> dict[str, Any]:
    unknown = set(params) - {"year", "format"}
    if unknown:
        raise ValidationError({"params": ERR_EXPORT_UNKNOWN_PARAM.format(names="、".join(sorted(unknown)))})
    year = clean_year(params.get("year", ""))
    fmt = str(params.get("format") or "pdf").lower()
    if fmt not in documents.FORMATS:
        raise ValidationError({"format": ERR_REPORT_FORMAT.format(value=params.get("format"))})
    return {"year": year, "format": fmt}


def _run_survey_report(ctx: JobContext) -> JobOutput:
    report = documents.survey_report(year=ctx.params["year"], user=ctx.user, fmt=ctx.params["format"])
    path = ctx.workdir / f"survey-report.{report.extension}"
    report.write(path, progress=ctx.progress)
    return JobOutput(path=path, filename=report.filename, content_type=report.content_type)


register(
    JobKind(
        name=SURVEY_REPORT,
        label="生成社区工作调研报告",
        permission="dashboards.survey_report",
        run=_run_survey_report,
        clean_params=_clean_survey_report_params,
        on_duplicate="join",
    )
)
