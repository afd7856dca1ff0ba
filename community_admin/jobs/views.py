"""Pages of the job mechanism: my jobs, a job's page, the polled progress fragment, the scoped download,
retry, and the one start endpoint that every "long operation" button posts to."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, record_denied
from community_admin.core.files import private_file_response
from community_admin.core.views import paginate
from community_admin.jobs import registry, selectors, services
from community_admin.jobs.models import Job

MSG_JOB_STARTED = "任务已开始：{label}。可以离开本页，完成后在“我的任务”中下载。"
MSG_JOB_JOINED = "相同的任务已在进行中，已为您打开它。"
MSG_JOB_RETRIED = "任务已重新排队。"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def job_in_scope_or_404(request, pk: int) -> Job:
    """A job the user may read (selectors.visible_jobs: unit, kind permission, the kind's own check);
    anything else is 404, audited when the job exists."""
    return scoping.get_in_scope_or_404(selectors.visible_jobs(request.user), request.user, pk=pk)


def _render_fragment(request, job: Job, *, status: int = 200):
    response = render(request, "jobs/_progress.html", {"job": job}, status=status)
    response["Cache-Control"] = "no-store"
    return response


class JobListView(PermissionRequiredMixin, TemplateView):
    required_permission = "jobs.view"
    template_name = "jobs/job_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        rows = selectors.my_jobs(self.request.user)
        return super().get_context_data(**paginate(self.request, rows, self.paginate_by), **kwargs)


class JobDetailView(PermissionRequiredMixin, TemplateView):
    required_permission = "jobs.view"
    template_name = "jobs/job_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(job=job_in_scope_or_404(self.request, self.kwargs["pk"]), **kwargs)


class JobProgressView(PermissionRequiredMixin, View):
    """The progress component's fragment; it polls itself while the job is queued or running."""

    required_permission = "jobs.view"

    def get(self, request, pk: int):
        return _render_fragment(request, job_in_scope_or_404(request, pk))


class JobDownloadView(PermissionRequiredMixin, View):
    required_permission = "jobs.view"

    def get(self, request, pk: int):
        job = job_in_scope_or_404(request, pk)
        return private_file_response(
            request,
            obj=job,
            open=lambda: services.job_result_open(job=job),
            filename=job.result_name,
            content_type=job.result_content_type,
            action="job.download",
        )


class JobRetryView(PermissionRequiredMixin, View):
    required_permission = "jobs.start"

    def post(self, request, pk: int):
        job = job_in_scope_or_404(request, pk)
        try:
            job = services.job_retry(actor=request.user, job=job)
        except PermissionDenied:
            record_denied(request.user, f"job:{job.kind}", request.path)
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, MSG_JOB_RETRIED)
        if _is_htmx(request):
            return _render_fragment(request, job)
        return redirect("jobs:detail", pk=job.pk)


class JobStartView(PermissionRequiredMixin, View):
    """POST from any "long operation" button: the form's fields (but the CSRF token) are the parameters.
    With htmx the answer is the progress component, in place; without it, a redirect to the job's page."""

    required_permission = "jobs.start"

    def post(self, request, kind: str):
        job_kind = registry.find(kind)
        if job_kind is None:
            raise Http404
        params = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "next")}
        try:
            started = services.job_start(actor=request.user, kind=kind, params=params)
        except PermissionDenied:
            record_denied(request.user, job_kind.permission, request.path)
            raise
        except ValidationError as exc:
            if _is_htmx(request):
                return render(request, "jobs/_start_error.html", {"errors": exc.messages})
            messages.error(request, "；".join(exc.messages))
            return redirect(self._back(request))
        if _is_htmx(request):
            return _render_fragment(request, started.job)
        if started.joined:
            messages.info(request, MSG_JOB_JOINED)
        else:
            messages.success(request, MSG_JOB_STARTED.format(label=job_kind.label))
        return redirect("jobs:detail", pk=started.job.pk)

    @staticmethod
    def _back(request) -> str:
        target = request.POST.get("next", "")
        # a path on this site only: anything else would be taken by redirect() for a view name (500)
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            return target
        return reverse("jobs:list")
