from datetime import timedelta
from io import StringIO

import pytest
from django.db.models import Count, Max, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone

from community_admin.certificates import seed
from community_admin.certificates.models import Certificate, Evidence, Refusal, SealUse, SerialCounter
from community_admin.core.seeding import SeedContext
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(scale="small"):
    out = StringIO()
    seed.run(SeedContext(scale=scale, seed=3, stdout=out, stderr=StringIO(), password="x"))
    return out.getvalue()


def test_a_year_of_gapless_certificates_and_refusals_per_committee(world):
    UserFactory(role="committee", committee=world.committee_b1)
    for committee in (world.committee_a1, world.committee_b1):
        PersonFactory.create_batch(3, household__committee=committee)
    run("full")
    per_year = Certificate.objects.values("committee", "year").annotate(n=Count("id"), top=Max("number"))
    assert {row["committee"] for row in per_year} == {world.committee_a1.pk, world.committee_b1.pk}
    for row in per_year:
        assert row["n"] == row["top"]
        counter = SerialCounter.objects.get(committee_id=row["committee"], year=row["year"])
        assert counter.last_number == row["n"]
    assert Certificate.objects.filter(committee=world.committee_a1).count() >= seed.FULL_ISSUED[0]
    assert not Certificate.objects.exclude(year=ExtractYear("issued_on")).exists()
    last = timezone.localdate() - timedelta(days=1)
    assert last - timedelta(days=364) <= Certificate.objects.aggregate(m=Min("issued_on"))["m"]
    assert Certificate.objects.aggregate(m=Max("issued_on"))["m"] <= last
    assert SealUse.objects.count() == Certificate.objects.count()
    tier_b = Certificate.objects.filter(tier="B")
    assert tier_b.exists()
    assert all(c.evidence.count() == len(c.certificate_type.required_evidence) for c in tier_b[:20])
    assert Refusal.objects.values("committee").distinct().count() == 2
    assert not Refusal.objects.filter(referred_to="").exists()
    assert Evidence.objects.exists()


def test_seed_is_deterministic_and_safe_to_run_twice(world):
    PersonFactory.create_batch(2, household__committee=world.committee_a1)
    run()
    first = list(Certificate.objects.order_by("serial").values_list("serial", "certificate_type__code"))
    assert first
    assert "跳过" in run()
    assert (
        list(Certificate.objects.order_by("serial").values_list("serial", "certificate_type__code")) == first
    )


def test_without_residents_the_seed_says_so(world):
    assert "不生成演示证明" in run()
