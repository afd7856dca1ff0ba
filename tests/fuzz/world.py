"""The world the API is fuzzed against: the small world of tests/conftest.py with objects of every capability
in committees A1, A2 and B1 (tests/objects.py and the apps' factories), built once per test module.

`FuzzWorld` knows, for each kind of object, which committee each object belongs to, so that
- the path parameters of `/…/{id}/` operations can be drawn from real ids, in and out of every role's scope;
- the scoping check (tests/fuzz/scoping.py) knows which ids, codes and planted names a role must never see.

Names and ID numbers planted in A2 and B1 carry a marker (`PLANTED`) that appears nowhere else."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Model
from django.test import Client, override_settings

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken, Role
from community_admin.org.models import Committee
from tests.conftest import World, build_world
from tests.factories import HouseholdFactory, PersonFactory
from tests.funding.factories import funding_objects
from tests.objects import certificates_objects, jobs_objects, ledgers_objects, services_objects, tasks_objects
from tests.staff.factories import StaffObjects

PLANTED = "机密"  # in the names of A2's and B1's people, workers, volunteers' people and organisations
CODES = ("A1", "A2", "B1")

# The committees each fuzzed role sees, and its user in the world (the department acts through its token).
ROLE_COMMITTEES = {
    Role.BUREAU: {"A1", "A2", "B1"},
    Role.STREET: {"A1", "A2"},  # street A
    Role.COMMITTEE: {"A1"},
    Role.DEPARTMENT: {"A1", "A2"},  # the police station serves street A
}


class _StorageSettings:
    """The part of pytest-django's `settings` fixture the object builders use (assigning STORAGES), kept
    for the whole module and undone by `finalize`."""

    def __init__(self):
        self._overrides = []

    def __getattr__(self, name):
        from django.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            return super().__setattr__(name, value)
        override = override_settings(**{name: value})
        override.enable()
        self._overrides.append(override)

    def finalize(self):
        for override in reversed(self._overrides):
            override.disable()
        self._overrides.clear()


@dataclass
class FuzzWorld:
    world: World
    # kind -> committee code -> ids of that kind's objects in that committee ("*" for district-wide objects)
    ids: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    planted: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # code -> strings
    committee_ids: dict[str, int] = field(default_factory=dict)
    street_of: dict[str, str] = field(default_factory=dict)  # committee code -> street code
    token_key: str = ""
    sessions: dict[str, str] = field(default_factory=dict)  # role -> session key (bureau, street, committee)

    def add(self, kind: str, code: str, obj: Model | int) -> None:
        self.ids[kind][code].append(obj if isinstance(obj, int) else obj.pk)

    def all_ids(self, kind: str) -> list[int]:
        return sorted({pk for pks in self.ids[kind].values() for pk in pks})

    def forbidden_ids(self, kind: str, role: str) -> set[int]:
        """Ids of `kind` in committees outside `role`'s scope (district-wide objects are never forbidden)."""
        outside = self.forbidden_codes(role)
        return {pk for code, pks in self.ids[kind].items() if code in outside for pk in pks}

    def forbidden_codes(self, role: str) -> set[str]:
        return set(CODES) - ROLE_COMMITTEES[role]

    def forbidden_streets(self, role: str) -> set[str]:
        seen = {self.street_of[c] for c in ROLE_COMMITTEES[role]}
        return set(self.street_of.values()) - seen

    def forbidden_strings(self, role: str) -> list[str]:
        return [s for code in self.forbidden_codes(role) for s in self.planted[code]]


def _plant_person(committee: Committee, code: str, fuzz: FuzzWorld, **household):
    marker = PLANTED if code != "A1" else ""
    person = PersonFactory(
        household=HouseholdFactory(committee=committee, number=f"{code}-H001", **household),
        name=f"{marker}居民{code}",
    )
    if marker:
        fuzz.planted[code] += [person.name, person.id_number]
    fuzz.planted[code] += [person.household.number]
    return person


