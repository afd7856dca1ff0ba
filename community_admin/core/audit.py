"""Writing audit rows. Services call `record` inside their transaction; the request's IP comes from
the context that `AuditContextMiddleware` sets, so services need not be handed the request."""

from contextvars import ContextVar
from typing import Any

from django.db import models

from community_admin.core.clientip import client_ip
from community_admin.core.models import AuditLog

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    result: str = AuditLog.Result.OK,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_name: str = "",
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else actor_name,
        role=getattr(actor, "role", "") if is_user else "",
        ip_address=ip_address or current_ip.get(),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        result=result,
        details=details or {},
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
