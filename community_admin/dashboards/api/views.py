import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from community_admin.accounts import scoping
from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.core.filters import StrictFilterSet
from community_admin.dashboards import selectors as dashboard_selectors
from community_admin.dashboards.api.serializers import (
    CommitteeOutputSerializer,
    DashboardSerializer,
    RegistryMarkInputSerializer,
    StreetOutputSerializer,
)
from community_admin.org import selectors, services
from community_admin.org.models import Committee, Street


class StreetViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Streets the caller may see, with their committee and population totals."""

    required_permission = "org.view"
    serializer_class = StreetOutputSerializer
    queryset = Street.objects.none()
    filterset_fields = ["code"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.streets_with_counts(scoping.visible_streets(self.request.user))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        committees = Committee.objects.filter(street__in=scoping.visible_streets(self.request.user))
        context["totals"] = selectors.street_totals(selectors.committees_with_figures(committees))
        return context


class CommitteeFilter(StrictFilterSet):
    street = django_filters.CharFilter(field_name="street__code")

    class Meta:
        model = Committee
        fields = ["street", "kind", "village_converted", "code"]


class CommitteeViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Committees the caller may see, with their norms (members, social workers, office space) and compliance,
    computed from the registry once the street office has marked it complete, until then from the recorded
    figures (`norms.source`)."""

    required_permission = {
        "list": "org.view",
        "retrieve": "org.view",
        "registry_complete": "org.registry_complete",
    }
    serializer_class = CommitteeOutputSerializer
    queryset = Committee.objects.none()
    filterset_class = CommitteeFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "recorded_households", "office_area_m2"]

    def get_queryset(self):
        return (
            scoping.visible_committees(self.request.user)
            .select_related("street", "registry_complete_by")
            .order_by("code")
        )

    def get_serializer(self, *args, **kwargs):
        """Committees are serialised with their figures, computed for the whole page at once."""
        if args:
            items = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["figures"] = {c.pk: f for c, f in selectors.committees_with_figures(items)}
            args = (items if kwargs.get("many") else items[0], *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=RegistryMarkInputSerializer, responses=CommitteeOutputSerializer)
    @action(detail=True, methods=["post"], url_path="registry-complete")
    def registry_complete(self, request, pk=None):
        """The street office (or the bureau) marks the committee's registry complete (`complete: true`) or
        withdraws the mark (`complete: false`). Marking a registry without households, or withdrawing a mark
        that is not there, is 400 naming `registry_complete`; a committee's own staff are refused (403)."""
        committee = self.get_object()
        data = RegistryMarkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["complete"]:
            services.committee_registry_complete(actor=request.user, committee=committee)
        else:
            services.committee_registry_incomplete(actor=request.user, committee=committee)
        return Response(self.get_serializer(self.get_queryset().get(pk=committee.pk)).data)


class DistrictDashboardView(APIView):
    """The district's figures (DESIGN.md section 3), computed live from the data."""

    required_permission = "dashboards.district"

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        figures = dashboard_selectors.dashboard_figures(Committee.objects.all(), Street.objects.all())
        return Response(figures)


class StreetDashboardView(APIView):
    """The same figures for one street (bureau: any street; street clerks: their own)."""

    required_permission = "dashboards.street"

    @extend_schema(responses=DashboardSerializer)
    def get(self, request, pk: int):
        street = scoping.get_in_scope_or_404(scoping.visible_streets(request.user), request.user, pk=pk)
        committees = scoping.visible_committees(request.user).filter(street=street)
        return Response(
            dashboard_selectors.dashboard_figures(committees, Street.objects.filter(pk=street.pk))
        )
