"""Job kinds. An app that has long work declares it in its own `jobs.py` with `register(JobKind(...))`;
`JobsConfig.ready` imports every app's `jobs.py`, so this layer never imports a domain app."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db.models import Q
from django.utils.functional import Promise

from community_admin.core.progress import ProgressFactory

if TYPE_CHECKING:
    from community_admin.accounts.models import User
    from community_admin.jobs.models import Job


@dataclass
class JobContext:
    """What a kind's `run` gets: the job, who started it (scope reads through them), its parameters,
    a progress factory (the same interface the terminal bar has) and a private working folder."""

    job: "Job"
    user: "User"
    params: dict[str, Any]
    progress: ProgressFactory
    workdir: Path
    say: Callable[[str], None] = field(default=lambda message: None)


@dataclass(frozen=True)
class JobOutput:
    path: Path
    filename: str
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class JobKind:
    name: str  # "<app label>.<what>", e.g. "dashboards.committee_export"
    label: str | Promise
    # The permission (accounts.permissions) a user needs to start it, and to read its jobs, their parameters
    # and results; through an API token, also that permission's token scope (jobs.selectors.may_use_kind).
    permission: str
    run: Callable[[JobContext], JobOutput | None]
    # Cleans the parameters for `user`; raises ValidationError. Return a JSON-serialisable dict.
    clean_params: Callable[[dict[str, Any], "User"], dict[str, Any]] = field(
        default=lambda params, user: dict(params)
    )
    # The same kind with the same parameters and scope while one is active: "join" hands back the running
    # job (an export), "refuse" raises (work that writes, such as a year's funding allocation).
    on_duplicate: Literal["join", "refuse"] = "join"
    # Narrows the scope the job (and its result) belongs to; default: the starter's own unit.
    scope: Callable[[dict[str, Any], "User"], dict[str, Any]] | None = None
    # For a kind whose `clean_params` checks objects against the starter's scope (a ledger book, a street):
    # the jobs of this kind `user` may read, as a filter over Job rows (`params__…` lookups), i.e. those whose
    # objects `user` could have named when starting it. A filter, not a per-job test, so that lists and
    # pages are narrowed in the database. None: the kind's permission and the job's unit are the whole rule.
    read_filter: Callable[["User"], Q] | None = None


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.name in _kinds and _kinds[kind.name] is not kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _kinds.pop(name, None)


def find(name: str) -> JobKind | None:
    return _kinds.get(name)


def all_kinds() -> list[JobKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)
