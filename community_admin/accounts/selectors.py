from datetime import datetime, time, timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import ApiToken, Role, User
from community_admin.core.models import AuditLog

ROLE_ORDER = (Role.BUREAU, Role.STREET, Role.COMMITTEE, Role.DEPARTMENT)


def audit_log_list(*, filters: dict) -> QuerySet[AuditLog]:
    """The audit log, newest first, filtered. Only the bureau reads it (declared on the view). The actor is
    found by login or by real name; `account`: the rows done by that account or to it."""
    rows = AuditLog.objects.select_related("actor__street", "actor__committee", "actor__department")
    if filters.get("actor"):
        rows = rows.filter(
            Q(actor_name__icontains=filters["actor"]) | Q(actor__first_name__icontains=filters["actor"])
        )
    if filters.get("account"):
        account = filters["account"]
        rows = rows.filter(
            Q(actor_id=account) | Q(object_type=User._meta.label_lower, object_id=str(account))
        )
    if filters.get("action"):
        rows = rows.filter(action__startswith=filters["action"])
    if filters.get("object_type"):
        rows = rows.filter(object_type=filters["object_type"])
    if filters.get("result"):
        rows = rows.filter(result=filters["result"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        rows = rows.filter(created_at__gte=datetime.combine(filters["date_from"], time.min, tzinfo=tz))
    if filters.get("date_to"):
        rows = rows.filter(
            created_at__lt=datetime.combine(filters["date_to"] + timedelta(days=1), time.min, tzinfo=tz)
        )
    return rows.order_by("-created_at", "-id")


def api_token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user__department", "created_by").order_by("-created_at")


def account_list(user) -> QuerySet[User]:
    """The accounts `user` manages (scoping.visible_accounts), the bureau's first, then streets', committees'
    and departments', each by login."""
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)), output_field=IntegerField()
    )
    return (
        scoping.visible_accounts(user)
        .select_related("street", "committee__street", "department")
        .annotate(role_rank=rank)
        .order_by("role_rank", "username")
    )


def account_history(user: User, *, limit: int = 20) -> QuerySet[AuditLog]:
    """What was done to an account (created, edited, stopped, its password, its lockout, its logins), newest
    first: what the unit that manages it may read of the audit log."""
    return (
        AuditLog.objects.filter(object_type=User._meta.label_lower, object_id=str(user.pk))
        .select_related("actor__street", "actor__committee", "actor__department")
        .order_by("-created_at", "-id")[:limit]
    )