def build_fuzz_world(tmp_path: Path) -> tuple[FuzzWorld, _StorageSettings]:
    """Build everything; the caller keeps the returned settings until the module ends (`finalize`)."""
    from community_admin.community_services.models import CommunityOrganisation
    from community_admin.staff.models import Worker

    world = build_world()
    fuzz = FuzzWorld(world=world)
    settings = _StorageSettings()
    committees = {c.code: c for c in (world.committee_a1, world.committee_a2, world.committee_b1)}
    for code, committee in committees.items():
        fuzz.committee_ids[code] = committee.pk
        fuzz.street_of[code] = committee.street.code
        fuzz.add("committee", code, committee)
        if code != "A1":
            fuzz.planted[code].append(committee.name)
    fuzz.add("street", "A1", world.street_a)
    fuzz.add("street", "B1", world.street_b)
    fuzz.planted["B1"].append(world.street_b.name)

    persons = {code: _plant_person(c, code, fuzz) for code, c in committees.items()}
    for code, person in persons.items():
        fuzz.add("person", code, person)
        fuzz.add("household", code, person.household_id)

    certificates = certificates_objects(world, persons, settings, tmp_path)
    for code in CODES:
        fuzz.add("certificate", code, certificates["certificates"][code])
        fuzz.add("refusal", code, certificates["refusals"][code])
        if code != "A1":
            fuzz.planted[code].append(certificates["certificates"][code].serial)
    fuzz.add("certificate_type", "*", certificates["certificate_type"])

    services = services_objects(world, persons, settings, tmp_path)
    for kind in ("visit", "activity", "volunteer", "organisation"):
        for code, obj in services[kind].items():
            fuzz.add(kind, code, obj)
    for code, organisation in services["organisation"].items():
        if code != "A1":
            name = f"{PLANTED}组织{code}"
            CommunityOrganisation.objects.filter(pk=organisation.pk).update(name=name)
            fuzz.planted[code].append(name)

    staff = StaffObjects(world)
    for key, worker in staff.workers.items():
        code = key.upper()
        fuzz.add("worker", code, worker)
        fuzz.add("secondment", code, staff.secondments[key])
        fuzz.add("payroll", code, staff.payrolls[key])
        if code != "A1":
            name = f"{PLANTED}工作者{code}"
            Worker.objects.filter(pk=worker.pk).update(name=name)
            fuzz.planted[code] += [name, worker.id_number]

    tasks = tasks_objects(world)
    fuzz.add("service_item", "*", tasks["item"])
    for code in CODES:
        task = tasks[f"task_{code.lower()}"]
        fuzz.add("task", code, task)
        if code != "A1":
            fuzz.planted[code].append(task.title)

    funding = funding_objects(world)
    fuzz.add("funding_policy", "*", funding.policy)
    fuzz.add("funding_policy", "*", funding.proposal)
    fuzz.add("funding_run", "*", funding.run)
    for key in ("a1", "a2", "b1"):
        fuzz.add("allocation", key.upper(), funding.allocations[key])
        fuzz.add("disbursement", key.upper(), funding.disbursements[key])
        fuzz.add("expenditure", key.upper(), funding.expenditures[key])

    ledgers = ledgers_objects(world)
    fuzz.add("ledger_book", "*", ledgers["books"]["zz_rented_housing"])
    fuzz.add("ledger_book", "*", ledgers["books"]["mz_relief"])
    for code in CODES:
        fuzz.add("ledger_entry", code, ledgers["entries"][code])
        fuzz.add("ledger_period", code, ledgers["closed_periods"][code])

    jobs = jobs_objects(world, settings, tmp_path)
    fuzz.add("job", "A1", jobs["job_a1"])
    fuzz.add("job", "A1", jobs["job_a1_failed"])
    fuzz.add("job", "A2", jobs["job_a2"])
    fuzz.add("job", "B1", jobs["job_b"])  # street B's: out of scope wherever B1 is

    _, fuzz.token_key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="模糊测试",
        scopes=list(ApiToken.Scope.values),  # every scope a department's token may carry
        days_valid=30,
    )
    for role in (Role.BUREAU, Role.STREET, Role.COMMITTEE):
        client = Client()
        client.force_login(world.user(role))
        fuzz.sessions[role] = client.cookies["sessionid"].value
    return fuzz, settings


# The first path segment(s) after /api/v1/ of an operation with an {id} -> the kind of object the id names.
PATH_KINDS = {
    "activities": "activity",
    "certificate-refusals": "refusal",
    "certificate-types": "certificate_type",
    "certificates": "certificate",
    "committees": "committee",
    "dashboard/streets": "street",
    "funding/allocations": "allocation",
    "funding/disbursements": "disbursement",
    "funding/expenditures": "expenditure",
    "funding/policies": "funding_policy",
    "funding/runs": "funding_run",
    "households": "household",
    "jobs": "job",
    "ledger-books": "ledger_book",
    "ledger-entries": "ledger_entry",
    "ledger-periods": "ledger_period",
    "organisations": "organisation",
    "persons": "person",
    "service-items": "service_item",
    "staff/payrolls": "payroll",
    "staff/secondments": "secondment",
    "staff/workers": "worker",
    "streets": "street",
    "tasks": "task",
    "visits": "visit",
    "volunteers": "volunteer",
}


def path_kind(path: str) -> str | None:
    """The kind of object an operation's path is about: `/api/v1/persons/{id}/death/` -> person."""
    rest = path.removeprefix("/api/v1/").strip("/")
    for prefix in sorted(PATH_KINDS, key=len, reverse=True):
        if rest == prefix or rest.startswith(prefix + "/"):
            return PATH_KINDS[prefix]
    return None
