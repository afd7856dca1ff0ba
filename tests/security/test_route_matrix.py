"""Every URL route of the project, walked: each must be in ROUTES, which says who may use it and, for a
route that takes an object id, how to make an object in and out of each role's scope. Out of scope answers
404 exactly like a missing object; no login answers a redirect (pages) or 401/403 (API). A new route that
is not in ROUTES fails `test_every_route_is_in_the_matrix`: add it here when you add it."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community_admin.accounts.models import ApiToken, Role
from tests.factories import PersonFactory
from tests.objects import certificates_objects as _certificates
from tests.objects import jobs_objects as _jobs
from tests.objects import ledgers_objects as _ledgers
from tests.objects import services_objects as _services
from tests.objects import tasks_objects as _tasks_world

ALL = frozenset(Role)
BUREAU = frozenset({Role.BUREAU})
KEEPERS = frozenset({Role.STREET, Role.COMMITTEE})  # keep the registry
REGISTRARS = KEEPERS | {Role.DEPARTMENT}  # a police station registers floating people
POLICE = frozenset({Role.DEPARTMENT})  # records a floating resident's moving out
SENSITIVE = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})
COMMITTEE = frozenset({Role.COMMITTEE})
PRINTERS = frozenset({Role.STREET, Role.COMMITTEE})
OVERSIGHT = frozenset({Role.BUREAU, Role.STREET})
INBOX = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})
SERVICE = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})  # follow the services side (no departments)
COMMITTEE = frozenset({Role.COMMITTEE})  # record visits, activities, volunteers, organisations
MISSING = 987654321

# scope(world, role, tokens) -> (in-scope id, out-of-scope id or None where the role sees everything)
Scope = Callable[..., tuple[int, int | None]]


def committee_scope(world, role, extra) -> tuple[int, int | None]:
    out = {
        Role.BUREAU: None,
        Role.STREET: world.committee_b1.pk,
        Role.COMMITTEE: world.committee_a2.pk,
        Role.DEPARTMENT: world.committee_b1.pk,
    }[role]
    return world.committee_a1.pk, out


def street_scope(world, role, extra) -> tuple[int, int | None]:
    return world.street_a.pk, None if role == Role.BUREAU else world.street_b.pk


def person_scope(world, role, extra) -> tuple[int, int | None]:
    people = extra["persons"]
    out = {Role.BUREAU: None, Role.STREET: "B1", Role.COMMITTEE: "A2", Role.DEPARTMENT: "B1"}[role]
    return people["A1"].pk, people[out].pk if out else None


def conflict_scope(world, role, extra) -> tuple[int, int | None]:
    """A held registration asked by committee A1 (street A sees it), out of scope one asked by B1."""
    conflicts = extra["conflicts"]
    return conflicts["A1"].pk, None if role == Role.BUREAU else conflicts["B1"].pk


def household_scope(world, role, extra) -> tuple[int, int | None]:
    in_scope, out = person_scope(world, role, extra)
    households = {p.pk: p.household_id for p in extra["persons"].values()}
    return households[in_scope], households[out] if out else None


def services_scope(kind: str) -> Scope:
    """An object of the services app in committee A1; out of scope: B1's for the street and the police, A2's
    for committee A1's staff."""

    def scope(world, role, extra) -> tuple[int, int | None]:
        objects = extra["services"][kind]
        out = {Role.BUREAU: None, Role.STREET: "B1", Role.COMMITTEE: "A2", Role.DEPARTMENT: "B1"}[role]
        return objects["A1"].pk, objects[out].pk if out else None

    return scope


def token_scope(world, role, extra) -> tuple[int, int | None]:
    return extra["token"].pk, None


def account_scope(world, role, extra) -> tuple[int, int | None]:
    """A clerk's account in committee A1 (the bureau and street A manage it); out of scope: a clerk of
    committee B1 (another street's) for the street; committees and departments manage no account."""
    accounts = extra["accounts"]
    return accounts["a1"].pk, None if role == Role.BUREAU else accounts["b1"].pk


def job_scope(world, role, extra) -> tuple[int, int | None]:
    """A finished job of committee A1 (with its result file); out of scope: street B's job for the street
    and the police (which serves street A), committee A2's job for committee A1."""
    out = {
        Role.BUREAU: None,
        Role.STREET: extra["job_b"].pk,
        Role.COMMITTEE: extra["job_a2"].pk,
        Role.DEPARTMENT: extra["job_b"].pk,
    }[role]
    return extra["job_a1"].pk, out


def failed_job_scope(world, role, extra) -> tuple[int, int | None]:
    """As `job_scope`, with a failed job of committee A1 in scope (the one a retry applies to)."""
    return extra["job_a1_failed"].pk, job_scope(world, role, extra)[1]


