"""Response headers set once for the whole site: no cache keeps what an authenticated reader was sent, and every
page runs under a strict Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

Both sit after WhiteNoise in settings.MIDDLEWARE, so static files keep their own caching headers."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from community_admin.core import idnumbers
from community_admin.core.views import BadQuery

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


ERR_ID_IN_URL = (
    "公民身份号码不能写在网址里（网址会留在访问日志、浏览记录和转发的链接中）。"
    "页面上请用“按身份证号查找”；接口请用 POST /api/v1/persons/search/，号码放在请求正文中。"
)
ID_PARAMETERS = frozenset({"id_number"})


def carries_id_number(query) -> str | None:
    """The name of the first query parameter that holds an ID number: `id_number` itself, or any value with
    a full number inside it (core.idnumbers.mask_embedded finds it)."""
    for name, values in query.lists():
        for value in values:
            if (name in ID_PARAMETERS and value.strip()) or idnumbers.mask_embedded(value) != value:
                return name
    return None


class IdNumberInUrlMiddleware:
    """No full ID number in a URL (issue 23): a URL is written to the access logs of nginx and gunicorn, to the
    browser's history and to the Referer of the next request. A query string that carries one is refused with
    400 before any view runs (and before the access log of the view's own audit), pointing at the POST search;
    nothing is looked up. Last in settings.MIDDLEWARE, so the refusal gets the site's headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = carries_id_number(request.GET)
        if name is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {name: [ERR_ID_IN_URL]}, status=400, json_dumps_params={"ensure_ascii": False}
            )
        return render(request, "400_id_in_url.html", {"message": ERR_ID_IN_URL}, status=400)


class BadQueryMiddleware:
    """A page's query parameter it cannot read (core.views.BadQuery) answers 400 naming it, with a link to the
    same page without it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadQuery):
            return None
        query = request.GET.copy()
        query.pop(exception.name, None)
        query.pop("page", None)
        back = f"{request.path}?{query.urlencode()}" if query else request.path
        return render(request, "400_query.html", {"message": exception.message, "back": back}, status=400)
