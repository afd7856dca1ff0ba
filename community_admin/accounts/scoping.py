"""The one place that decides what a user may see. Every page, API view, export and dashboard
builds its querysets on these functions; anything outside them answers 404, like a missing object."""

from django.db.models import Model, QuerySet
from django.http import Http404

from community_admin.accounts.models import Role
from community_admin.core import audit
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee, Department, Street


def visible_streets(user) -> QuerySet[Street]:
    if not getattr(user, "is_authenticated", False):
        return Street.objects.none()
    if user.role == Role.BUREAU:
        return Street.objects.all()
    if user.role == Role.STREET:
        return Street.objects.filter(pk=user.street_id)
    if user.role == Role.COMMITTEE:
        return Street.objects.filter(committees=user.committee_id)
    if user.role == Role.DEPARTMENT:
        return _department_streets(user.department)
    return Street.objects.none()


def visible_committees(user) -> QuerySet[Committee]:
    if not getattr(user, "is_authenticated", False):
        return Committee.objects.none()
    if user.role == Role.BUREAU:
        return Committee.objects.all()
    if user.role == Role.STREET:
        return Committee.objects.filter(street_id=user.street_id)
    if user.role == Role.COMMITTEE:
        return Committee.objects.filter(pk=user.committee_id)
    if user.role == Role.DEPARTMENT:
        return Committee.objects.filter(street__in=_department_streets(user.department))
    return Committee.objects.none()


def _department_streets(department: Department | None) -> QuerySet[Street]:
    if department is None:
        return Street.objects.none()
    # A department that names no streets serves the whole district.
    if not department.streets.exists():
        return Street.objects.all()
    return department.streets.all()


def scope_by_committee(queryset: QuerySet, user, *, field: str = "committee") -> QuerySet:
    """Restrict any queryset whose rows belong to a committee (through `field`) to what `user` sees."""
    if getattr(user, "is_authenticated", False) and user.role == Role.BUREAU:
        return queryset
    return queryset.filter(**{f"{field}__in": visible_committees(user)})


def get_in_scope_or_404(queryset: QuerySet, user, **lookup) -> Model:
    """Fetch from an already scoped `queryset`. Missing and out of scope are the same 404; an object
    that exists outside the user's scope is recorded in the audit log as a denied access."""
    obj = queryset.filter(**lookup).first()
    if obj is not None:
        return obj
    model = queryset.model
    if model._default_manager.filter(**lookup).exists():
        audit.record(
            actor=user,
            action="access.out_of_scope",
            object_type=model._meta.label_lower,
            object_id=str(next(iter(lookup.values()), "")),
            result=AuditLog.Result.DENIED,
        )
    raise Http404
