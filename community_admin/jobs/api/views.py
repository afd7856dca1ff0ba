import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.accounts.models import ApiToken
from community_admin.accounts.permissions import record_denied
from community_admin.core.exporters import PDF, XLSX
from community_admin.core.files import private_file_response
from community_admin.core.filters import StrictFilterSet
from community_admin.jobs import registry, selectors, services
from community_admin.jobs.api.serializers import (
    JobKindOutputSerializer,
    JobOutputSerializer,
    JobStartInputSerializer,
)
from community_admin.jobs.models import Job

# What the kinds' result files are (their JobOutput.content_type; the registry's default last).
RESULT_CONTENT_TYPES = (XLSX, PDF, "application/octet-stream")


class JobFilter(StrictFilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label="只看我发起的")

    class Meta:
        model = Job
        fields = ["state", "kind", "mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(created_by=self.request.user) if value else queryset


def _token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def _conflict(exc: DjangoValidationError) -> Response:
    """The same job already active is a 409; any other refusal answers 400 through the exception handler."""
    if getattr(exc, "code", None) != "duplicate":
        raise exc
    return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background jobs in the caller's scope: start one (`POST`), follow its progress, retry it, download
    its result. A job answers 404 outside the caller's scope, like one that does not exist; so does a job
    of a kind the caller may not start (the kind's permission and, for a token, that permission's scope)."""

    required_permission = {
        "list": "jobs.view",
        "retrieve": "jobs.view",
        "download": "jobs.view",
        "kinds": "jobs.view",
        "create": "jobs.start",
        "retry": "jobs.start",
    }
    serializer_class = JobOutputSerializer
    queryset = Job.objects.none()
    filterset_class = JobFilter
    ordering_fields = ["created_at", "state"]
    search_fields = ["kind"]

    def get_queryset(self):
        return selectors.visible_jobs(self.request.user, token=_token(self.request))

    def get_object(self):
        obj = scoping.get_in_scope_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    def _check_kind_allowed(self, kind: registry.JobKind) -> None:
        # The reading rule's first half: the kind's permission and, for a department's token, the scope of
        # what the kind reads (org.view -> org:read).
        if not selectors.may_use_kind(self.request.user, kind, token=_token(self.request)):
            record_denied(self.request.user, kind.permission, self.request.path)
            raise PermissionDenied

    @extend_schema(
        request=JobStartInputSerializer,
        responses={
            201: JobOutputSerializer,
            200: OpenApiResponse(JobOutputSerializer, description="joined: the same job was already active"),
            409: OpenApiResponse(description="refused: the same job is already active"),
        },
    )
    def create(self, request):
        data = JobStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kind = registry.find(data.validated_data["kind"])
        if kind is not None:
            self._check_kind_allowed(kind)
        try:
            started = services.job_start(
                actor=request.user, kind=data.validated_data["kind"], params=data.validated_data["params"]
            )
        except PermissionDenied:
            record_denied(request.user, kind.permission, request.path)
            raise
        except DjangoValidationError as exc:
            return _conflict(exc)
        body = JobOutputSerializer(started.job, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_200_OK if started.joined else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: JobOutputSerializer, 409: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        job = self.get_object()  # readable, so of a kind the caller may start (404 otherwise)
        try:
            job = services.job_retry(actor=request.user, job=job)
        except DjangoValidationError as exc:
            return _conflict(exc)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={(200, content_type): OpenApiTypes.BINARY for content_type in RESULT_CONTENT_TYPES}
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        return private_file_response(
            request,
            obj=job,
            open=lambda: services.job_result_open(job=job),
            filename=job.result_name,
            content_type=job.result_content_type,
            action="job.download",
        )

    @extend_schema(responses=JobKindOutputSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def kinds(self, request):
        kinds = selectors.job_kinds_for(request.user, token=_token(request))
        return Response(JobKindOutputSerializer(kinds, many=True).data)
