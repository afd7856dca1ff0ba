from datetime import timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.core.api_query import YearQuery, read_query
from community_admin.core.exporters import XLSX, export_response
from community_admin.core.openapi import SingleObjectSchema
from community_admin.staff import selectors, services
from community_admin.staff.api import serializers as s
from community_admin.staff.filters import WorkerFilter
from community_admin.staff.models import (
    Departure,
    EvaluationRound,
    PayPolicy,
    Payroll,
    Post,
    RetirementRuleSet,
    Secondment,
    Worker,
)


class WorkerViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Community workers in scope; ID numbers masked (revealing one is a separate, audited call)."""

    required_permission = {
        "list": "staff.view",
        "retrieve": "staff.view",
        "create": "staff.manage",
        "reveal_id_number": "staff.reveal_id",
    }
    serializer_class = s.WorkerOutputSerializer
    queryset = Worker.objects.none()
    filterset_class = WorkerFilter
    search_fields = ["name"]
    ordering_fields = ["name", "hire_date", "birth_date"]

    def get_queryset(self):
        return selectors.worker_list(self.request.user)

    @extend_schema(request=s.WorkerInputSerializer, responses={201: s.WorkerOutputSerializer})
    def create(self, request):
        data = s.WorkerInputSerializer(data=request.data, committees=scoping.visible_committees(request.user))
        data.is_valid(raise_exception=True)
        worker = services.worker_create(actor=request.user, **data.validated_data)
        return Response(s.WorkerOutputSerializer(worker).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.WorkerRevealInputSerializer,
        responses={
            200: s.WorkerRevealOutputSerializer,
            429: OpenApiResponse(description="超过每小时查看次数上限"),
        },
    )
    @action(detail=True, methods=["post"], url_path="reveal-id-number")
    def reveal_id_number(self, request, pk=None):
        worker = self.get_object()
        data = s.WorkerRevealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.worker_reveal_id_number(actor=request.user, worker=worker, **data.validated_data)
        response = Response({"id_number": number})
        response["Cache-Control"] = "no-store"
        return response


class StaffingViewSet(viewsets.GenericViewSet):
    """Staffing norms against actual staff per committee, per street and in total; seconded workers are absent."""

    required_permission = "staff.view"
    serializer_class = s.StaffingSerializer
    pagination_class = None
    schema = SingleObjectSchema()

    def get_queryset(self):
        return scoping.visible_committees(self.request.user)

    def list(self, request):
        rows = selectors.staffing_gaps(self.get_queryset())
        data = {
            "total": selectors.staffing_totals(rows),
            "streets": selectors.staffing_by_street(rows),
            "committees": rows,
        }
        return Response(s.StaffingSerializer(data).data)


STEP_INPUTS = {
    "opinion": s.OpinionInputSerializer,
    "approve": s.ApproveInputSerializer,
    "file": s.FileInputSerializer,
    "activate": s.ActivateInputSerializer,
    "end": s.EndInputSerializer,
    "reject": s.RejectInputSerializer,
}


class SecondmentViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Secondments step by step: request, both opinions, district approval, both filings, start, end — or reject."""

    required_permission = {
        "list": "staff.view",
        "retrieve": "staff.view",
        "create": "staff.secondment.manage",
        "opinion": "staff.secondment.manage",
        "approve": "staff.secondment.approve",
        "file": "staff.secondment.approve",
        "activate": "staff.secondment.manage",
        "end": "staff.secondment.manage",
        "reject": "staff.secondment.manage",
    }
    serializer_class = s.SecondmentOutputSerializer
    queryset = Secondment.objects.none()
    filterset_fields = ["state"]

    def get_queryset(self):
        return selectors.secondment_list(self.request.user).prefetch_related("opinions")

    @extend_schema(request=s.SecondmentInputSerializer, responses={201: s.SecondmentOutputSerializer})
    def create(self, request):
        workers = selectors.worker_list(request.user, post=Post.SOCIAL_WORKER, status=Worker.Status.ACTIVE)
        data = s.SecondmentInputSerializer(data=request.data, workers=workers)
        data.is_valid(raise_exception=True)
        secondment = services.secondment_request(actor=request.user, **data.validated_data)
        return Response(s.SecondmentOutputSerializer(secondment).data, status=status.HTTP_201_CREATED)

    def _step(self, request, name, service, **fixed):
        secondment = self.get_object()
        data = STEP_INPUTS[name](data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if name == "opinion":
            values["upload"] = values.pop("file")
        service(actor=request.user, secondment=secondment, **values)
        return Response(s.SecondmentOutputSerializer(self.get_queryset().get(pk=secondment.pk)).data)

    @extend_schema(
        request={
            "multipart/form-data": s.OpinionInputSerializer,
            "application/json": s.OpinionInputSerializer,
        },
        responses=s.SecondmentOutputSerializer,
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        return self._step(request, "opinion", services.secondment_attach_opinion)

    @extend_schema(request=s.ApproveInputSerializer, responses=s.SecondmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, "approve", services.secondment_approve)

    @extend_schema(request=s.FileInputSerializer, responses=s.SecondmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        return self._step(request, "file", services.secondment_file)

    @extend_schema(request=s.ActivateInputSerializer, responses=s.SecondmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return self._step(request, "activate", services.secondment_activate)

    @extend_schema(request=s.EndInputSerializer, responses=s.SecondmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._step(request, "end", services.secondment_end)

    @extend_schema(request=s.RejectInputSerializer, responses=s.SecondmentOutputSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, "reject", services.secondment_reject)


class PayrollViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Monthly payrolls per committee: computed by the service from the year's policy, exported as xlsx."""

    required_permission = {
        "list": "staff.pay.view",
        "retrieve": "staff.pay.view",
        "export": "staff.pay.view",
        "compute": "staff.pay.compute",
    }
    serializer_class = s.PayrollOutputSerializer
    queryset = Payroll.objects.none()
    filterset_fields = ["year", "month"]

    def get_queryset(self):
        return selectors.payroll_list(self.request.user).order_by("-year", "-month", "committee__code")

    def get_serializer_class(self):
        return s.PayrollDetailSerializer if self.action == "retrieve" else s.PayrollOutputSerializer

    @extend_schema(request=s.PayrollComputeInputSerializer, responses={201: s.PayrollDetailSerializer})
    @action(detail=False, methods=["post"])
    def compute(self, request):
        data = s.PayrollComputeInputSerializer(
            data=request.data, committees=scoping.visible_committees(request.user)
        )
        data.is_valid(raise_exception=True)
        payroll = services.payroll_compute(actor=request.user, **data.validated_data)
        payroll = self.get_queryset().get(pk=payroll.pk)
        return Response(s.PayrollDetailSerializer(payroll).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        export = services.payroll_export(actor=request.user, payroll=self.get_object())
        return export_response(export)


class EvaluationViewSet(viewsets.GenericViewSet):
    """Yearly 德能勤绩廉 scores by resident representatives, and each social worker's averages."""

    required_permission = {"list": "staff.view", "score": "staff.evaluate"}
    serializer_class = s.EvaluationResultSerializer
    queryset = EvaluationRound.objects.none()

    @extend_schema(parameters=[YearQuery], responses=s.EvaluationResultSerializer(many=True))
    def list(self, request):
        year = read_query(YearQuery, request).get("year")
        rounds = selectors.evaluation_rounds()
        round_ = rounds.filter(year=year).first() if year else rounds.first()
        results = selectors.evaluation_results(request.user, round=round_) if round_ else []
        page = self.paginate_queryset(results)
        return self.get_paginated_response(s.EvaluationResultSerializer(page, many=True).data)

    @extend_schema(request=s.ScoreInputSerializer, responses={201: None})
    @action(detail=False, methods=["post"])
    def score(self, request):
        workers = selectors.worker_list(request.user, post=Post.SOCIAL_WORKER, status="current")
        data = s.ScoreInputSerializer(data=request.data, workers=workers)
        data.is_valid(raise_exception=True)
        round_ = selectors.evaluation_rounds().filter(year=data.validated_data["year"]).first()
        if round_ is None:
            raise ValidationError({"year": ["该年度测评不存在。"]})
        score = services.evaluation_score_record(
            actor=request.user,
            round=round_,
            worker=data.validated_data["worker"],
            representative=data.validated_data["representative"],
            scores=data.scores(),
        )
        return Response({"id": score.pk}, status=status.HTTP_201_CREATED)


class TurnoverViewSet(viewsets.GenericViewSet):
    """Resignations and retirements per year, per street and in total; resignations in the last 12 months."""

    required_permission = "staff.view"
    serializer_class = s.TurnoverSerializer
    pagination_class = None
    schema = SingleObjectSchema()
    queryset = Departure.objects.none()

    def list(self, request):
        today = timezone.localdate()
        years = [today.year - 2, today.year - 1, today.year]
        by_street, totals = selectors.turnover_by_year(request.user, years=years)
        data = {
            "last_twelve_months": selectors.resignations_since(
                request.user, since=today - timedelta(days=365)
            ),
            "totals": totals,
            "streets": by_street,
        }
        return Response(s.TurnoverSerializer(data).data)


class RetirementViewSet(viewsets.GenericViewSet):
    """Workers reaching the legal retirement age within `months` (default 12) months."""

    required_permission = "staff.view"
    serializer_class = s.RetirementDueSerializer
    queryset = Worker.objects.none()

    @extend_schema(parameters=[s.RetirementQuery], responses=s.RetirementDueSerializer(many=True))
    def list(self, request):
        months = read_query(s.RetirementQuery, request)["months"]
        due = selectors.retirement_due(request.user, as_of=timezone.localdate(), within_months=months)
        page = self.paginate_queryset(due)
        return self.get_paginated_response(s.RetirementDueSerializer(page, many=True).data)


class _YearlyVersionViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A kind of yearly rules: everyone with the staff pages reads the adopted versions (and their history);
    the bureau also sees the drafts, drafts (one per year), changes a draft and adopts it. An adopted version
    is not changed: draft the year again and adopt the draft, which supersedes it."""

    required_permission = {
        "list": "staff.policy.view",
        "retrieve": "staff.policy.view",
        "create": "staff.policy.manage",
        "update": "staff.policy.manage",
        "partial_update": "staff.policy.manage",
        "adopt": "staff.policy.manage",
    }
    filterset_fields = ["year", "status"]

    def _values(self, serializer_class, *, current: dict | None = None) -> dict:
        data = serializer_class(
            data=self.request.data, partial=current is not None and self.request.method == "PATCH"
        )
        data.is_valid(raise_exception=True)
        return {**(current or {}), **data.validated_data}

    def _answer(self, version, status_code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=version.pk)).data, status=status_code)


class PayPolicyViewSet(_YearlyVersionViewSet):
    serializer_class = s.PayPolicyOutputSerializer
    queryset = PayPolicy.objects.none()

    def get_queryset(self):
        return selectors.visible_pay_policies(self.request.user)

    @extend_schema(request=s.PayPolicyInputSerializer, responses={201: s.PayPolicyOutputSerializer})
    def create(self, request):
        values = self._values(s.PayPolicyInputSerializer)
        policy = services.pay_policy_draft(actor=request.user, year=values.pop("year"), values=values)
        return self._answer(policy, status.HTTP_201_CREATED)

    @extend_schema(request=s.PayPolicyUpdateInputSerializer, responses=s.PayPolicyOutputSerializer)
    def update(self, request, pk=None, partial=False):
        policy = self.get_object()
        current = {name: getattr(policy, name) for name in (*services.PAY_FIELDS, "source_document", "note")}
        values = self._values(s.PayPolicyUpdateInputSerializer, current=current)
        return self._answer(services.pay_policy_update(actor=request.user, policy=policy, values=values))

    @extend_schema(request=s.PayPolicyUpdateInputSerializer, responses=s.PayPolicyOutputSerializer)
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(request=None, responses=s.PayPolicyOutputSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        return self._answer(services.pay_policy_adopt(actor=request.user, policy=self.get_object()))


class RetirementRuleSetViewSet(_YearlyVersionViewSet):
    serializer_class = s.RetirementRuleSetOutputSerializer
    queryset = RetirementRuleSet.objects.none()

    def get_queryset(self):
        return selectors.visible_retirement_rule_sets(self.request.user)

    @extend_schema(
        request=s.RetirementRulesInputSerializer, responses={201: s.RetirementRuleSetOutputSerializer}
    )
    def create(self, request):
        values = self._values(s.RetirementRulesInputSerializer)
        rule_set = services.retirement_rules_draft(actor=request.user, year=values.pop("year"), values=values)
        return self._answer(rule_set, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.RetirementRulesUpdateInputSerializer, responses=s.RetirementRuleSetOutputSerializer
    )
    def update(self, request, pk=None, partial=False):
        rule_set = self.get_object()
        current = {"source_document": rule_set.source_document, "note": rule_set.note}
        for rule in rule_set.rules.all():
            prefix = services.SEX_PREFIX[rule.sex]
            current.update({f"{prefix}_{name}": getattr(rule, name) for name in services.RULE_FIELDS})
        values = self._values(s.RetirementRulesUpdateInputSerializer, current=current)
        rule_set = services.retirement_rules_update(actor=request.user, rule_set=rule_set, values=values)
        return self._answer(rule_set)

    @extend_schema(
        request=s.RetirementRulesUpdateInputSerializer, responses=s.RetirementRuleSetOutputSerializer
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(request=None, responses=s.RetirementRuleSetOutputSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        return self._answer(services.retirement_rules_adopt(actor=request.user, rule_set=self.get_object()))
