"""Certificates name the person who acted (issue 16, item 2): 经办人 and 用印人 on the pages and the PDFs are
the clerk's real name, not the login a committee's clerks might share."""

import re

import pytest
from django.urls import reverse

from community_admin.accounts.models import Role
from community_admin.certificates import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(world):
    return UserFactory(
        username="a1-wangli",
        first_name="王丽",
        post="社工",
        role=Role.COMMITTEE,
        committee=world.committee_a1,
    )


def test_the_certificate_and_its_seal_name_the_clerk(world, people, types, clerk, login, pdf_text):
    cert = services.certificate_issue(
        actor=clerk, person=people["A1"], certificate_type=types["conduct"], purpose="参军政审"
    ).certificate
    client = login(world.street_user)
    for url in (
        reverse("certificates:detail", args=[cert.pk]),
        reverse("certificates:list"),
        reverse("certificates:seal-log"),
    ):
        text = client.get(url).content.decode()
        assert "王丽" in text, url
        assert "a1-wangli" not in text, url
    pdf = re.sub(r"\s+", "", pdf_text(services.certificate_print(actor=clerk, certificate=cert)))
    assert "经办人：王丽" in pdf


def test_the_referral_slip_names_the_clerk(world, people, types, clerk, pdf_text):
    refusal = services.certificate_issue(
        actor=clerk, person=people["A1"], certificate_type=types["id-card-lost"]
    ).refusal
    text = re.sub(r"\s+", "", pdf_text(services.refusal_slip_print(actor=clerk, refusal=refusal)))
    assert "经办人：王丽" in text


def test_an_account_without_a_name_is_named_by_its_login(world, people, types, login):
    cert = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["conduct"], purpose="参军政审"
    ).certificate
    text = login(world.committee_user).get(reverse("certificates:detail", args=[cert.pk])).content.decode()
    assert f"经办人 {world.committee_user.username}" in text


def test_the_seal_log_finds_the_clerk_by_name_or_login(world, people, types, clerk, login):
    services.certificate_issue(
        actor=clerk, person=people["A1"], certificate_type=types["conduct"], purpose="参军政审"
    )
    services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    )
    client = login(world.street_user)
    for term in ("王丽", "a1-wangli"):
        page = client.get(reverse("certificates:seal-log"), {"applied_by": term}).context["page"]
        assert [r.applied_by for r in page.object_list] == [clerk], term
