"""What every app's API views share: single objects through the scoping module's one 404 rule. (The services'
Django ValidationError and PermissionDenied answer through the one exception handler, core/api_errors.py.)"""

from rest_framework import serializers

from community_admin.accounts import scoping


class ScopedObjectMixin:
    """Single objects come from the (scoped) `get_queryset()`; missing and out of scope are the same 404."""

    def get_object(self):
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = scoping.get_in_scope_or_404(self.get_queryset(), self.request.user, **lookup)
        self.check_object_permissions(self.request, obj)
        return obj


class WholeIdField(serializers.PrimaryKeyRelatedField):
    """An object id is a whole number: DRF's own field looks 1.5 up as object 1 (Django rounds it down)."""

    def to_internal_value(self, data):
        if isinstance(data, float | bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)
