from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from community_admin.accounts.models import ApiToken
from community_admin.core.models import AuditLog


def audit_log_list(*, filters: dict) -> QuerySet[AuditLog]:
    """The audit log, newest first, filtered. Only the bureau reads it (declared on the view)."""
    rows = AuditLog.objects.select_related("actor")
    if filters.get("actor"):
        rows = rows.filter(actor_name__icontains=filters["actor"])
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
