"""The demo district's accounts (issue 16): the units' demo logins as before, and named clerks beside them."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from community_admin.accounts.models import Role, User
from community_admin.org.models import Committee, Street

pytestmark = pytest.mark.django_db


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_district", scale="small", stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def clerks(role: str):
    return User.objects.filter(role=role, username__regex=r"-[0-9]+-[0-9]+$")


def test_each_committee_has_two_or_three_named_clerks_and_each_street_one_or_two():
    output = seed()
    per_committee = dict(clerks(Role.COMMITTEE).values_list("committee").annotate(n=Count("id")))
    assert set(per_committee) == set(Committee.objects.values_list("pk", flat=True))
    assert set(per_committee.values()) == {2, 3}
    per_street = dict(clerks(Role.STREET).values_list("street").annotate(n=Count("id")))
    assert set(per_street) == set(Street.objects.values_list("pk", flat=True))
    assert set(per_street.values()) <= {1, 2}
    first = User.objects.get(username="committee-0101-1")
    assert first.committee.code == "0101" and first.post.startswith("社区书记")
    assert 2 <= len(first.first_name) <= 3 and first.first_name != first.committee.name
    assert set(clerks(Role.COMMITTEE).values_list("post", flat=True)) <= {
        "社区书记、主任",
        "社区书记",
        "主任",
        "社工",
    }
    # the demo logins keep their unit's name and the one password; the clerks share it
    demo = User.objects.get(username="committee-0101")
    assert demo.first_name == demo.committee.name and demo.check_password(settings.DEMO_PASSWORD)
    assert first.check_password(settings.DEMO_PASSWORD) and first.password == demo.password  # hashed once
    assert not User.objects.filter(must_change_password=True).exists()
    assert "committee-0101-1" in output and "street-01-1" in output and first.first_name in output


def test_the_clerks_names_come_from_the_seeds_generator():
    """The same seed gives the same people (the accounts part's own generator, core.seeding.SeedContext.rng),
    another seed other names."""
    import random

    from community_admin.accounts.seed import _named_clerks

    seed(seed=5)
    stored = sorted(clerks(Role.COMMITTEE).values_list("username", "first_name", "post"))
    streets = list(Street.objects.order_by("code"))
    committees = list(Committee.objects.select_related("street").order_by("code"))

    def made(seed_value):
        users = _named_clerks(random.Random(f"{seed_value}:accounts"), streets, committees)
        return sorted((u.username, u.first_name, u.post) for u in users if u.role == Role.COMMITTEE)

    assert made(5) == stored and len({name for _, name, _ in stored}) > len(stored) // 2
    assert made(6) != stored
