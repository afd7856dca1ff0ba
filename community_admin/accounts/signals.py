import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from community_admin.accounts.middleware import SESSION_STARTED_KEY
from community_admin.core import audit
from community_admin.core.clientip import client_ip
from community_admin.core.models import AuditLog


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = time.time()
    audit.record(actor=user, action="auth.login", obj=user, ip_address=_ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="auth.logout", obj=user, ip_address=_ip(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        actor=None,
        actor_name=str(credentials.get("username", ""))[:150],
        action="auth.login_failed",
        result=AuditLog.Result.FAILED,
        ip_address=_ip(request),
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(
        actor=None,
        actor_name=str(username or "")[:150],
        action="auth.locked_out",
        result=AuditLog.Result.DENIED,
        ip_address=ip_address,
    )


def _ip(request):
    return client_ip(request) if request is not None else None
