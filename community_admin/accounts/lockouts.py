"""The login lockout as account pages see it. django-axes (settings AXES_*) counts failed logins per user name
and per address in its own table; a user name is locked while its failures within the cool-off time reach the
limit. Lifting a lockout deletes that user name's attempts, through axes' own reset."""

from collections.abc import Iterable

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone


def _locked_rows() -> QuerySet:
    rows = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME is not None:
        rows = rows.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return (
        rows.values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )


def locked_usernames_query() -> QuerySet:
    """The locked user names, as a subquery (`username__in=`)."""
    return _locked_rows().values("username")


def locked_usernames(usernames: Iterable[str] | None = None) -> set[str]:
    """Which of `usernames` (all when None) are locked now: one query."""
    rows = _locked_rows()
    if usernames is not None:
        rows = rows.filter(username__in=list(usernames))
    return {row["username"] for row in rows}


def is_locked(username: str) -> bool:
    return bool(locked_usernames([username]))


def lift(username: str) -> int:
    """Forget the user name's failed attempts (axes.utils.reset); the number of attempt rows removed."""
    return reset(username=username)
