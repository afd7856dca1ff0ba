"""Query parameters an endpoint reads itself, outside a list's FilterSet (a year for a yearly figure, a
horizon in months): declared once as a serializer, so the schema documents them
(`extend_schema(parameters=[TheQuery])`) and a value it cannot read is the API's one error body naming the
parameter (400, core/api_errors.py), never a silent default."""

from rest_framework import serializers


def read_query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="年度（四位数字；不填为本年）"
    )
