"""What every app's API views share: single objects through the scoping module's one 404 rule, and the
services' Django ValidationError as DRF's 400 naming the field."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from community_admin.accounts import scoping


class ScopedObjectMixin:
    """Single objects come from the (scoped) `get_queryset()`; missing and out of scope are the same 404."""

    def get_object(self):
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = scoping.get_in_scope_or_404(self.get_queryset(), self.request.user, **lookup)
        self.check_object_permissions(self.request, obj)
        return obj


def drf_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class WholeIdField(serializers.PrimaryKeyRelatedField):
    """An object id is a whole number: DRF's own field looks 1.5 up as object 1 (Django rounds it down)."""

    def to_internal_value(self, data):
        if isinstance(data, float | bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
