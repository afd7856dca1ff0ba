"""Registry completeness per committee (issue 16, item 5): the street office (or the bureau) marks a committee's
registry complete, or withdraws the mark; norms and funding use the registry only once it is marked."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community_admin.core.models import AuditLog
from community_admin.org import selectors, services
from community_admin.org.models import Committee
from tests.factories import HouseholdFactory, PersonFactory, mark_registry_complete


def _enter(committee, households: int = 1, floating: int = 0) -> None:
    """Households of the registry, each with one resident (and `floating` floating people in the first)."""
    made = [HouseholdFactory(committee=committee) for _ in range(households)]
    for household in made:
        PersonFactory(household=household)
    for _ in range(floating):
        PersonFactory(household=made[0], status="floating")


def _figures(committee):
    committee = Committee.objects.get(pk=committee.pk)
    return selectors.committee_figures(committee, office_norms=selectors.office_area_norms())


# Figures: the mark decides the source, never the count ------------------------------------------------


def test_figures_stay_on_the_recorded_ones_however_many_households_are_entered(world):
    _enter(world.committee_a1, households=3, floating=1)
    figures = _figures(world.committee_a1)
    assert figures.source == "recorded" and not figures.registry_complete
    assert (figures.households, figures.population, figures.floating) == (1500, 3800, 1300)
    assert figures.registry == (3, 3, 1) and figures.recorded == (1500, 3800, 1300)
    assert figures.social_workers_required == 3  # 1,500 households / 500
    assert figures.source_text == "户数来源：在册数（人口登记尚未确认完整）"


def test_figures_switch_to_the_registry_once_marked_and_back_once_withdrawn(world):
    _enter(world.committee_a1, households=3)
    services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    figures = _figures(world.committee_a1)
    assert (figures.source, figures.households, figures.population) == ("registry", 3, 3)
    assert figures.social_workers_required == 1 and figures.members_required == 3
    assert figures.source_text == "户数来源：人口登记（已确认完整）" and figures.source_label == "人口登记"
    services.committee_registry_incomplete(actor=world.street_user, committee=world.committee_a1)
    assert (_figures(world.committee_a1).source, _figures(world.committee_a1).households) == (
        "recorded",
        1500,
    )


def test_a_marked_registry_counts_even_when_it_holds_fewer_households_than_recorded(world):
    """The mark is the street's word that the registry is complete: the figures follow it, not a threshold."""
    _enter(world.committee_a2, households=2)
    mark_registry_complete(world.committee_a2, by=world.street_user)
    assert _figures(world.committee_a2).households == 2


def test_many_committees_take_each_its_own_source_in_one_batch(world, django_assert_max_num_queries):
    _enter(world.committee_a1, households=2)
    _enter(world.committee_b1, households=1)
    mark_registry_complete(world.committee_a1, by=world.street_user)
    with django_assert_max_num_queries(3):  # the committees (the mark is on their row), the norms, the counts
        rows = selectors.committees_with_figures(Committee.objects.order_by("code"))
    assert [(c.code, f.source, f.households) for c, f in rows] == [
        ("A1", "registry", 2),
        ("A2", "recorded", 2400),
        ("B1", "recorded", 1500),
    ]
    totals = selectors.street_totals(rows)
    assert totals[world.street_a.pk].households == 2 + 2400
    assert selectors.source_counts(f.source for _, f in rows) == {"registry": 1, "recorded": 2}


@pytest.mark.parametrize(
    ("registry", "recorded", "text"),
    [
        (3, 0, "户数来源：人口登记（已确认完整）"),
        (0, 3, "户数来源：在册数（人口登记尚未确认完整）"),
        (2, 1, "户数来源：2 个社区按人口登记（已确认完整），1 个社区按在册数（人口登记尚未确认完整）"),
    ],
)
def test_a_page_of_many_committees_says_where_their_figures_came_from(registry, recorded, text):
    assert selectors.source_text(registry=registry, recorded=recorded) == text


def test_a_fresh_install_starts_with_every_committee_incomplete(world):
    assert not Committee.objects.filter(registry_complete_at__isnull=False).exists()
    assert all(not c.registry_complete for c in Committee.objects.all())


# The services ----------------------------------------------------------------------------------------


def test_marking_records_who_and_when_with_an_audit_row(world):
    _enter(world.committee_a1, households=2, floating=1)
    services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    committee = Committee.objects.get(pk=world.committee_a1.pk)
    assert committee.registry_complete and committee.registry_complete_by == world.street_user
    row = AuditLog.objects.get(action="committee.registry_complete")
    assert row.actor == world.street_user and row.object_id == str(committee.pk)
    assert row.details == {"registry": [2, 2, 1], "recorded": [1500, 3800, 1300]}


def test_withdrawing_clears_the_mark_and_the_audit_row_keeps_who_had_marked(world):
    _enter(world.committee_a1)
    services.committee_registry_complete(actor=world.bureau, committee=world.committee_a1)
    services.committee_registry_incomplete(actor=world.street_user, committee=world.committee_a1)
    committee = Committee.objects.get(pk=world.committee_a1.pk)
    assert committee.registry_complete_at is None and committee.registry_complete_by is None
    row = AuditLog.objects.get(action="committee.registry_incomplete")
    assert row.actor == world.street_user and row.details["previous"]["by"] == world.bureau.pk


def test_a_registry_without_households_cannot_be_marked(world):
    PersonFactory(household__committee=world.committee_a1, status="moved_out")  # nobody active
    with pytest.raises(ValidationError) as exc:
        services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    assert exc.value.message_dict == {"registry_complete": [services.ERR_REGISTRY_EMPTY]}
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete
    assert not AuditLog.objects.filter(action__startswith="committee.registry").exists()


def test_an_unmarked_registry_cannot_be_withdrawn_nor_a_marked_one_marked_again(world):
    with pytest.raises(ValidationError) as exc:
        services.committee_registry_incomplete(actor=world.street_user, committee=world.committee_a1)
    assert exc.value.message_dict == {"registry_complete": [services.ERR_REGISTRY_NOT_COMPLETE]}
    _enter(world.committee_a1)
    services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    with pytest.raises(ValidationError) as exc:
        services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    assert list(exc.value.message_dict) == ["registry_complete"]
    assert AuditLog.objects.filter(action__startswith="committee.registry").count() == 1


def test_a_committee_cannot_mark_its_own_registry(world):
    _enter(world.committee_a1)
    for service in (services.committee_registry_complete, services.committee_registry_incomplete):
        with pytest.raises(PermissionDenied):
            service(actor=world.committee_user, committee=world.committee_a1)
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete


def test_the_database_refuses_a_mark_without_who(world):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.filter(pk=world.committee_a1.pk).update(registry_complete_at=timezone.now())
