"""Response headers set once for the whole site: no cache keeps what an authenticated reader was sent, and every
page runs under a strict Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

Both sit after WhiteNoise in settings.MIDDLEWARE, so static files keep their own caching headers."""

from django.conf import settings

NO_STORE = "private, no-store"


def _authenticated(request) -> bool:
    # DRF authenticates a token inside the view and sets the user on the Django request too, so by the time the
    # response comes back request.user is the token's user; an Authorization header counts even when refused.
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False)) or "HTTP_AUTHORIZATION" in request.META


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every answer to an authenticated request (session or API token),
    unless the view chose its own: pages, API answers and exports carry personal data that neither a shared
    proxy nor the browser's disk cache should keep. Public pages (login, verification) keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and _authenticated(request):
            response["Cache-Control"] = NO_STORE
        return response


def policy_for(path: str) -> str:
    """The longest prefix of CONTENT_SECURITY_POLICY_PATHS that `path` starts with names its policy."""
    prefixes = sorted(
        getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {}).items(), key=lambda i: -len(i[0])
    )
    default = getattr(settings, "CONTENT_SECURITY_POLICY", "")
    return next((policy for prefix, policy in prefixes if path.startswith(prefix)), default)


class ContentSecurityPolicyMiddleware:
    """The policy of settings.CONTENT_SECURITY_POLICY on every answer that has none of its own (private files
    carry the sandbox policy: core/files.py). Paths in settings.CONTENT_SECURITY_POLICY_PATHS get theirs; an
    empty policy sends no header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = policy_for(request.path)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response
