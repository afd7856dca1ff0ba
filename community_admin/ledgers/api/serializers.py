from rest_framework import serializers

from community_admin.ledgers.models import LedgerBook, LedgerEntry, LedgerEntryRevision, LedgerPeriod


class BookOutputSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    owner_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    owner = serializers.CharField(source="owner_label", read_only=True)
    headers = serializers.SerializerMethodField(help_text="标准版式的表头（中文）")

    class Meta:
        model = LedgerBook
        fields = [
            "id",
            "code",
            "name",
            "category",
            "owner_department",
            "owner_police_station",
            "owner",
            "period",
            "source",
            "derived_key",
            "columns",
            "headers",
            "source_document",
        ]

    def get_headers(self, book) -> list[str]:
        from community_admin.ledgers.exporters import layout_headers

        return layout_headers(book)


class RowsQuerySerializer(serializers.Serializer):
    committee = serializers.CharField(required=False, help_text="社区代码；社区工作人员可省略")
    period = serializers.CharField(
        required=False, allow_blank=True, help_text="期间，如 2025-03、2025Q1、2025；默认本期"
    )


class RowsOutputSerializer(serializers.Serializer):
    book = serializers.CharField()
    committee = serializers.CharField()
    period = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField())


class RowsPageOutputSerializer(serializers.Serializer):
    """`rows` is paginated: the page's rows of one committee's copy under `results`."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = RowsOutputSerializer()


class EntryOutputSerializer(serializers.ModelSerializer):
    book = serializers.CharField(source="period.book.code", read_only=True)
    committee = serializers.CharField(source="period.committee.code", read_only=True)
    period = serializers.CharField(source="period.key", read_only=True)
    period_closed = serializers.BooleanField(source="period.closed", read_only=True)
    persons = serializers.SerializerMethodField(help_text="人员栏目的显示名：{人员 id: 姓名（脱敏号码）}")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "book",
            "committee",
            "period",
            "period_closed",
            "data",
            "persons",
            "created_at",
            "updated_at",
        ]

    def get_persons(self, entry) -> dict[str, str]:
        labels = self.context.get("person_labels", {})
        keys = [c["key"] for c in entry.period.book.columns if c["type"] == "person"]
        return {str(entry.data[k]): labels.get(entry.data[k], "") for k in keys if k in entry.data}


class EntryInputSerializer(serializers.Serializer):
    book = serializers.CharField(help_text="台账代码")
    committee = serializers.CharField(required=False, help_text="社区代码；社区工作人员可省略")
    period = serializers.CharField(required=False, allow_blank=True, default="", help_text="期间；默认本期")
    data = serializers.DictField(help_text="栏目 key → 值；人员栏目填人员 id")


class EntryUpdateSerializer(serializers.Serializer):
    data = serializers.DictField(help_text="要修改的栏目 key → 值；空值清除该栏")


class RevisionOutputSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    actor_name = serializers.CharField(source="actor.display_name", read_only=True, help_text="操作人姓名")

    class Meta:
        model = LedgerEntryRevision
        fields = ["id", "action", "data", "changed", "actor", "actor_name", "created_at"]


class PeriodOutputSerializer(serializers.ModelSerializer):
    book = serializers.CharField(source="book.code", read_only=True)
    committee = serializers.CharField(source="committee.code", read_only=True)

    class Meta:
        model = LedgerPeriod
        fields = ["id", "book", "committee", "key", "closed", "closed_at"]


class PeriodCloseSerializer(serializers.Serializer):
    book = serializers.CharField()
    committee = serializers.CharField(required=False)
    period = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BurdenOutputSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.name")
    street = serializers.CharField(source="committee.street.name")
    books_kept = serializers.IntegerField()
    manual_books_kept = serializers.IntegerField()
    derived_books = serializers.IntegerField()
    entries_typed = serializers.IntegerField()
    registry_rows = serializers.IntegerField()
    registry_share = serializers.FloatField()
