import pytest

from community_admin.dashboards.jobs import COMMITTEE_EXPORT
from community_admin.jobs import selectors, services

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
