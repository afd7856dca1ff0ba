from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.certificates import selectors, services
from community_admin.certificates.api import serializers as s
from community_admin.certificates.filters import CertificateFilter
from community_admin.certificates.models import Certificate, CertificateType, Refusal
from community_admin.core.clientip import client_ip
from community_admin.core.files import attachment_response

ERR_PERSON_NOT_FOUND = "当事人：不存在或不在您的管辖范围内。"
ERR_TYPE_NOT_FOUND = "证明类型：不存在或已停用。"
MSG_REFUSED = "社区居委会不出具“{type}”，请到{department}办理。"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return attachment_response(data, filename=filename, content_type="application/pdf")


class CertificateTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The whitelist: tier, the department a refused type is referred to, the evidence a tier-B type needs,
    its policy source and the national rules it conflicts with."""

    required_permission = "certificates.whitelist_view"
    queryset = CertificateType.objects.none()
    serializer_class = s.CertificateTypeOutputSerializer
    filterset_fields = ["tier", "active", "code"]
    pagination_class = None

    def get_queryset(self):
        return selectors.certificate_types()


class CertificateViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Certificates of the committees the caller sees. POST issues (tier A, tier B with evidence) or answers 422
    with the referral (tier C, the refusal recorded). Never deleted; `void` keeps the number."""

    required_permission = {
        "list": "certificates.view",
        "retrieve": "certificates.view",
        "create": "certificates.issue",
        "void": "certificates.void",
        "pdf": "certificates.print",
        "verify": "certificates.verify",
    }
    queryset = Certificate.objects.none()
    serializer_class = s.CertificateOutputSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = CertificateFilter
    search_fields = ["serial", "holder_name"]
    ordering_fields = ["issued_at", "serial"]

    def get_queryset(self):
        return selectors.certificate_list(self.request.user).prefetch_related("evidence")

    @extend_schema(
        request=s.IssueInputSerializer,
        responses={201: s.CertificateOutputSerializer, 422: s.ReferralSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = s.IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = selectors.issuable_persons(request.user).filter(pk=data.validated_data["person"]).first()
        if person is None:
            raise ValidationError({"person": [ERR_PERSON_NOT_FOUND]})
        ct = CertificateType.objects.filter(code=data.validated_data["certificate_type"], active=True).first()
        if ct is None:
            raise ValidationError({"certificate_type": [ERR_TYPE_NOT_FOUND]})
        evidence = {
            item: request.FILES.getlist(f"evidence_{i}")
            for i, item in enumerate(ct.required_evidence)
            if request.FILES.getlist(f"evidence_{i}")
        }
        result = services.certificate_issue(
            actor=request.user,
            person=person,
            certificate_type=ct,
            purpose=data.validated_data["purpose"],
            evidence=evidence,
        )
        if result.refused:
            refusal = result.refusal
            body = {
                "detail": MSG_REFUSED.format(type=ct.name, department=refusal.referred_to),
                "refusal": s.RefusalOutputSerializer(refusal).data,
                "referred_to": refusal.referred_to,
                "referral_slip": request.build_absolute_uri(
                    reverse("certificate-refusal-slip", args=[refusal.pk])
                ),
            }
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        cert = Certificate.objects.prefetch_related("evidence").get(pk=result.certificate.pk)
        return Response(s.CertificateOutputSerializer(cert).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.VoidInputSerializer, responses=s.CertificateOutputSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        cert = self.get_object()
        data = s.VoidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cert = services.certificate_void(
            actor=request.user, certificate=cert, reason=data.validated_data["reason"]
        )
        return Response(s.CertificateOutputSerializer(cert).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        cert = self.get_object()
        return _pdf(services.certificate_print(actor=request.user, certificate=cert), f"{cert.serial}.pdf")

    @extend_schema(request=s.VerifyInputSerializer, responses=s.VerifyOutputSerializer)
    @action(detail=False, methods=["post"])
    def verify(self, request):
        """For departments (token scope certificates:verify): the same answer as the public page."""
        data = s.VerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.certificate_verify(
            serial=data.validated_data["serial"],
            code=data.validated_data["code"],
            channel="api",
            ip_address=client_ip(request),
            user=request.user,
        )
        if result.limited:
            return Response(
                {"detail": "查询过于频繁，请稍后再试。"}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        return Response(
            s.VerifyOutputSerializer(
                {
                    "found": result.found,
                    "valid": result.valid,
                    "status": result.status,
                    "type_name": result.type_name,
                    "committee_name": result.committee_name,
                    "issued_on": result.issued_on,
                    "masked_name": result.masked_name,
                }
            ).data
        )


class RefusalViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    required_permission = {
        "list": "certificates.view",
        "retrieve": "certificates.view",
        "slip": "certificates.print",
    }
    queryset = Refusal.objects.none()
    serializer_class = s.RefusalOutputSerializer
    filterset_fields = ["referral_domain"]

    def get_queryset(self):
        return selectors.refusal_list(self.request.user)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def slip(self, request, pk=None):
        refusal = self.get_object()
        return _pdf(services.refusal_slip_print(actor=request.user, refusal=refusal), f"R{refusal.pk}.pdf")


class StatisticsViewSet(viewsets.GenericViewSet):
    """Issued, voided and refused certificates grouped by tier, type, committee, street or month."""

    required_permission = {"list": "certificates.statistics"}
    serializer_class = s.StatRowSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("group_by", str, enum=list(selectors.GROUPINGS)),
            OpenApiParameter("year", int),
        ],
        responses=s.StatRowSerializer(many=True),
    )
    def list(self, request):
        query = s.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.statistics(
            request.user, group_by=query.validated_data["group_by"], year=query.validated_data.get("year")
        )
        return Response(s.StatRowSerializer(rows, many=True).data)
