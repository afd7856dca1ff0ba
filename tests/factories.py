from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password

from community_admin.accounts.models import ApiToken, Role, User
from community_admin.core import idnumbers
from community_admin.org.models import Committee, Department, ServiceCentre, Street

PASSWORD = "correct-horse-battery-staple"
_PASSWORD_HASH = make_password(PASSWORD)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    code = factory.Sequence(lambda n: f"T{n:02d}")
    name = factory.Sequence(lambda n: f"测试{n}路街道")


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"TC{n:04d}")
    name = factory.Sequence(lambda n: f"测试{n}社区居委会")
    kind = Committee.Kind.RESIDENTIAL
    party_organisation = factory.LazyAttribute(lambda c: f"{c.name}党支部")
    office_area_m2 = Decimal("320")
    recorded_households = 1500
    recorded_population = 3800
    recorded_floating = 1300


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    kind = Department.Kind.DISTRICT


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    name = factory.Sequence(lambda n: f"服务中心{n}")
    level = ServiceCentre.Level.COMMITTEE
    committee = factory.SubFactory(CommitteeFactory)
    street = factory.LazyAttribute(lambda c: c.committee.street if c.committee else StreetFactory())
    area_m2 = Decimal("600")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = _PASSWORD_HASH
    role = Role.BUREAU

    @factory.post_generation
    def granted(self, create, scopes, **kwargs):
        """A department account works within the scopes of its tokens in force, in the browser too
        (accounts.permissions.granted_scopes): by default it is granted every scope, `granted=[]` none."""
        if create and self.role == Role.DEPARTMENT:
            grant_scopes(self, *(ApiToken.Scope.values if scopes is None else scopes))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "residents.Household"

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: f"H{n:05d}")
    building = factory.Sequence(lambda n: f"{n % 30 + 1}号楼")
    unit = "1"
    room = factory.Sequence(lambda n: f"{n % 6 + 1}0{n % 4 + 1}")
    housing_type = "owned"
    kind = "registered"


class PersonFactory(factory.django.DjangoModelFactory):
    """A person with a valid, unique ID number; sex and birth date follow from it."""

    class Meta:
        model = "residents.Person"

    household = factory.SubFactory(HouseholdFactory)
    committee = factory.LazyAttribute(lambda p: p.household.committee)
    name = factory.Sequence(lambda n: f"居民{n}")
    id_number = factory.Sequence(
        lambda n: idnumbers.make("370202", date(1950, 1, 1) + timedelta(days=(n * 37) % 25000), n % 1000)
    )
    sex = factory.LazyAttribute(lambda p: idnumbers.parse(p.id_number).sex)
    birth_date = factory.LazyAttribute(lambda p: idnumbers.parse(p.id_number).birth_date)
    relationship = "head"
    status = "registered"


def mark_registry_complete(*committees: Committee, by: User) -> None:
    """As if the street office had confirmed these committees' registries complete (org.services does it for
    real, audited, and refuses a registry without households): their figures then come from the registry."""
    from django.utils import timezone

    now = timezone.now()
    Committee.objects.filter(pk__in=[c.pk for c in committees]).update(
        registry_complete_at=now, registry_complete_by=by
    )
    for committee in committees:
        committee.registry_complete_at, committee.registry_complete_by = now, by


def ensure_certificate_whitelist() -> None:
    """The whitelist comes with a data migration; a transactional test's flush empties it for the tests that run
    after it in the same process, so tests that need it load it again."""
    from community_admin.certificates.seed import ensure_whitelist

    ensure_whitelist()


GRANT_TOKEN_NAME = "（测试）部门获授权限"


def grant_scopes(user: User, *scopes: str, days: int = 30) -> ApiToken | None:
    """A token in force for `user` holding `scopes` (none: nothing is created); its key is never used."""
    if not scopes:
        return None
    from django.utils import timezone

    return ApiToken.objects.create(
        user=user,
        name=GRANT_TOKEN_NAME,
        prefix=f"g{user.pk:011d}"[-12:],
        key_hash="0" * 64,
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=days),
        created_by=user,
    )
