import dataclasses

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.accounts.models import Role
from community_admin.core.counting import CountCachedPagination
from community_admin.core.pagination import PageNumberPagination
from community_admin.org.models import Committee
from community_admin.residents import selectors, services
from community_admin.residents.api import serializers as s
from community_admin.residents.filters import PersonFilter
from community_admin.residents.models import REGISTRY, Household, Person


class PersonFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


class HouseholdViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Households of the committees the caller sees. Never deleted."""

    required_permission = {
        "list": "residents.view",
        "retrieve": "residents.view",
        "create": "residents.register",
        "update": "residents.edit",
        "partial_update": "residents.edit",
    }
    queryset = Household.objects.none()
    serializer_class = s.HouseholdOutputSerializer
    filterset_fields = ["number", "kind", "housing_type"]
    search_fields = ["number", "building", "room"]
    ordering_fields = ["number", "id"]

    def get_queryset(self):
        return selectors.household_list(self.request.user)

    @extend_schema(request=s.HouseholdInputSerializer, responses={201: s.HouseholdOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.HouseholdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        code = fields.pop("committee", None)
        committees = scoping.visible_committees(request.user)
        if request.user.role == Role.COMMITTEE and not code:
            committee = committees.get()
        else:
            committee = committees.filter(code=code).first() if code else None
            if committee is None:
                raise ValidationError({"committee": ["社区代码：不存在或不在您的管辖范围内。"]})
        household = services.household_create(actor=request.user, committee=committee, **fields)
        return Response(s.HouseholdOutputSerializer(household).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.HouseholdUpdateSerializer, responses=s.HouseholdOutputSerializer)
    def update(self, request, *args, **kwargs):
        household = self.get_object()
        data = s.HouseholdUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        household = services.household_update(
            actor=request.user, household=household, changes=data.validated_data
        )
        return Response(s.HouseholdOutputSerializer(household).data)


class PersonPagination(CountCachedPagination, PageNumberPagination):
    count_data = REGISTRY


class PersonViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People of the committees the caller sees. ID numbers are masked; `reveal-id` is the audited exception."""

    required_permission = {
        "list": "residents.view",
        "retrieve": "residents.view",
        "search": "residents.view",
        "create": "residents.register",
        "update": "residents.edit",
        "partial_update": "residents.edit",
        "reveal_id": "residents.reveal_id",
        "move_out": "residents.edit",
        "death": "residents.edit",
        "transfer": "residents.edit",
        "floating_move_out": "residents.floating_move_out",
        "residence_permit": "residents.residence_permit",
    }
    queryset = Person.objects.none()
    serializer_class = s.PersonOutputSerializer
    pagination_class = PersonPagination
    filter_backends = [PersonFilterBackend]
    filterset_class = PersonFilter

    def get_queryset(self):
        if self.action == "list":
            return selectors.person_list_paged(self.request.user)
        return selectors.person_list(self.request.user)

    def _out(self, person, code=status.HTTP_200_OK):
        return Response(s.PersonOutputSerializer(person, context={"request": self.request}).data, status=code)

    @extend_schema(request=s.PersonInputSerializer, responses={201: s.PersonOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.PersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        household = selectors.household_list(request.user).filter(pk=fields.pop("household")).first()
        if household is None:
            raise ValidationError({"household": ["户：不存在或不在您的管辖范围内。"]})
        person = services.person_register(actor=request.user, household=household, **fields)
        return self._out(person, status.HTTP_201_CREATED)

    @extend_schema(request=s.PersonUpdateSerializer, responses=s.PersonOutputSerializer)
    def update(self, request, *args, **kwargs):
        person = self.get_object()
        data = s.PersonUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        person = services.person_update(actor=request.user, person=person, changes=data.validated_data)
        return self._out(person)

    @extend_schema(request=s.PersonUpdateSerializer, responses=s.PersonOutputSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=s.IdNumberSearchSerializer, responses=s.PersonOutputSerializer(many=True))
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def search(self, request):
        """Every record with this full ID number among the people the caller sees (current ones first); an empty
        list when none is. The number goes in the body: a query string that carries one is refused with 400."""
        data = s.IdNumberSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.person_search_by_id_number(request.user, data.validated_data["id_number"])
        return Response(s.PersonOutputSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        request=s.RevealInputSerializer,
        responses={200: s.RevealOutputSerializer, 429: OpenApiResponse(description="超过每小时查看次数上限")},
    )
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, pk=None):
        person = self.get_object()
        data = s.RevealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revealed = services.person_reveal_id(
            actor=request.user, person=person, reason=data.validated_data["reason"]
        )
        body = {k: v for k, v in dataclasses.asdict(revealed).items() if v}
        return Response(s.RevealOutputSerializer(body).data, headers={"Cache-Control": "no-store"})

    @extend_schema(request=s.EventInputSerializer, responses=s.PersonOutputSerializer)
    @action(detail=True, methods=["post"], url_path="move-out")
    def move_out(self, request, pk=None):
        return self._event(request, services.person_move_out, with_destination=True)

    @extend_schema(request=s.EventInputSerializer, responses=s.PersonOutputSerializer)
    @action(detail=True, methods=["post"])
    def death(self, request, pk=None):
        return self._event(request, services.person_record_death)

    def _event(self, request, service, *, with_destination=False):
        person = self.get_object()
        data = s.EventInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extra = {"destination": data.validated_data["destination"]} if with_destination else {}
        person = service(
            actor=request.user, person=person, happened_on=data.validated_data["happened_on"], **extra
        )
        return self._out(person)

    @extend_schema(request=s.TransferInputSerializer, responses=s.PersonOutputSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        person = self.get_object()
        data = s.TransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = selectors.household_list(request.user).filter(pk=data.validated_data["to_household"]).first()
        if target is None:
            raise ValidationError({"to_household": ["新户：不存在或不在您的管辖范围内。"]})
        person = services.person_transfer(
            actor=request.user,
            person=person,
            to_household=target,
            happened_on=data.validated_data["happened_on"],
        )
        return self._out(person)

    @extend_schema(
        request=s.FloatingMoveOutInputSerializer,
        responses=s.PersonOutputSerializer,
        description=(
            "派出所为流动人口登记迁出（需令牌权限 `residents:floating`）：与社区登记的迁出相同（状态“已迁出”、"
            "变动记录、审计），只能办理流动人口，户籍或常住人口返回 400（`person`）。"
            "同一账户以相同内容重试，返回该人员，不重复登记。"
        ),
    )
    @action(detail=True, methods=["post"], url_path="floating-move-out")
    def floating_move_out(self, request, pk=None):
        person = self.get_object()
        data = s.FloatingMoveOutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        code = fields.pop("to_committee")
        to_committee = None
        if code:
            to_committee = Committee.objects.filter(code=code).first()
            if to_committee is None:
                raise ValidationError({"to_committee": ["迁往社区：本区没有此社区代码。"]})
        person = services.floating_move_out(
            actor=request.user, person=person, to_committee=to_committee, **fields
        )
        return self._out(person)

    @extend_schema(
        request=s.ResidencePermitInputSerializer,
        responses=s.PersonOutputSerializer,
        description=(
            "更新流动人口的居住证（号码、签发日期、有效期至；部门令牌需权限 `residents:floating`）。"
            "号码在响应中已遮盖；内容不变时不写入。"
        ),
    )
    @action(detail=True, methods=["post"], url_path="residence-permit")
    def residence_permit(self, request, pk=None):
        person = self.get_object()
        data = s.ResidencePermitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        person = services.residence_permit_update(
            actor=request.user,
            person=person,
            number=fields["residence_permit_number"],
            issued_on=fields["residence_permit_issued_on"],
            valid_until=fields["residence_permit_valid_until"],
        )
        return self._out(person)
