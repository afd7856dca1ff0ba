"""The API's one error body (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]). DRF answers its own exceptions as
`{"field": ["…"], "non_field_errors": ["…"]}` (400) or `{"detail": "…"}`; this handler answers the exceptions the
services raise the same way, so a view lets them propagate instead of catching them:

- Django's `ValidationError`: 400, its fields' messages under their names, the rest (no field, or Django's
  `__all__`) under DRF's NON_FIELD_ERRORS_KEY;
- Django's `PermissionDenied`: 403 `{"detail": …}`, with the service's message when it gives one;
- the reveal limit (`core.reveals.RevealLimitExceeded`): 429 with the message and a Retry-After header;
- DRF's own ValidationError raised with a message rather than a dict: its messages under non_field_errors
  (DRF would answer a bare list).

The shape is declared once in the schema: core/openapi.py."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from community_admin.core import reveals


def validation_detail(exc: DjangoValidationError) -> dict[str, list]:
    """A Django ValidationError as DRF's body: field -> messages; messages of no field under non_field_errors."""
    detail = as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        general = detail.pop(NON_FIELD_ERRORS)
        detail[api_settings.NON_FIELD_ERRORS_KEY] = (
            detail.get(api_settings.NON_FIELD_ERRORS_KEY, []) + general
        )
    return detail


def as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(validation_detail(exc))
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, list):
        # DRF answers a ValidationError raised with a message (its SearchFilter's, for one) as a bare list
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.detail})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, reveals.RevealLimitExceeded):
        return reveals.api_refusal(exc)
    return exc


def exception_handler(exc, context):
    # DRF's handler then answers (and rolls back an atomic request) as for its own exceptions.
    return drf_exception_handler(as_api_exception(exc), context)
