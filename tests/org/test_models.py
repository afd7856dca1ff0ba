from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from community_admin.org.models import OfficeAreaNorm, ServiceCentre
from tests.factories import CommitteeFactory, ServiceCentreFactory, StreetFactory

pytestmark = pytest.mark.django_db


def test_village_converted_needs_its_date_in_clean_and_in_the_database():
    committee = CommitteeFactory.build(
        street=StreetFactory(), village_converted=True, village_converted_on=None
    )
    with pytest.raises(ValidationError) as exc:
        committee.full_clean()
    assert "village_converted_on" in exc.value.message_dict
    with pytest.raises(IntegrityError):
        committee.save()


def test_every_committee_has_a_party_organisation():
    with pytest.raises(IntegrityError):
        CommitteeFactory(party_organisation="")


def test_committee_level_centre_needs_a_committee():
    with pytest.raises(IntegrityError):
        ServiceCentre.objects.create(name="x", level="committee", street=StreetFactory(), area_m2=100)


def test_demonstration_centre_must_be_boutique_with_a_year():
    centre = ServiceCentreFactory.build(committee=CommitteeFactory(), demonstration_passed=True)
    centre.street = centre.committee.street
    with pytest.raises(ValidationError):
        centre.full_clean()


def test_centre_committee_must_belong_to_its_street():
    centre = ServiceCentreFactory.build(committee=CommitteeFactory(), street=StreetFactory())
    with pytest.raises(ValidationError) as exc:
        centre.full_clean()
    assert "committee" in exc.value.message_dict


def test_migrations_hold_both_office_norms_with_the_report_chosen():
    norms = {n.code: n for n in OfficeAreaNorm.objects.all()}
    assert set(norms) == {"report-20-per-100", "national-2021-56"}
    assert norms["report-20-per-100"].district_choice
    assert norms["national-2021-56"].effective_from == date(2021, 12, 27)


def test_only_one_office_norm_can_be_the_district_choice():
    with pytest.raises(IntegrityError):
        OfficeAreaNorm.objects.filter(code="national-2021-56").update(district_choice=True)
