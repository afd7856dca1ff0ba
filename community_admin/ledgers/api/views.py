from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from community_admin.accounts.api.views import ScopedObjectMixin
from community_admin.accounts.models import Role
from community_admin.core.api_errors import validation_detail
from community_admin.core.api_query import YearQuery, read_query
from community_admin.core.filters import StrictFilterSet
from community_admin.ledgers import periods, selectors, services
from community_admin.ledgers.api import serializers as s
from community_admin.ledgers.derived import DERIVATIONS
from community_admin.ledgers.exporters import layout_headers, manual_rows
from community_admin.ledgers.models import LedgerBook, LedgerEntry, LedgerPeriod

ERR_COMMITTEE = "社区代码：不存在或不在您的管辖范围内。"
ERR_BOOK = "台账代码：不存在或不在您的范围内。"


ENTRY_FIELDS = {"book", "committee", "period", "non_field_errors"}


def data_error(exc: DjangoValidationError) -> ValidationError:
    """The services name a row's columns; in the API those are keys of the `data` field, so their errors go
    under "data" (a client sent `data`, not `address`)."""
    errors = validation_detail(exc)
    columns = {k: v for k, v in errors.items() if k not in ENTRY_FIELDS}
    outer = {k: v for k, v in errors.items() if k in ENTRY_FIELDS}
    if columns:
        outer["data"] = columns
    return ValidationError(outer)


def committee_for(user, book: LedgerBook, code: str | None):
    committees = selectors.book_committees(user, book)
    if not code and user.role == Role.COMMITTEE:
        return committees.get()
    committee = committees.filter(code=code).first() if code else None
    if committee is None:
        raise ValidationError({"committee": [ERR_COMMITTEE]})
    return committee


class BookViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The ledger books the caller keeps or owns: every book for the bureau, streets and committees; a
    department's own books only. `rows` gives one committee's copy in the standard layout."""

    required_permission = {"list": "ledgers.view", "retrieve": "ledgers.view", "rows": "ledgers.view"}
    queryset = LedgerBook.objects.none()
    serializer_class = s.BookOutputSerializer
    filterset_fields = ["code", "source", "period", "category__code"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.book_list(self.request.user)

    @extend_schema(parameters=[s.RowsQuerySerializer], responses=s.RowsPageOutputSerializer)
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None):
        book = self.get_object()
        query = s.RowsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        committee = committee_for(request.user, book, query.validated_data.get("committee"))
        today = timezone.localdate()
        if book.is_derived:
            key, derivation = "", DERIVATIONS[book.derived_key]
            values = derivation.values(selectors.derived_base(request.user, book, committee), today)
            page = self.paginate_queryset(values)
            rows = [derivation.row_of(v, today) for v in page]
        else:
            key = periods.clean_key(book, query.validated_data.get("period"), today=today)
            entries = selectors.book_entries(request.user, book, committee, key).order_by("id")
            page = self.paginate_queryset(entries)
            rows = list(manual_rows(entries.filter(pk__in=[e.pk for e in page]), book))
        body = {
            "book": book.code,
            "committee": committee.code,
            "period": key,
            "headers": layout_headers(book)[1:],
            "rows": [[v.isoformat() if hasattr(v, "isoformat") else v for v in row] for row in rows],
        }
        return self.get_paginated_response(s.RowsOutputSerializer(body).data)


class EntryFilter(StrictFilterSet):
    book = filters.CharFilter(field_name="period__book__code")
    committee = filters.CharFilter(field_name="period__committee__code")
    period = filters.CharFilter(field_name="period__key")

    class Meta:
        model = LedgerEntry
        fields = ["book", "committee", "period"]


class EntryViewSet(
    ScopedObjectMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Entries of manual books, in the committees the caller sees (departments: their own books).
    Fields are checked against the book's columns; a closed period refuses changes; removal keeps history."""

    required_permission = {
        "list": "ledgers.view",
        "retrieve": "ledgers.view",
        "history": "ledgers.view",
        "create": "ledgers.keep",
        "update": "ledgers.keep",
        "partial_update": "ledgers.keep",
        "destroy": "ledgers.keep",
    }
    queryset = LedgerEntry.objects.none()
    serializer_class = s.EntryOutputSerializer
    filterset_class = EntryFilter
    ordering_fields = ["id", "created_at"]
    search_fields = []

    def get_queryset(self):
        return selectors.entry_list(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "person_labels": getattr(self, "_labels", {})}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._labels = selectors.person_labels(
            e.data.get(c["key"]) for e in page or [] for c in e.period.book.columns if c["type"] == "person"
        )
        return page

    def _out(self, entry, code=status.HTTP_200_OK):
        labels = selectors.person_labels(entry.data.values())
        return Response(s.EntryOutputSerializer(entry, context={"person_labels": labels}).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._out(self.get_object())

    @extend_schema(request=s.EntryInputSerializer, responses={201: s.EntryOutputSerializer})
    def create(self, request, *args, **kwargs):
        data = s.EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        book = selectors.book_list(request.user).filter(code=fields["book"]).first()
        if book is None:
            raise ValidationError({"book": [ERR_BOOK]})
        committee = committee_for(request.user, book, fields.get("committee"))
        try:
            entry = services.entry_create(
                actor=request.user,
                book=book,
                committee=committee,
                period_key=fields["period"],
                data=fields["data"],
            )
        except DjangoValidationError as exc:
            raise data_error(exc) from exc
        return self._out(entry, status.HTTP_201_CREATED)

    @extend_schema(request=s.EntryUpdateSerializer, responses=s.EntryOutputSerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        data = s.EntryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            entry = services.entry_update(actor=request.user, entry=entry, data=data.validated_data["data"])
        except DjangoValidationError as exc:
            raise data_error(exc) from exc
        return self._out(entry)

    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        services.entry_remove(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.RevisionOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        entry = self.get_object()
        return Response(s.RevisionOutputSerializer(selectors.entry_history(entry), many=True).data)


class PeriodViewSet(
    ScopedObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Periods of manual books per committee. Closing locks the entries (committee or street); reopening is
    the street office's, with a reason, and audited."""

    required_permission = {
        "list": "ledgers.view",
        "retrieve": "ledgers.view",
        "close": "ledgers.close",
        "reopen": "ledgers.reopen",
    }
    queryset = LedgerPeriod.objects.none()
    serializer_class = s.PeriodOutputSerializer
    filterset_fields = ["closed", "key", "book__code", "committee__code"]
    ordering_fields = ["key", "id"]

    def get_queryset(self):
        return selectors.period_list(self.request.user).order_by("book_id", "committee_id", "-key")

    @extend_schema(request=s.PeriodCloseSerializer, responses=s.PeriodOutputSerializer)
    @action(detail=False, methods=["post"])
    def close(self, request):
        data = s.PeriodCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        book = selectors.book_list(request.user).filter(code=data.validated_data["book"]).first()
        if book is None:
            raise ValidationError({"book": [ERR_BOOK]})
        committee = committee_for(request.user, book, data.validated_data.get("committee"))
        period = services.period_close(
            actor=request.user, book=book, committee=committee, period_key=data.validated_data["period"]
        )
        return Response(s.PeriodOutputSerializer(period).data)

    @extend_schema(request=s.PeriodReopenSerializer, responses=s.PeriodOutputSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        period = self.get_object()
        data = s.PeriodReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_reopen(
            actor=request.user, period=period, reason=data.validated_data["reason"]
        )
        return Response(s.PeriodOutputSerializer(period).data)


class BurdenViewSet(viewsets.GenericViewSet):
    """Per committee: books kept, entries typed this year, and the share of rows the registry filled."""

    required_permission = {"list": "ledgers.view"}
    queryset = LedgerBook.objects.none()
    serializer_class = s.BurdenOutputSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(parameters=[YearQuery], responses=s.BurdenOutputSerializer(many=True))
    def list(self, request):
        year = read_query(YearQuery, request).get("year")
        rows = selectors.committee_burden(request.user, year=year)
        return Response(s.BurdenOutputSerializer(rows, many=True).data)
