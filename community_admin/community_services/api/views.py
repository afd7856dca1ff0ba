from django.db.models import Prefetch
from django.utils import timezone
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.community_services import selectors, services
from community_admin.community_services.api import serializers as s
from community_admin.community_services.balance import Period
from community_admin.community_services.models import (
    Activity,
    ActivityParticipant,
    CommunityOrganisation,
    Visit,
    Volunteer,
)
from community_admin.core.api_query import read_query
from community_admin.core.filters import StrictFilterSet
from community_admin.residents import selectors as residents_selectors
from community_admin.residents.models import Person

ERR_HOUSEHOLD = "户：不存在或不在您的管辖范围内。"
ERR_PERSON = "人员：不存在或不在您的管辖范围内。"
ERR_ORGANISATION = "协办社会组织：不存在或不在您的管辖范围内。"
ERR_VOLUNTEER = "志愿者：不存在或不在您的管辖范围内。"


def _person(request, pk: int, field: str = "person") -> Person:
    person = residents_selectors.person_list(request.user).filter(pk=pk).first()
    if person is None:
        raise ValidationError({field: [ERR_PERSON]})
    return person


class _Base(ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pass


class VisitFilter(StrictFilterSet):
    open_follow_up = django_filters.BooleanFilter(
        label="只看未办结的待办事项", method="filter_open_follow_up"
    )

    class Meta:
        model = Visit
        fields = {
            "household": ["exact"],
            "purpose": ["exact"],
            "visited_on": ["gte", "lte"],
            "committee__code": ["exact"],
            "visitor__username": ["exact"],
        }

    def filter_open_follow_up(self, queryset, name, value):
        return queryset.filter(follow_up_done_on__isnull=True).exclude(follow_up="") if value else queryset


class VisitViewSet(_Base):
    """Home visits (走访) in the caller's scope. Committee staff record their own visits."""

    required_permission = {
        "list": "services.view",
        "retrieve": "services.view",
        "create": "services.record",
        "close_follow_up": "services.record",
    }
    queryset = Visit.objects.none()
    serializer_class = s.VisitOutputSerializer
    filterset_class = VisitFilter
    ordering_fields = ["visited_on", "follow_up_due", "id"]

    def get_queryset(self):
        return selectors.visit_list(self.request.user)

    @extend_schema(request=s.VisitInputSerializer, responses={201: s.VisitOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        household = (
            residents_selectors.household_list(request.user).filter(pk=fields.pop("household")).first()
        )
        if household is None:
            raise ValidationError({"household": [ERR_HOUSEHOLD]})
        visit = services.visit_record(actor=request.user, household=household, **fields)
        return Response(s.VisitOutputSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FollowUpCloseInputSerializer, responses=s.VisitOutputSerializer)
    @action(detail=True, methods=["post"], url_path="close-follow-up")
    def close_follow_up(self, request, pk=None):
        visit = self.get_object()
        data = s.FollowUpCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_follow_up_close(actor=request.user, visit=visit, **data.validated_data)
        return Response(s.VisitOutputSerializer(visit).data)


class ActivityViewSet(_Base):
    """Activities for residents, with attachments (PDF/JPEG/PNG) and volunteer hours."""

    required_permission = {
        "list": "services.view",
        "retrieve": "services.view",
        "create": "services.record",
        "attachments": "services.record",
        "hours": "services.record",
    }
    queryset = Activity.objects.none()
    serializer_class = s.ActivityOutputSerializer
    filterset_fields = {"kind": ["exact"], "held_on": ["gte", "lte"], "committee__code": ["exact"]}
    search_fields = ["title", "place", "organiser"]
    ordering_fields = ["held_on", "id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.activity_list(self.request.user).prefetch_related(
            Prefetch("participations", queryset=ActivityParticipant.objects.only("activity_id", "person_id")),
            "attachments",
        )

    @extend_schema(request=s.ActivityInputSerializer, responses={201: s.ActivityOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ActivityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = None
        if fields.get("organisation") is not None:
            organisation = selectors.organisation_list(request.user).filter(pk=fields["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": [ERR_ORGANISATION]})
        ids = fields.pop("participant_ids")
        people = list(residents_selectors.person_list(request.user).filter(pk__in=ids))
        if len(people) != len(set(ids)):
            raise ValidationError({"participant_ids": [ERR_PERSON]})
        fields["organisation"] = organisation
        activity = services.activity_create(
            actor=request.user,
            committee=request.user.committee,
            participants=people,
            **fields,
        )
        return Response(
            s.ActivityOutputSerializer(self.get_queryset().get(pk=activity.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request={"multipart/form-data": s.AttachmentInputSerializer},
        responses={201: s.AttachmentOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        activity = self.get_object()
        data = s.AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        attachment = services.activity_attachment_add(
            actor=request.user,
            activity=activity,
            upload=upload,
            file_name=upload.name,
        )
        return Response(s.AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HoursInputSerializer, responses={201: s.ActivityOutputSerializer})
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        activity = self.get_object()
        data = s.HoursInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = selectors.volunteer_list(request.user).filter(pk=data.validated_data["volunteer"]).first()
        if volunteer is None:
            raise ValidationError({"volunteer": [ERR_VOLUNTEER]})
        services.volunteer_hours_log(
            actor=request.user,
            volunteer=volunteer,
            activity=activity,
            hours=data.validated_data["hours"],
        )
        return Response(s.ActivityOutputSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)


class VolunteerViewSet(_Base):
    """Registered volunteers with their total hours."""

    required_permission = {"list": "services.view", "retrieve": "services.view", "create": "services.record"}
    queryset = Volunteer.objects.none()
    serializer_class = s.VolunteerOutputSerializer
    filterset_fields = {"committee__code": ["exact"], "registered_on": ["gte", "lte"]}
    ordering_fields = ["registered_on", "id"]

    def get_queryset(self):
        return selectors.volunteer_list(self.request.user)

    @extend_schema(request=s.VolunteerInputSerializer, responses={201: s.VolunteerOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.VolunteerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = _person(request, fields.pop("person"))
        volunteer = services.volunteer_register(actor=request.user, person=person, **fields)
        return Response(
            s.VolunteerOutputSerializer(self.get_queryset().get(pk=volunteer.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class OrganisationViewSet(_Base):
    """Community social organisations, their members and the support the committee gave them."""

    required_permission = {
        "list": "services.view",
        "retrieve": "services.view",
        "create": "services.record",
        "members": "services.record",
        "support": "services.record",
    }
    queryset = CommunityOrganisation.objects.none()
    serializer_class = s.OrganisationOutputSerializer
    filterset_fields = {"kind": ["exact"], "filed": ["exact"], "committee__code": ["exact"]}
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.organisation_list(self.request.user).prefetch_related(
            "memberships__person", "supports"
        )

    def _out(self, organisation, code=status.HTTP_200_OK):
        return Response(
            s.OrganisationOutputSerializer(self.get_queryset().get(pk=organisation.pk)).data, status=code
        )

    @extend_schema(request=s.OrganisationInputSerializer, responses={201: s.OrganisationOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(
            actor=request.user,
            committee=request.user.committee,
            **data.validated_data,
        )
        return self._out(organisation, status.HTTP_201_CREATED)

    @extend_schema(request=s.MemberInputSerializer, responses={201: s.OrganisationOutputSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        organisation = self.get_object()
        data = s.MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = _person(request, fields.pop("person"))
        services.organisation_member_add(
            actor=request.user,
            organisation=organisation,
            person=person,
            **fields,
        )
        return self._out(organisation, status.HTTP_201_CREATED)

    @extend_schema(request=s.SupportInputSerializer, responses={201: s.OrganisationOutputSerializer})
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        organisation = self.get_object()
        data = s.SupportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.organisation_support_record(
            actor=request.user,
            organisation=organisation,
            **data.validated_data,
        )
        return self._out(organisation, status.HTTP_201_CREATED)


class BalanceViewSet(viewsets.GenericViewSet):
    """Each committee's balance of service and administration for a year or a month (see services/balance.py)."""

    required_permission = {"list": "services.view"}
    queryset = CommunityOrganisation.objects.none()
    serializer_class = s.BalanceOutputSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[s.BalanceQuery], responses=s.BalanceOutputSerializer(many=True))
    def list(self, request):
        query = read_query(s.BalanceQuery, request)
        year, month = query.get("year") or timezone.localdate().year, query.get("month")
        period = Period.month(year, month) if month else Period.year(year)
        committees = scoping.visible_committees(request.user).select_related("street").order_by("code")
        rows = selectors.committee_balances(committees, period)
        return Response(
            s.BalanceOutputSerializer([{"committee": c, "balance": b} for c, b in rows], many=True).data
        )
