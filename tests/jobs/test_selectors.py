import secrets

import pytest
from django.urls import reverse

from community_admin.accounts import permissions, scoping
from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.core.models import AuditLog
from community_admin.dashboards.jobs import COMMITTEE_EXPORT
from community_admin.jobs import selectors, services
from community_admin.jobs.models import Job
from community_admin.ledgers.jobs import BOOK_EXPORT
from community_admin.residents.jobs import PERSON_EXPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(district):
    start = lambda user, **params: services.job_start(actor=user, kind=COMMITTEE_EXPORT, params=params).job  # noqa: E731
    return {
        "district": start(district.bureau),
        "street02": start(district.bureau, street="02"),
        "street01": start(district.street1),
        "committee0101": start(district.committee11),
        "police": start(district.police_user),
    }


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("bureau", {"district", "street02", "street01", "committee0101", "police"}),
        ("street1", {"street01", "committee0101"}),
        ("street2", {"street02"}),
        ("committee11", {"committee0101"}),
        ("committee12", set()),
        ("committee21", set()),
        ("police_user", {"police", "street01", "committee0101"}),  # serves street 01 only
        ("hr_user", {"district", "street02", "street01", "committee0101"}),  # serves the whole district
    ],
)
def test_a_user_sees_the_jobs_whose_unit_their_scope_covers(district, jobs, user, expected):
    names = {job.pk: name for name, job in jobs.items()}
    visible = {
        names[pk] for pk in selectors.visible_jobs(getattr(district, user)).values_list("pk", flat=True)
    }
    assert visible == expected


def test_my_jobs_are_the_ones_i_started(district, jobs):
    assert list(selectors.my_jobs(district.street1)) == [jobs["street01"]]
    assert {j.pk for j in selectors.my_jobs(district.bureau)} == {jobs["district"].pk, jobs["street02"].pk}


def test_kinds_offered_follow_the_kinds_permission(district, exclusive_kind):
    assert {k.name for k in selectors.job_kinds_for(district.bureau)} >= {
        COMMITTEE_EXPORT,
        exclusive_kind.name,
    }
    assert exclusive_kind.name not in {k.name for k in selectors.job_kinds_for(district.street1)}


# Reading follows the kind's permission and its objects, not only the unit (issue 23, finding 1).


def _job(kind, *, by, params=None, **scope):
    return Job.objects.create(
        kind=kind,
        created_by=by,
        params=params or {},
        dedupe_key=secrets.token_hex(32),
        **(scope or scoping.unit_scope_of(by)),
    )


def _visible(user, job, **kwargs) -> bool:
    return selectors.visible_jobs(user, **kwargs).filter(pk=job.pk).exists()


def test_a_department_reads_only_the_exports_of_books_it_owns(district, ledger_books):
    hr_book = _job(BOOK_EXPORT, by=district.committee11, params={"book": "HR-BOOK"})
    police_book = _job(
        BOOK_EXPORT, by=district.committee11, params={"book": "POLICE-BOOK", "committee": "0101"}
    )
    # The unit is covered by both departments (police serves street 01, HR the whole district)...
    assert _visible(district.committee11, hr_book) and _visible(district.street1, hr_book)
    assert _visible(district.hr_user, hr_book) and not _visible(district.hr_user, police_book)
    assert _visible(district.police_user, police_book) and not _visible(district.police_user, hr_book)
    # ...and a token with the ledgers' scope reads no more than the department's session.
    token, _ = account_services.api_token_create(
        actor=district.bureau,
        department=district.police,
        name="t",
        scopes=[ApiToken.Scope.JOBS, ApiToken.Scope.LEDGERS_READ],
        days_valid=30,
    )
    assert _visible(district.police_user, police_book, token=token)
    assert not _visible(district.police_user, hr_book, token=token)


def test_a_book_export_naming_a_committee_the_reader_does_not_see_is_not_read(district, ledger_books):
    # (a district job naming committee 0201: police serves street 01 only and does not cover the district
    # anyway; HR, serving everything, reads it)
    job = _job(BOOK_EXPORT, by=district.bureau, params={"book": "HR-BOOK", "committee": "0201"})
    assert _visible(district.hr_user, job) and _visible(district.bureau, job)
    street_job = _job(BOOK_EXPORT, by=district.street1, params={"book": "POLICE-BOOK", "committee": "0201"})
    assert not _visible(district.street1, street_job)  # not one street 01 could have named


def test_a_committee_export_of_a_street_the_reader_does_not_see_is_not_read(district):
    job = _job(COMMITTEE_EXPORT, by=district.street1, params={"street": "02"})
    assert not _visible(district.street1, job)
    assert _visible(district.street1, _job(COMMITTEE_EXPORT, by=district.street1, params={"street": "01"}))


def test_a_job_of_a_kind_the_reader_may_not_start_is_not_read(district, exclusive_kind):
    job = _job(exclusive_kind.name, by=district.bureau, scope_level="district")  # norms.manage: the bureau's
    assert _visible(district.bureau, job)
    assert not _visible(district.hr_user, job)  # covers the district, may not start the kind


def test_a_job_of_an_unregistered_kind_is_read_by_nobody(district, client):
    job = _job("gone.kind", by=district.bureau)
    assert not _visible(district.bureau, job)
    client.force_login(district.bureau)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert AuditLog.objects.filter(action="access.out_of_scope", object_id=str(job.pk)).exists()


def test_a_reader_who_may_not_see_sensitive_columns_reads_only_exports_made_without_them(
    district, monkeypatch
):
    # No such role today: give the departments the export to see the person export's own rule at work.
    monkeypatch.setitem(permissions.PERMISSIONS, "residents.export", permissions.ALL_ROLES)
    by_committee = _job(PERSON_EXPORT, by=district.committee11, params={"query": ""})
    by_police = _job(PERSON_EXPORT, by=district.police_user, params={"query": ""})
    assert not _visible(district.police_user, by_committee)  # it has the 残疾 and 低保 columns
    assert _visible(district.police_user, by_police)
    assert _visible(district.street1, by_committee)


def test_token_kinds_follow_the_tokens_scopes(district):

    jobs_only, _ = account_services.api_token_create(
        actor=district.bureau,
        department=district.police,
        name="t",
        scopes=[ApiToken.Scope.JOBS],
        days_valid=30,
    )
    assert COMMITTEE_EXPORT in {k.name for k in selectors.job_kinds_for(district.police_user)}
    assert COMMITTEE_EXPORT not in {
        k.name for k in selectors.job_kinds_for(district.police_user, token=jobs_only)
    }