def _by_committee(extra, key, role) -> tuple[int, int | None]:
    """Objects of committee A1 in scope; out of scope as for people (B1 for street and police, A2 for A1)."""
    objects = extra[key]
    out = {Role.BUREAU: None, Role.STREET: "B1", Role.COMMITTEE: "A2", Role.DEPARTMENT: "B1"}[role]
    return objects["A1"].pk, objects[out].pk if out else None


def certificate_scope(world, role, extra) -> tuple[int, int | None]:
    return _by_committee(extra, "certificates", role)


def evidence_scope(world, role, extra) -> tuple[int, int | None]:
    return _by_committee(extra, "evidence", role)


def refusal_scope(world, role, extra) -> tuple[int, int | None]:
    return _by_committee(extra, "refusals", role)


def certificate_type_scope(world, role, extra) -> tuple[int, int | None]:
    """The whitelist is the district's: no type is out of anyone's scope."""
    return extra["certificate_type"].pk, None


def _staff_scope(kind: str) -> Scope:
    """Objects of the staff app belonging to committee A1 (in scope) and to one outside each role's scope."""

    def scope(world, role, extra) -> tuple[int, int | None]:
        from tests.staff.factories import staff_objects

        objects = getattr(staff_objects(world), kind)
        out = {Role.BUREAU: None, Role.STREET: "b1", Role.COMMITTEE: "a2", Role.DEPARTMENT: "b1"}[role]
        return objects["a1"].pk, objects[out].pk if out else None

    return scope


worker_scope = _staff_scope("workers")
secondment_scope = _staff_scope("secondments")
opinion_scope = _staff_scope("opinions")
payroll_scope = _staff_scope("payrolls")
accountability_scope = _staff_scope("records")
STAFF = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})
STAFF_MANAGE = frozenset({Role.BUREAU, Role.STREET})


def _policy_scope(adopted: str, draft: str, *, drafts_only: bool = False) -> Scope:
    """The yearly rules are the district's: an adopted version is in everyone's scope, a draft only in the
    bureau's (the others answer 404 for it). Routes that change a draft take the draft."""

    def scope(world, role, extra) -> tuple[int, int | None]:
        from tests.staff.factories import policy_objects

        objects = policy_objects(world)
        if drafts_only:
            return getattr(objects, draft).pk, None
        return getattr(objects, adopted).pk, None if role == Role.BUREAU else getattr(objects, draft).pk

    return scope


pay_policy_scope = _policy_scope("pay_adopted", "pay_draft")
pay_draft_scope = _policy_scope("pay_adopted", "pay_draft", drafts_only=True)
rules_scope = _policy_scope("rules_adopted", "rules_draft")
rules_draft_scope = _policy_scope("rules_adopted", "rules_draft", drafts_only=True)


def service_item_scope(world, role, extra) -> tuple[int, int | None]:
    return extra["item"].pk, None  # the admission list is the same for everyone


def task_scope(world, role, extra) -> tuple[int, int | None]:
    out = {
        Role.BUREAU: None,
        Role.STREET: extra["task_b1"].pk,
        Role.COMMITTEE: extra["task_a2"].pk,
        Role.DEPARTMENT: extra["task_b1"].pk,  # another department's task
    }[role]
    return extra["task_a1"].pk, out


def assignment_scope(world, role, extra) -> tuple[int, int | None]:
    in_scope, out = task_scope(world, role, extra)
    by_task = {extra[k].pk: extra[k].assignments.get().pk for k in ("task_a1", "task_a2", "task_b1")}
    return by_task[in_scope], None if out is None else by_task[out]


def _funding_scope(kind: str) -> Scope:
    """Funding objects of committee A1 (in scope) and of one outside each role's scope."""

    def scope(world, role, extra) -> tuple[int, int | None]:
        objects = getattr(extra["funding"], kind)
        out = {Role.BUREAU: None, Role.STREET: "b1", Role.COMMITTEE: "a2", Role.DEPARTMENT: "b1"}[role]
        return objects["a1"].pk, objects[out].pk if out else None

    return scope


def funding_policy_scope(world, role, extra) -> tuple[int, int | None]:
    return extra["funding"].policy.pk, None  # the bureau's policy is the same for everyone


def funding_run_scope(world, role, extra) -> tuple[int, int | None]:
    return extra["funding"].run.pk, None  # a run is district-wide; its lines are scoped


allocation_scope = _funding_scope("allocations")
disbursement_scope = _funding_scope("disbursements")
expenditure_scope = _funding_scope("expenditures")
FUNDING = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})


def book_scope(world, role, extra) -> tuple[int, int | None]:
    """A book owned by the police station serving street A; the department does not see the bureau's books."""
    books = extra["books"]
    return books["zz_rented_housing"].pk, books["mz_relief"].pk if role == Role.DEPARTMENT else None


def entry_scope(world, role, extra) -> tuple[int, int | None]:
    entries = extra["entries"]
    out = {Role.BUREAU: None, Role.STREET: "B1", Role.COMMITTEE: "A2", Role.DEPARTMENT: "B1"}[role]
    return entries["A1"].pk, entries[out].pk if out else None


