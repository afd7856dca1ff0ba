import pytest

from community_admin.certificates import selectors, services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(world, people, types):
    """A1: two residence certificates (one voided) and a refusal; B1: one conduct certificate, two refusals."""
    b1_user = UserFactory(role="committee", committee=world.committee_b1)
    a1 = world.committee_user

    def issue(actor, code, person):
        return services.certificate_issue(actor=actor, person=person, certificate_type=types[code])

    first = issue(a1, "residence", people["A1"]).certificate
    issue(a1, "residence", people["A1"])
    services.certificate_void(actor=a1, certificate=first, reason="重开")
    issue(a1, "death", people["A1"])
    issue(b1_user, "conduct", people["B1"])
    issue(b1_user, "only-home", people["B1"])
    issue(b1_user, "id-card-lost", people["B1"])


def as_dict(rows):
    return {r.key: (r.issued, r.voided, r.refused) for r in rows}


def test_statistics_by_tier_type_committee_and_month(world, activity):
    bureau = world.bureau
    assert as_dict(selectors.statistics(bureau, group_by="tier")) == {"A": (3, 1, 0), "C": (0, 0, 3)}
    by_type = as_dict(selectors.statistics(bureau, group_by="type"))
    assert by_type == {
        "residence": (2, 1, 0),
        "conduct": (1, 0, 0),
        "death": (0, 0, 1),
        "only-home": (0, 0, 1),
        "id-card-lost": (0, 0, 1),
    }
    assert as_dict(selectors.statistics(bureau, group_by="committee")) == {"A1": (2, 1, 1), "B1": (1, 0, 2)}
    months = selectors.statistics(bureau, group_by="month")
    assert len(months) == 1 and (months[0].issued, months[0].refused) == (3, 3)
    assert as_dict(selectors.statistics(bureau, group_by="street")) == {"A": (2, 1, 1), "B": (1, 0, 2)}


def test_statistics_are_scoped_to_who_asks(world, activity):
    assert as_dict(selectors.statistics(world.street_user, group_by="committee")) == {"A1": (2, 1, 1)}
    assert as_dict(selectors.statistics(world.department_user, group_by="committee")) == {"A1": (2, 1, 1)}


@pytest.mark.parametrize("group_by", selectors.GROUPINGS)
def test_statistics_take_two_queries_whatever_the_data(
    world, activity, django_assert_max_num_queries, group_by
):
    with django_assert_max_num_queries(2):
        selectors.statistics(world.bureau, group_by=group_by)


def test_the_whitelist_reads_in_bounded_queries(django_assert_max_num_queries, db):
    with django_assert_max_num_queries(3):
        rows = selectors.whitelist()
        assert len(rows) == 23
        assert sum(len(r.conflicts) for r in rows) > 0


def test_seal_log_filters(world, activity):
    rows = selectors.seal_log(world.bureau)
    assert rows.count() == 3
    assert selectors.seal_log(world.street_user).count() == 2
    assert selectors.seal_log(world.bureau, committee_id=world.committee_b1.pk).count() == 1
    assert selectors.seal_log(world.bureau, applied_by=world.committee_user.username).count() == 2
    assert selectors.seal_log(world.bureau, serial="B1-").count() == 1


def test_refusals_by_department(world, activity):
    assert dict(selectors.refusals_by_department(world.bureau)) == {
        "区不动产登记中心（住房情况查询）": 1,
        "户籍所在地派出所": 1,
        "医疗机构（《居民死亡医学证明（推断）书》）；非正常死亡由公安机关出具": 1,
    }
