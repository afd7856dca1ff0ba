import pytest

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee
from tests.factories import UserFactory


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


def test_each_role_sees_its_committees(world):
    assert codes(scoping.visible_committees(world.bureau)) == {"A1", "A2", "B1"}
    assert codes(scoping.visible_committees(world.street_user)) == {"A1", "A2"}
    assert codes(scoping.visible_committees(world.committee_user)) == {"A1"}
    assert codes(scoping.visible_committees(world.department_user)) == {"A1", "A2"}


def test_each_role_sees_its_streets(world):
    assert codes(scoping.visible_streets(world.bureau)) == {"A", "B"}
    assert codes(scoping.visible_streets(world.street_user)) == {"A"}
    assert codes(scoping.visible_streets(world.committee_user)) == {"A"}
    assert codes(scoping.visible_streets(world.department_user)) == {"A"}


def test_a_department_naming_no_streets_serves_the_whole_district(world):
    world.police.streets.clear()
    assert codes(scoping.visible_committees(world.department_user)) == {"A1", "A2", "B1"}


def test_anonymous_and_inactive_roles_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.visible_committees(AnonymousUser()).exists()
    assert not scoping.visible_streets(AnonymousUser()).exists()


def test_scope_by_committee_filters_any_related_queryset(world):
    users = scoping.scope_by_committee(
        UserFactory._meta.model.objects.filter(role=Role.COMMITTEE), world.street_user
    )
    assert list(users) == [world.committee_user]
    UserFactory(username="b1-staff", role=Role.COMMITTEE, committee=world.committee_b1)
    assert scoping.scope_by_committee(UserFactory._meta.model.objects.all(), world.bureau).count() == 5


@pytest.mark.parametrize("role", [Role.STREET, Role.COMMITTEE, Role.DEPARTMENT])
def test_scope_by_committee_names_the_committees_not_a_subquery(world, role):
    """PostgreSQL walks the whole people index for `committee_id IN (SELECT …)`; a list of ids it does not."""
    from community_admin.residents.selectors import person_list

    sql = str(person_list(world.user(role)).query)
    where = sql[sql.index(" WHERE ") :]
    assert "SELECT" not in where and "org_committee" not in where, where
    committees = set(scoping.visible_committees(world.user(role)).values_list("pk", flat=True))
    scoped = scoping.scope_by_committee(Committee.objects.all(), world.user(role), field="pk")
    assert set(scoped.values_list("pk", flat=True)) == committees


def test_a_committee_user_without_a_committee_sees_nothing(world):
    # unsaved: the database refuses a committee account without a committee
    user = UserFactory.build(username="orphan", role=Role.COMMITTEE, committee=None)
    assert not scoping.scope_by_committee(Committee.objects.all(), user, field="pk").exists()


def test_out_of_scope_is_404_and_audited_missing_is_404_without_audit(world):
    from django.http import Http404

    visible = scoping.visible_committees(world.committee_user)
    assert scoping.get_in_scope_or_404(visible, world.committee_user, pk=world.committee_a1.pk)
    with pytest.raises(Http404):
        scoping.get_in_scope_or_404(visible, world.committee_user, pk=world.committee_b1.pk)
    denied = AuditLog.objects.get(action="access.out_of_scope")
    assert denied.object_id == str(world.committee_b1.pk) and denied.actor == world.committee_user
    with pytest.raises(Http404):
        scoping.get_in_scope_or_404(visible, world.committee_user, pk=Committee.objects.count() + 1000)
    assert AuditLog.objects.filter(action="access.out_of_scope").count() == 1


def usernames(qs) -> set[str]:
    return set(qs.values_list("username", flat=True))


def test_who_manages_which_accounts(world):
    UserFactory(username="a2-clerk", role=Role.COMMITTEE, committee=world.committee_a2)
    UserFactory(username="b-street", role=Role.STREET, street=world.street_b)
    UserFactory(username="b1-clerk", role=Role.COMMITTEE, committee=world.committee_b1)
    everyone = {"t-bureau", "t-street", "t-committee", "t-police", "a2-clerk", "b-street", "b1-clerk"}
    assert usernames(scoping.visible_accounts(world.bureau)) == everyone
    # a street office: its own street's accounts and its committees', never another street's nor above
    assert usernames(scoping.visible_accounts(world.street_user)) == {"t-street", "t-committee", "a2-clerk"}
    assert not scoping.visible_accounts(world.committee_user).exists()
    assert not scoping.visible_accounts(world.department_user).exists()


def test_the_units_an_account_may_be_opened_in(world):
    street_units = scoping.account_units(world.street_user)
    assert [(role, unit.code) for role, unit in street_units] == [
        (Role.STREET, "A"),
        (Role.COMMITTEE, "A1"),
        (Role.COMMITTEE, "A2"),
    ]
    bureau_units = scoping.account_units(world.bureau)
    assert bureau_units[0] == (Role.BUREAU, None) and (Role.DEPARTMENT, world.police) in bureau_units
    assert scoping.account_units(world.committee_user) == []
    assert not scoping.may_manage_unit(world.street_user, Role.COMMITTEE, world.committee_b1)
    assert not scoping.may_manage_unit(world.street_user, Role.STREET, world.street_b)
    assert not scoping.may_manage_unit(world.street_user, Role.BUREAU, None)
    assert not scoping.may_manage_unit(world.street_user, Role.DEPARTMENT, world.police)
    assert scoping.may_manage_unit(world.street_user, Role.COMMITTEE, world.committee_a2)
