from datetime import date, timedelta

import pytest
from django.utils import timezone

from community_admin.community_services import services
from tests.factories import HouseholdFactory, PersonFactory, mark_registry_complete


@pytest.fixture(autouse=True)
def only_test_counters(monkeypatch):
    """The balance's logic is tested against the counters these tests register, not against whatever the
    other apps register (tests/<app>/test_workload.py test those, and the balance with them)."""
    from community_admin.core import workload

    monkeypatch.setattr(workload, "_counters", {})


@pytest.fixture(autouse=True)
def attachment_storage(settings, tmp_path):
    """Attachments go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "services_files": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "services-files"), "base_url": None},
        },
    }
    return tmp_path / "services-files"


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def households(world):
    return {
        c.code: HouseholdFactory(committee=c, building="3号楼", room=f"50{i}")
        for i, c in enumerate((world.committee_a1, world.committee_a2, world.committee_b1), start=1)
    }


@pytest.fixture
def persons(world, households):
    """A person in each household; each committee's registry marked complete, so the balance counts the
    registry's households (one each), not the recorded figures."""
    people = {code: PersonFactory(household=h) for code, h in households.items()}
    mark_registry_complete(*(h.committee for h in households.values()), by=world.street_user)
    return people


@pytest.fixture
def visit(world, households, today):
    return services.visit_record(
        actor=world.committee_user,
        household=households["A1"],
        visited_on=today - timedelta(days=2),
        purpose="elderly",
        needs="希望有人定期探望",
        follow_up="联系助餐点",
        follow_up_due=today + timedelta(days=5),
    )


@pytest.fixture
def activity(world, today):
    return services.activity_create(
        actor=world.committee_user,
        committee=world.committee_a1,
        title="重阳敬老宴",
        kind="festival",
        held_on=today - timedelta(days=1),
        place="社区活动室",
        organiser="社区居委会",
        participant_count=40,
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
