import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED_KEY = "_session_started_at"
SESSION_TOUCHED_KEY = "_session_touched_at"


class SessionLifetimeMiddleware:
    """Ends a browser session 12 hours after login whatever its activity, and keeps an active one alive.

    The idle limit is the session's age (SESSION_COOKIE_AGE, counted from its last save). Saving the session on
    every request (SESSION_SAVE_EVERY_REQUEST) would write a row and commit for every page and every API call;
    instead the session is saved when SESSION_REFRESH_SECONDS have passed since its last refresh, so a session
    ends between the idle limit minus that interval and the idle limit after its last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect_to_login(request.get_full_path())
                return self.get_response(request)
            touched = request.session.get(SESSION_TOUCHED_KEY, started or 0)
            if now - touched >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_TOUCHED_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


ERR_MUST_CHANGE_PASSWORD = "请先修改密码：您的密码由他人设置或重置，修改后才能继续使用系统。"


class PasswordChangeRequiredMiddleware:
    """A browser session whose account must change its password (`User.must_change_password`: a new account,
    a password reset by someone else) reaches only the password page and logout until it has; other pages
    redirect there, and the API answers 403 to such a session. An API token is not a session: a request that
    carries an Authorization header is left to the API's token authentication, unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            getattr(user, "is_authenticated", False)
            and user.must_change_password
            and "HTTP_AUTHORIZATION" not in request.META
            and not self._exempt(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": ERR_MUST_CHANGE_PASSWORD}, status=403)
            return redirect(
                f"{reverse('accounts:password-change')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (reverse("accounts:password-change"), reverse("accounts:logout"), reverse("accounts:login"))
        return path in exempt or path.startswith(settings.STATIC_URL)