def period_scope(world, role, extra) -> tuple[int, int | None]:
    """Closed periods of a police-owned quarterly book at each committee."""
    closed = extra["closed_periods"]
    out = {Role.BUREAU: None, Role.STREET: "B1", Role.COMMITTEE: "A2", Role.DEPARTMENT: "B1"}[role]
    return closed["A1"].pk, closed[out].pk if out else None


@dataclass(frozen=True)
class Route:
    kind: str  # "public" | "page" | "api"
    roles: frozenset = ALL
    scope: Scope | None = None
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    query: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)  # fixed URL arguments that are not object ids


ROUTES: dict[str, Route] = {
    "home": Route("page", ok=(200, 302)),
    "accounts:login": Route("public"),
    "accounts:logout": Route("public", method="post", ok=(302,)),
    "accounts:audit-list": Route("page", BUREAU),
    "accounts:token-list": Route("page", BUREAU),
    "accounts:token-revoke": Route("page", BUREAU, scope=token_scope, method="post", ok=(302,)),
    "accounts:token-rotate": Route("page", BUREAU, scope=token_scope, method="post", ok=(200,)),
    "accounts:password-change": Route("page"),
    "accounts:user-list": Route("page", OVERSIGHT),
    "accounts:user-create": Route("page", OVERSIGHT),
    "accounts:user-detail": Route("page", OVERSIGHT, scope=account_scope),
    "accounts:user-edit": Route("page", OVERSIGHT, scope=account_scope),
    "accounts:user-deactivate": Route("page", OVERSIGHT, scope=account_scope, method="post", ok=(302,)),
    "accounts:user-reactivate": Route("page", OVERSIGHT, scope=account_scope, method="post", ok=(302,)),
    "accounts:user-unlock": Route("page", OVERSIGHT, scope=account_scope, method="post", ok=(302,)),
    "accounts:user-password-reset": Route("page", OVERSIGHT, scope=account_scope, method="post", ok=(200,)),
    "dashboards:street-detail": Route("page", scope=street_scope),
    "dashboards:committee-detail": Route("page", scope=committee_scope),
    "dashboards:committee-edit": Route("page", frozenset({Role.BUREAU, Role.STREET}), scope=committee_scope),
    # no `complete` in the body: refused with a message, back to the committee
    "dashboards:committee-registry": Route(
        "page", OVERSIGHT, scope=committee_scope, method="post", ok=(302,)
    ),
    "dashboards:office-norms": Route("page"),
    "dashboards:district": Route("page", BUREAU),
    "dashboards:street-dashboard": Route("page", frozenset({Role.BUREAU, Role.STREET}), scope=street_scope),
    "dashboard-district": Route("api", BUREAU),
    "dashboard-street": Route("api", frozenset({Role.BUREAU, Role.STREET}), scope=street_scope),
    "api-root": Route("api"),
    "schema": Route("public"),
    "docs": Route("public"),
    "street-list": Route("api"),
    "street-detail": Route("api", scope=street_scope),
    "committee-list": Route("api"),
    "committee-detail": Route("api", scope=committee_scope),
    "committee-registry-complete": Route("api", OVERSIGHT, scope=committee_scope, method="post", ok=(400,)),
    # The household registry
    "residents:person-list": Route("page"),
    "residents:person-export": Route("page", SENSITIVE),
    "residents:person-detail": Route("page", scope=person_scope),
    "residents:person-edit": Route("page", KEEPERS, scope=person_scope),
    "residents:person-reveal": Route("page", SENSITIVE, scope=person_scope, method="post", ok=(400,)),
    "residents:person-move-out": Route("page", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "residents:person-death": Route("page", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "residents:person-transfer": Route("page", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "residents:person-floating-move-out": Route("page", POLICE, scope=person_scope, method="post", ok=(400,)),
    "residents:person-residence-permit": Route(
        "page", REGISTRARS, scope=person_scope, method="post", ok=(400,)
    ),
    "residents:household-create": Route("page", REGISTRARS),
    "residents:household-detail": Route("page", scope=household_scope),
    "residents:person-register": Route("page", REGISTRARS, scope=household_scope),
    "residents:conflict-list": Route("page", OVERSIGHT),
    "residents:conflict-resolve": Route("page", OVERSIGHT, scope=conflict_scope, method="post", ok=(400,)),
    "residents:import": Route("page", KEEPERS),
    "residents:import-template": Route("page", KEEPERS),
    "household-list": Route("api"),
    "household-detail": Route("api", scope=household_scope),
    "person-list": Route("api"),
    "person-detail": Route("api", scope=person_scope),
    "person-search": Route("api", method="post", ok=(400,)),  # no number in the body
    "person-reveal-id": Route("api", SENSITIVE, scope=person_scope, method="post", ok=(400,)),  # no reason
    "person-move-out": Route("api", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "person-death": Route("api", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "person-transfer": Route("api", KEEPERS, scope=person_scope, method="post", ok=(400,)),
    "person-floating-move-out": Route("api", POLICE, scope=person_scope, method="post", ok=(400,)),
    "person-residence-permit": Route("api", REGISTRARS, scope=person_scope, method="post", ok=(400,)),
    # Community services
    "services:visit-list": Route("page", SERVICE),
    "services:visit-create": Route("page", COMMITTEE),
    "services:visit-detail": Route("page", SERVICE, scope=services_scope("visit")),
    "services:visit-close": Route("page", COMMITTEE, scope=services_scope("visit"), method="post", ok=(400,)),
    "services:follow-ups": Route("page", SERVICE),
    "services:household-visits": Route("page", SERVICE, scope=household_scope),
    "services:activity-list": Route("page", SERVICE),
    "services:activity-create": Route("page", COMMITTEE),
    "services:activity-detail": Route("page", SERVICE, scope=services_scope("activity")),
    "services:attachment-upload": Route(
        "page", COMMITTEE, scope=services_scope("activity"), method="post", ok=(400,)
    ),
    "services:hours-log": Route(
        "page", COMMITTEE, scope=services_scope("activity"), method="post", ok=(400,)
    ),
    "services:participant-add": Route(
        "page", COMMITTEE, scope=services_scope("activity"), method="post", ok=(400,)
    ),
    "services:attachment-download": Route("page", SERVICE, scope=services_scope("attachment")),
    "services:volunteer-list": Route("page", SERVICE),
    "services:volunteer-register": Route("page", COMMITTEE),
    "services:organisation-list": Route("page", SERVICE),
    "services:organisation-create": Route("page", COMMITTEE),
    "services:organisation-detail": Route("page", SERVICE, scope=services_scope("organisation")),
    "services:member-add": Route(
        "page", COMMITTEE, scope=services_scope("organisation"), method="post", ok=(400,)
    ),
    "services:support-record": Route(
        "page", COMMITTEE, scope=services_scope("organisation"), method="post", ok=(400,)
    ),
    "services:balance": Route("page", SERVICE),
    "visit-list": Route("api", SERVICE),
    "visit-detail": Route("api", SERVICE, scope=services_scope("visit")),
    "visit-close-follow-up": Route("api", COMMITTEE, scope=services_scope("visit"), method="post", ok=(400,)),
    "activity-list": Route("api", SERVICE),
    "activity-detail": Route("api", SERVICE, scope=services_scope("activity")),
    "activity-attachments": Route(
        "api", COMMITTEE, scope=services_scope("activity"), method="post", ok=(400,)
    ),
    "activity-hours": Route("api", COMMITTEE, scope=services_scope("activity"), method="post", ok=(400,)),
    "volunteer-list": Route("api", SERVICE),
    "volunteer-detail": Route("api", SERVICE, scope=services_scope("volunteer")),
    "organisation-list": Route("api", SERVICE),
    "organisation-detail": Route("api", SERVICE, scope=services_scope("organisation")),
    "organisation-members": Route(
        "api", COMMITTEE, scope=services_scope("organisation"), method="post", ok=(400,)
    ),
    "organisation-support": Route(
        "api", COMMITTEE, scope=services_scope("organisation"), method="post", ok=(400,)
    ),
    "service-balance-list": Route("api", SERVICE),
    "jobs:list": Route("page"),
    "jobs:start": Route("page", method="post", ok=(302,), kwargs={"kind": "dashboards.committee_export"}),
    "jobs:detail": Route("page", scope=job_scope),
    "jobs:progress": Route("page", scope=job_scope),
    "jobs:download": Route("page", scope=job_scope),
    "jobs:retry": Route("page", scope=failed_job_scope, method="post", ok=(302,)),
    "job-list": Route("api"),
    "job-kinds": Route("api"),
    "job-detail": Route("api", scope=job_scope),
    "job-download": Route("api", scope=job_scope),
    "job-retry": Route("api", scope=failed_job_scope, method="post", ok=(202,)),
    # Certificates
    "verify": Route("public"),
    "certificates:list": Route("page", SENSITIVE),
    "certificates:issue": Route("page", COMMITTEE),
    "certificates:detail": Route("page", SENSITIVE, scope=certificate_scope),
    "certificates:pdf": Route("page", PRINTERS, scope=certificate_scope),
    "certificates:void": Route("page", COMMITTEE, scope=certificate_scope, method="post", ok=(400,)),
    "certificates:evidence": Route("page", PRINTERS, scope=evidence_scope),
    "certificates:refusal-list": Route("page", SENSITIVE),
    "certificates:refusal-detail": Route("page", SENSITIVE, scope=refusal_scope),
    "certificates:refusal-slip": Route("page", PRINTERS, scope=refusal_scope),
    "certificates:seal-log": Route("page", SENSITIVE),
    "certificates:statistics": Route("page", OVERSIGHT),
    "certificates:type-list": Route("page"),
    "certificates:type-edit": Route("page", BUREAU, scope=certificate_type_scope),
    "certificates:type-adopt": Route("page", BUREAU, scope=certificate_type_scope, method="post", ok=(400,)),
    "certificate-type-list": Route("api"),
    "certificate-type-detail": Route("api", scope=certificate_type_scope),
    "certificate-list": Route("api", SENSITIVE),
    "certificate-detail": Route("api", SENSITIVE, scope=certificate_scope),
    "certificate-void": Route("api", COMMITTEE, scope=certificate_scope, method="post", ok=(400,)),
    "certificate-pdf": Route("api", PRINTERS, scope=certificate_scope),
    "certificate-verify": Route("api", method="post", ok=(400,)),
    "certificate-refusal-list": Route("api", SENSITIVE),
    "certificate-refusal-detail": Route("api", SENSITIVE, scope=refusal_scope),
    "certificate-refusal-slip": Route("api", PRINTERS, scope=refusal_scope),
    "certificate-statistics-list": Route("api", OVERSIGHT),
    # staff pages
    "staff:worker-list": Route("page", STAFF),
    "staff:worker-create": Route("page", STAFF_MANAGE),
    "staff:worker-detail": Route("page", STAFF, scope=worker_scope),
    "staff:worker-reveal": Route("page", STAFF_MANAGE, scope=worker_scope, method="post", ok=(400,)),
    "staff:worker-action": Route("page", STAFF_MANAGE, scope=worker_scope, method="post", ok=(400,)),
    "staff:staffing": Route("page", STAFF),
    "staff:secondment-list": Route("page", STAFF),
    "staff:secondment-create": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:secondment-detail": Route("page", STAFF, scope=secondment_scope),
    "staff:secondment-step": Route("page", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff:opinion-file": Route("page", STAFF, scope=opinion_scope),
    "staff:payroll-list": Route("page", STAFF),
    "staff:payroll-compute": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:payroll-detail": Route("page", STAFF, scope=payroll_scope),
    "staff:payroll-export": Route("page", STAFF, scope=payroll_scope),
    "staff:evaluation": Route("page", STAFF),
    "staff:evaluation-score": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:evaluation-round": Route("page", BUREAU, method="post", ok=(400,)),
    "staff:accountability-follow-up": Route(
        "page", STAFF_MANAGE, scope=accountability_scope, method="post", ok=(400,)
    ),
    "staff:turnover": Route("page", STAFF),
    "staff:policy-list": Route("page", STAFF),
    "staff:pay-policy-create": Route("page", BUREAU),
    "staff:pay-policy-detail": Route("page", STAFF, scope=pay_policy_scope),
    "staff:pay-policy-edit": Route("page", BUREAU, scope=pay_draft_scope),
    "staff:pay-policy-adopt": Route("page", BUREAU, scope=pay_draft_scope, method="post", ok=(302,)),
    "staff:pay-policy-delete": Route("page", BUREAU, scope=pay_draft_scope, method="post", ok=(302,)),
    "staff:retirement-rules-create": Route("page", BUREAU),
    "staff:retirement-rules-detail": Route("page", STAFF, scope=rules_scope),
    "staff:retirement-rules-edit": Route("page", BUREAU, scope=rules_draft_scope),
    "staff:retirement-rules-adopt": Route("page", BUREAU, scope=rules_draft_scope, method="post", ok=(302,)),
    "staff:retirement-rules-delete": Route("page", BUREAU, scope=rules_draft_scope, method="post", ok=(302,)),
    # staff API
    "staff-worker-list": Route("api", STAFF),
    "staff-worker-detail": Route("api", STAFF, scope=worker_scope),
    "staff-worker-reveal-id-number": Route(
        "api", STAFF_MANAGE, scope=worker_scope, method="post", ok=(400,)
    ),  # no reason
    "staff-staffing-list": Route("api", STAFF),
    "staff-secondment-list": Route("api", STAFF),
    "staff-secondment-detail": Route("api", STAFF, scope=secondment_scope),
    "staff-secondment-opinion": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-approve": Route("api", BUREAU, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-file": Route("api", BUREAU, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-activate": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-end": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-reject": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-payroll-list": Route("api", STAFF),
    "staff-payroll-detail": Route("api", STAFF, scope=payroll_scope),
    "staff-payroll-compute": Route("api", STAFF_MANAGE, method="post", ok=(400,)),
    "staff-payroll-export": Route("api", STAFF, scope=payroll_scope),
    "staff-evaluation-list": Route("api", STAFF),
    "staff-evaluation-score": Route("api", STAFF_MANAGE, method="post", ok=(400,)),
    "staff-turnover-list": Route("api", STAFF),
    "staff-retirement-list": Route("api", STAFF),
    "staff-pay-policy-list": Route("api", STAFF),
    "staff-pay-policy-detail": Route("api", STAFF, scope=pay_policy_scope),
    "staff-pay-policy-adopt": Route("api", BUREAU, scope=pay_draft_scope, method="post", ok=(200,)),
    "staff-retirement-rule-set-list": Route("api", STAFF),
    "staff-retirement-rule-set-detail": Route("api", STAFF, scope=rules_scope),
    "staff-retirement-rule-set-adopt": Route(
        "api", BUREAU, scope=rules_draft_scope, method="post", ok=(200,)
    ),
    "tasks:item-list": Route("page"),
    "tasks:item-apply": Route("page", frozenset({Role.BUREAU, Role.DEPARTMENT})),
    "tasks:item-detail": Route("page", scope=service_item_scope),
    "tasks:item-edit": Route("page", BUREAU, scope=service_item_scope),
    "tasks:item-transition": Route("page", BUREAU, scope=service_item_scope, method="post", ok=(302,)),
    "tasks:inbox": Route("page", INBOX),
    "tasks:assignment-detail": Route("page", INBOX, scope=assignment_scope),
    "tasks:assignment-start": Route(
        "page", frozenset({Role.COMMITTEE}), scope=assignment_scope, method="post", ok=(302,)
    ),
    "tasks:assignment-complete": Route(
        "page", frozenset({Role.COMMITTEE}), scope=assignment_scope, method="post", ok=(302,)
    ),
    "tasks:assignment-refuse": Route(
        "page", frozenset({Role.STREET}), scope=assignment_scope, method="post", ok=(302,)
    ),
    "tasks:assignment-request-refusal": Route(
        "page", frozenset({Role.COMMITTEE}), scope=assignment_scope, method="post", ok=(302,)
    ),
    "tasks:assignment-decide-refusal": Route(
        "page", frozenset({Role.STREET}), scope=assignment_scope, method="post", ok=(302,)
    ),
    "tasks:workload": Route("page", frozenset({Role.BUREAU, Role.STREET})),
    "task-list": Route("api"),
    "task-detail": Route("api", scope=task_scope),
    "service-item-list": Route("api"),
    "service-item-detail": Route("api", scope=service_item_scope),
    # funding pages
    "funding:policy-list": Route("page", FUNDING),
    "funding:policy-create": Route("page", BUREAU, method="post", ok=(400,)),
    "funding:policy-adopt": Route("page", BUREAU, scope=funding_policy_scope, method="post", ok=(302,)),
    "funding:run-list": Route("page", FUNDING),
    "funding:run-start": Route("page", BUREAU, method="post", ok=(400,)),
    "funding:run-detail": Route("page", FUNDING, scope=funding_run_scope),
    "funding:run-close": Route("page", BUREAU, scope=funding_run_scope, method="post", ok=(302,)),
    "funding:run-send": Route("page", BUREAU, scope=funding_run_scope, method="post", ok=(302,)),
    "funding:compare": Route("page", BUREAU),
    "funding:compare-export": Route("page", BUREAU, ok=(302,)),
    "funding:disbursement-list": Route("page", FUNDING),
    "funding:disbursement-pass-on": Route(
        "page", frozenset({Role.STREET}), scope=disbursement_scope, method="post", ok=(302,)
    ),
    "funding:disbursement-confirm": Route(
        "page", frozenset({Role.COMMITTEE}), scope=disbursement_scope, method="post", ok=(302,)
    ),
    "funding:expenditure-list": Route("page", FUNDING),
    "funding:expenditure-create": Route("page", frozenset({Role.COMMITTEE}), method="post", ok=(400,)),
    "funding:receipt": Route("page", FUNDING, scope=expenditure_scope),
    "funding:audit": Route("page", BUREAU),
    # funding API
    "funding-policy-list": Route("api", FUNDING),
    "funding-policy-detail": Route("api", FUNDING, scope=funding_policy_scope),
    "funding-policy-adopt": Route("api", BUREAU, scope=funding_policy_scope, method="post", ok=(400,)),
    "funding-run-list": Route("api", FUNDING),
    "funding-run-detail": Route("api", FUNDING, scope=funding_run_scope),
    "funding-run-close": Route("api", BUREAU, scope=funding_run_scope, method="post", ok=(400,)),
    "funding-run-send": Route("api", BUREAU, scope=funding_run_scope, method="post", ok=(400,)),
    "funding-allocation-list": Route("api", FUNDING),
    "funding-allocation-detail": Route("api", FUNDING, scope=allocation_scope),
    "funding-disbursement-list": Route("api", FUNDING),
    "funding-disbursement-detail": Route("api", FUNDING, scope=disbursement_scope),
    "funding-disbursement-pass-on": Route(
        "api", frozenset({Role.STREET}), scope=disbursement_scope, method="post", ok=(400,)
    ),
    "funding-disbursement-confirm": Route(
        "api", frozenset({Role.COMMITTEE}), scope=disbursement_scope, method="post", ok=(400,)
    ),
    "funding-expenditure-list": Route("api", FUNDING),
    "funding-expenditure-detail": Route("api", FUNDING, scope=expenditure_scope),
    "funding-flag-list": Route("api", FUNDING),
    # Ledgers: departments see only the books they own
    "ledgers:book-list": Route("page"),
    "ledgers:burden": Route("page"),
    "ledgers:book-detail": Route("page", scope=book_scope),
    "ledgers:book-edit": Route("page", BUREAU, scope=book_scope),
    "ledgers:entry-create": Route("page", KEEPERS, scope=book_scope, method="post", ok=(400,)),
    "ledgers:period-close": Route("page", KEEPERS, scope=book_scope, method="post", ok=(302,)),
    "ledgers:book-export": Route("page", scope=book_scope),
    "ledgers:book-import": Route("page", KEEPERS, scope=book_scope),
    "ledgers:entry-detail": Route("page", scope=entry_scope),
    "ledgers:entry-update": Route("page", KEEPERS, scope=entry_scope, method="post", ok=(400,)),
    "ledgers:entry-remove": Route("page", KEEPERS, scope=entry_scope, method="post", ok=(302,)),
    "ledgers:period-reopen": Route(
        "page", frozenset({Role.STREET}), scope=period_scope, method="post", ok=(302,)
    ),
    "ledger-book-list": Route("api"),
    "ledger-book-detail": Route("api", scope=book_scope),
    "ledger-book-rows": Route("api", scope=book_scope, query={"committee": "A1"}),
    "ledger-entry-list": Route("api"),
    "ledger-entry-detail": Route("api", scope=entry_scope),
    "ledger-entry-history": Route("api", scope=entry_scope),
    "ledger-period-list": Route("api"),
    "ledger-period-detail": Route("api", scope=period_scope),
    "ledger-period-close": Route("api", KEEPERS, method="post", ok=(400,)),
    "ledger-period-reopen": Route(
        "api", frozenset({Role.STREET}), scope=period_scope, method="post", ok=(400,)
    ),
    "ledger-burden-list": Route("api"),
}

# Django's admin is for superusers only and is not scoped; every role here is refused by it.
ADMIN_NAMESPACE = "admin"


def walk(patterns=None, namespace: str = "", prefix: str = ""):
    """Yield (name, route string, keyword names) for every named route."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            yield f"{namespace}{p.name or f'<unnamed {route}>'}", route, set(p.pattern.regex.groupindex)


def project_routes() -> dict[str, set[str]]:
    return {name: kwargs for name, _, kwargs in walk() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def test_every_route_is_in_the_matrix():
    routes = project_routes()
    missing = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not missing, f"routes not in the security matrix (add them to ROUTES): {missing}"
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"


def test_every_route_with_an_object_id_has_a_scope():
    for name, kwargs in project_routes().items():
        if kwargs - set(ROUTES[name].kwargs):
            assert ROUTES[name].scope is not None, f"{name} takes {kwargs} but has no in/out-of-scope objects"


class LazyObjects(dict):
    """The objects routes need, built on first use: most routes need none of them, and building every
    capability's objects for each of several hundred cases would make this test the slowest in the suite."""

    def __init__(self, builders: dict):
        super().__init__()
        self.builders = builders  # key -> a function returning a dict that holds that key (and its siblings)

    def __missing__(self, key):
        self.update(self.builders[key]())
        return dict.__getitem__(self, key)


@pytest.fixture
def extra(world, settings, tmp_path):
    from community_admin.accounts import services

    def token():
        created, _ = services.api_token_create(
            actor=world.bureau,
            department=world.police,
            name="矩阵测试",
            scopes=[ApiToken.Scope.ORG_READ],
            days_valid=5,
        )
        return {"token": created}

    def persons():
        committees = (world.committee_a1, world.committee_a2, world.committee_b1)
        return {"persons": {c.code: PersonFactory(household__committee=c) for c in committees}}

    from tests.funding.factories import funding_objects

    def conflicts():
        from community_admin.residents.models import RegistrationConflict

        people = objects["persons"]
        made = {}
        for code, asker, holder in (("A1", world.committee_a1, "B1"), ("B1", world.committee_b1, "A1")):
            made[code] = RegistrationConflict.objects.create(
                committee=asker,
                person=people[holder],
                person_committee=people[holder].committee,
                submitted_name="矩阵",
                source=RegistrationConflict.Source.REGISTER,
                requested_by=world.committee_user,
            )
        return {"conflicts": made}

    def accounts():
        from tests.factories import UserFactory

        made = {
            code: UserFactory(username=f"matrix-{code}", first_name="矩阵", role=Role.COMMITTEE, committee=c)
            for code, c in (("a1", world.committee_a1), ("b1", world.committee_b1))
        }
        return {"accounts": made}

    jobs = lambda: _jobs(world, settings, tmp_path)  # noqa: E731
    tasks = lambda: _tasks_world(world)  # noqa: E731
    services_objects = lambda: {"services": _services(world, objects["persons"], settings, tmp_path)}  # noqa: E731
    certificates = lambda: _certificates(world, objects["persons"], settings, tmp_path)  # noqa: E731
    objects = LazyObjects(
        {
            "services": services_objects,
            "token": token,
            "accounts": accounts,
            "persons": persons,
            "conflicts": conflicts,
            **dict.fromkeys(("job_a1", "job_a1_failed", "job_a2", "job_b"), jobs),
            **dict.fromkeys(("item", "task_a1", "task_a2", "task_b1"), tasks),
            "funding": lambda: {"funding": funding_objects(world)},
            **dict.fromkeys(("books", "entries", "closed_periods"), lambda: _ledgers(world)),
            **dict.fromkeys(("certificates", "evidence", "refusals", "certificate_type"), certificates),
        }
    )
    return objects


def _url(name: str, pk: int | None) -> str:
    kwargs = dict(ROUTES[name].kwargs) if name in ROUTES else {}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(name, kwargs=kwargs)


def _call(client: Client, route: Route, url: str):
    return getattr(client, route.method)(url, route.query)


OBJECT_CASES = [(n, r) for n, r in ROUTES.items() if r.scope is not None]
PLAIN_CASES = [(n, r) for n, r in ROUTES.items() if r.scope is None and r.kind != "public"]


@pytest.mark.parametrize(("name", "route"), OBJECT_CASES, ids=[n for n, _ in OBJECT_CASES])
def test_object_route_in_and_out_of_scope(world, extra, login, name, route):
    """Every role in turn over one set of objects (built once per route, not once per role); each role's
    requests are rolled back before the next role's, so a write by one cannot change what the next sees."""
    scopes = {
        role: route.scope(world, role, extra) for role in Role
    }  # builds the objects outside the rollbacks
    failures = []
    for role, (in_scope, out_of_scope) in scopes.items():
        with transaction.atomic():
            failures += _object_route_failures(
                login(world.user(role)), name, route, role, in_scope, out_of_scope
            )
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def _object_route_failures(client, name, route, role, in_scope, out_of_scope) -> list[str]:
    inside = _call(client, route, _url(name, in_scope)).status_code
    outside = _call(
        client, route, _url(name, out_of_scope if out_of_scope is not None else MISSING)
    ).status_code
    missing = _call(client, route, _url(name, MISSING)).status_code
    if role in route.roles:
        return [
            message
            for wrong, message in (
                (inside not in route.ok, f"{name} as {role}: in scope gave {inside}"),
                (outside != 404, f"{name} as {role}: out of scope gave {outside}"),
                (missing != 404, f"{name} as {role}: a missing object gave {missing}"),
            )
            if wrong
        ]
    if inside not in (403, 404):
        return [f"{name} as {role} (not permitted) gave {inside}"]
    if outside != inside:
        return [
            f"{name} as {role}: forbidden must not tell in-scope from out-of-scope ({inside} vs {outside})"
        ]
    return []


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "route"), PLAIN_CASES, ids=[n for n, _ in PLAIN_CASES])
def test_plain_route_by_role(world, login, name, route, role):
    response = _call(login(world.user(role)), route, _url(name, None))
    expected = route.ok if role in route.roles else (403,)
    assert response.status_code in expected, f"{name} as {role} gave {response.status_code}"


@pytest.mark.parametrize(("name", "route"), list(ROUTES.items()), ids=list(ROUTES))
def test_without_login(world, extra, name, route):
    pk = route.scope(world, Role.BUREAU, extra)[0] if route.scope else None
    response = _call(Client(), route, _url(name, pk))
    if route.kind == "public":
        assert response.status_code in route.ok
    elif route.kind == "page":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (401, 403)


UNSAFE_CASES = [(n, r) for n, r in ROUTES.items() if r.kind != "public" or r.method == "post"] + [
    ("accounts:login", ROUTES["accounts:login"])
]


@pytest.mark.parametrize(("name", "route"), UNSAFE_CASES, ids=[n for n, _ in UNSAFE_CASES])
def test_csrf_enforced_on_unsafe_requests(world, extra, name, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bureau)
    pk = route.scope(world, Role.BUREAU, extra)[0] if route.scope else None
    response = client.post(_url(name, pk), {})
    assert response.status_code == 403, f"POST {name} without a CSRF token gave {response.status_code}"


@pytest.mark.parametrize("role", list(Role))
def test_admin_refuses_every_role(world, login, role):
    response = login(world.user(role)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
