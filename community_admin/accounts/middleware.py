import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

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
