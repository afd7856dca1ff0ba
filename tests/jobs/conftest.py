"""A small district for the job tests: two streets, three committees, one user per role and unit,
test job kinds, and a private folder for result files."""

from types import SimpleNamespace

import pytest

from community_admin.accounts.models import ApiToken, Role, User
from community_admin.jobs import registry
from community_admin.jobs.registry import JobContext, JobKind, JobOutput
from community_admin.ledgers.models import LedgerBook, LedgerCategory
from community_admin.org.models import Committee, Department, Street
from tests.factories import grant_scopes


def _committee(code: str, street: Street, households: int) -> Committee:
    return Committee.objects.create(
        code=code,
        name=f"{code}社区居委会",
        street=street,
        party_organisation=f"{code}社区党委",
        recorded_households=households,
        recorded_population=households * 3,
    )


def _user(username: str, role: str, **unit) -> User:
    user = User(username=username, role=role, **unit)
    user.set_password("Job-Test-Password-1")
    user.full_clean()
    user.save()
    if role == Role.DEPARTMENT:  # a department works within the scopes granted to it (its tokens')
        grant_scopes(user, *ApiToken.Scope.values)
    return user


@pytest.fixture
def district(db):
    s1 = Street.objects.create(code="01", name="东城街道")
    s2 = Street.objects.create(code="02", name="西城街道")
    c11, c12, c21 = _committee("0101", s1, 1200), _committee("0102", s1, 2500), _committee("0201", s2, 800)
    police = Department.objects.create(code="PS01", name="东城派出所", kind=Department.Kind.POLICE)
    police.streets.add(s1)
    hr = Department.objects.create(code="HR", name="区人社局")
    return SimpleNamespace(
        s1=s1,
        s2=s2,
        c11=c11,
        c12=c12,
        c21=c21,
        police=police,
        hr=hr,
        bureau=_user("bureau", Role.BUREAU),
        street1=_user("street-01", Role.STREET, street=s1),
        street2=_user("street-02", Role.STREET, street=s2),
        committee11=_user("committee-0101", Role.COMMITTEE, committee=c11),
        committee12=_user("committee-0102", Role.COMMITTEE, committee=c12),
        committee21=_user("committee-0201", Role.COMMITTEE, committee=c21),
        police_user=_user("dept-PS01", Role.DEPARTMENT, department=police),
        hr_user=_user("dept-HR", Role.DEPARTMENT, department=hr),
    )


@pytest.fixture(autouse=True)
def job_results(settings, tmp_path):
    """Result files go to a folder of the test's own (outside any web root, like production's)."""
    root = tmp_path / "job-results"
    settings.STORAGES = {
        **settings.STORAGES,
        "job_results": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run what services queue on commit (the eager Celery task): `with run_jobs(): services.job_start(...)`."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Flaky:
    """A test kind's behaviour: fails while `failures` is above zero, then writes a small file."""

    def __init__(self) -> None:
        self.failures = 0

    def __call__(self, ctx: JobContext) -> JobOutput:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("数据源暂时不可用")
        bar = ctx.progress("写入", 4)
        for _ in range(4):
            bar.advance()
        bar.finish()
        path = ctx.workdir / "out.txt"
        path.write_text(f"ok {ctx.params}", encoding="utf-8")
        return JobOutput(path=path, filename="结果.txt", content_type="text/plain")


@pytest.fixture
def flaky_kind():
    behaviour = Flaky()
    kind = registry.register(
        JobKind(name="tests.flaky", label="测试任务", permission="jobs.start", run=behaviour)
    )
    yield SimpleNamespace(kind=kind, behaviour=behaviour)
    registry.unregister(kind.name)


@pytest.fixture
def exclusive_kind():
    kind = registry.register(
        JobKind(
            name="tests.exclusive",
            label="独占任务",
            permission="norms.manage",
            run=lambda ctx: None,
            on_duplicate="refuse",
        )
    )
    yield kind
    registry.unregister(kind.name)


@pytest.fixture
def ledger_books(district):
    """Two books: the police station's (police sees it) and one owned by HR (only HR among departments)."""
    category = LedgerCategory.objects.create(code="T", name="测试类")
    return {
        "police": LedgerBook.objects.create(
            category=category, code="POLICE-BOOK", name="流动人口台账", owner_police_station=True
        ),
        "hr": LedgerBook.objects.create(
            category=category, code="HR-BOOK", name="就业台账", owner_department=district.hr
        ),
    }
