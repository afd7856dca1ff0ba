from datetime import date

from community_admin.accounts.scoping import visible_committees
from community_admin.staff import selectors
from community_admin.staff.models import Post
from tests.factories import CommitteeFactory
from tests.staff.factories import make_worker, seconded_through_every_step


def _staff(world):
    a = world.bureau
    for committee in (world.committee_a1, world.committee_a2, world.committee_b1):
        make_worker(a, committee, posts=[Post.SECRETARY, Post.DIRECTOR])
        make_worker(a, committee, posts=[Post.MEMBER, Post.SOCIAL_WORKER], education="senior")
        make_worker(a, committee)
    seconded_through_every_step(a, make_worker(a, world.committee_a2))


def test_staffing_counts_the_seconded_as_absent_and_is_scoped(world):
    _staff(world)
    rows = {r.committee.code: r for r in selectors.staffing_gaps(visible_committees(world.bureau))}
    a2 = rows["A2"]  # 2,400 households: 5 members, 5 social workers required
    assert (a2.members_required, a2.members_present, a2.members_gap) == (5, 2, 3)
    assert (a2.social_workers_required, a2.social_workers_present, a2.seconded, a2.social_workers_gap) == (
        5,
        2,
        1,
        3,
    )
    streets = selectors.staffing_by_street(list(rows.values()))
    assert [(t.street.code, t.seconded, t.committees) for t in streets] == [("A", 1, 2), ("B", 0, 1)]
    street_rows = selectors.staffing_gaps(visible_committees(world.street_user))
    assert {r.committee.code for r in street_rows} == {"A1", "A2"}


def test_staff_figures_count_both_posts_once(world):
    _staff(world)
    f = selectors.staff_figures(selectors.visible_workers(world.bureau))
    assert (f.workers, f.members, f.social_workers, f.both, f.seconded, f.college_or_above) == (
        10,
        6,
        7,
        3,
        1,
        7,
    )
    assert selectors.staff_figures(selectors.visible_workers(world.committee_user)).workers == 3


def test_dashboard_selectors_do_not_grow_with_committees(world, django_assert_max_num_queries):
    _staff(world)
    for _ in range(6):
        committee = CommitteeFactory(street=world.street_a)
        make_worker(world.bureau, committee)
    with django_assert_max_num_queries(2):
        selectors.staffing_gaps(visible_committees(world.bureau))
    with django_assert_max_num_queries(1):
        selectors.staff_figures(selectors.visible_workers(world.bureau))
    with django_assert_max_num_queries(2):  # the street's committee ids, then the counts
        selectors.secondment_counts(world.street_user)
    with django_assert_max_num_queries(2):
        selectors.turnover_by_year(world.bureau, years=[2024, 2025])
    with django_assert_max_num_queries(2):
        selectors.retirement_due(world.bureau, as_of=date(2025, 1, 1))


def test_secondments_are_scoped_by_the_workers_committee(world):
    _staff(world)
    assert selectors.secondment_list(world.street_user).count() == 1
    assert selectors.secondment_list(world.committee_user).count() == 0
    assert selectors.secondment_counts(world.bureau)["active"] == 1
