from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from community_admin.accounts.models import ApiToken
from community_admin.core.clientip import client_ip


class DepartmentTokenThrottle(SimpleRateThrottle):
    """Counts requests per API token (per account for browser sessions) in the cache: local memory in one
    process, Redis (REDIS_URL) when several application servers must share the count."""

    scope = "tasks_api"

    def get_rate(self) -> str:
        return settings.TASKS_API_RATE

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"  # behind the proxies settings.TRUSTED_PROXY_COUNT declares

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
