from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.core.api_query import YearQuery, read_query
from community_admin.funding import selectors, services
from community_admin.funding.api import serializers as s
from community_admin.funding.filters import AllocationFilter, DisbursementFilter, ExpenditureFilter
from community_admin.funding.models import Allocation, AllocationRun, Disbursement, Expenditure, FundingPolicy

READ = (ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet)


class PolicyViewSet(*READ):
    required_permission = {
        "list": "funding.view",
        "retrieve": "funding.view",
        "create": "funding.policy.manage",
        "adopt": "funding.policy.manage",
    }
    serializer_class = s.PolicyOutputSerializer
    queryset = FundingPolicy.objects.none()

    def get_queryset(self):
        return selectors.policy_list()

    @extend_schema(request=s.PolicyInputSerializer, responses={201: s.PolicyOutputSerializer})
    def create(self, request):
        data = s.PolicyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = services.policy_create(actor=request.user, **data.validated_data)
        return Response(s.PolicyOutputSerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PolicyOutputSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        policy = services.policy_adopt(actor=request.user, policy=self.get_object())
        return Response(s.PolicyOutputSerializer(policy).data)


class AllocationRunViewSet(*READ):
    """Yearly runs (district-wide figures); the committees' lines are under /funding/allocations/."""

    required_permission = {
        "list": "funding.view",
        "retrieve": "funding.view",
        "create": "funding.run",
        "close": "funding.run",
        "send": "funding.run",
    }
    serializer_class = s.RunOutputSerializer
    queryset = AllocationRun.objects.none()

    def get_queryset(self):
        return selectors.run_list()

    @extend_schema(request=s.RunInputSerializer, responses={201: s.RunOutputSerializer})
    def create(self, request):
        data = s.RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.allocation_run(actor=request.user, **data.validated_data)
        return Response(s.RunOutputSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RunOutputSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        run = services.allocation_run_close(actor=request.user, run=self.get_object())
        return Response(s.RunOutputSerializer(run).data)

    @extend_schema(request=s.SendInputSerializer, responses=s.RunOutputSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        run = self.get_object()
        data = s.SendInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.disbursement_send(actor=request.user, run=run, **data.validated_data)
        return Response(s.RunOutputSerializer(run).data)


class AllocationViewSet(*READ):
    required_permission = "funding.view"
    serializer_class = s.AllocationOutputSerializer
    queryset = Allocation.objects.none()
    filterset_class = AllocationFilter

    def get_queryset(self):
        return selectors.allocation_list(self.request.user)


class DisbursementViewSet(*READ):
    required_permission = {
        "list": "funding.view",
        "retrieve": "funding.view",
        "pass_on": "funding.pass_on",
        "confirm": "funding.confirm",
    }
    serializer_class = s.DisbursementOutputSerializer
    queryset = Disbursement.objects.none()
    filterset_class = DisbursementFilter

    def get_queryset(self):
        return selectors.disbursement_list(self.request.user)

    @extend_schema(request=s.PassOnInputSerializer, responses=s.DisbursementOutputSerializer)
    @action(detail=True, methods=["post"], url_path="pass-on")
    def pass_on(self, request, pk=None):
        disbursement = self.get_object()
        data = s.PassOnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.disbursement_pass_on(
            actor=request.user,
            disbursement=disbursement,
            **data.validated_data,
        )
        return Response(s.DisbursementOutputSerializer(d).data)

    @extend_schema(request=s.ConfirmInputSerializer, responses=s.DisbursementOutputSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        disbursement = self.get_object()
        data = s.ConfirmInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.disbursement_confirm(
            actor=request.user,
            disbursement=disbursement,
            **data.validated_data,
        )
        return Response(s.DisbursementOutputSerializer(d).data)


class ExpenditureViewSet(*READ, mixins.CreateModelMixin):
    required_permission = {"list": "funding.view", "retrieve": "funding.view", "create": "funding.spend"}
    serializer_class = s.ExpenditureOutputSerializer
    queryset = Expenditure.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_class = ExpenditureFilter

    def get_queryset(self):
        return selectors.expenditure_list(self.request.user)

    @extend_schema(
        request={"multipart/form-data": s.ExpenditureInputSerializer},
        responses={201: s.ExpenditureOutputSerializer},
    )
    def create(self, request):
        data = s.ExpenditureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        e = services.expenditure_record(
            actor=request.user,
            committee=request.user.committee,
            **data.validated_data,
        )
        return Response(s.ExpenditureOutputSerializer(e).data, status=status.HTTP_201_CREATED)


class FlagViewSet(viewsets.GenericViewSet):
    """Every flag (held back, delayed, overspent, task money spent outside its task) in the caller's scope."""

    required_permission = "funding.view"
    serializer_class = s.FlagOutputSerializer
    queryset = Expenditure.objects.none()
    pagination_class = None

    @extend_schema(parameters=[YearQuery], responses=s.FlagOutputSerializer(many=True))
    def list(self, request):
        year = read_query(YearQuery, request).get("year") or timezone.localdate().year
        flags = selectors.flag_list(year, scoping.visible_committees(request.user))
        return Response(s.FlagOutputSerializer(flags, many=True).data)
