from datetime import timedelta

import pytest
from django.urls import reverse

from community_admin.community_services import services
from community_admin.community_services.models import Visit
from tests.community_services.conftest import PNG

pytestmark = pytest.mark.django_db


def test_the_household_page_links_to_its_visit_history(world, login, households, visit):
    client = login(world.committee_user)
    page = client.get(reverse("residents:household-detail", args=[households["A1"].pk]))
    link = reverse("services:household-visits", args=[households["A1"].pk])
    assert f'href="{link}"' in page.content.decode()
    history = client.get(link).content.decode()
    assert "关爱老人" in history and "联系助餐点" in history


def test_a_worker_finds_the_household_and_records_a_visit(world, login, households, today):
    client = login(world.committee_user)
    found = client.get(reverse("services:visit-create"), {"q": "3号楼"}).content.decode()
    assert f"?household={households['A1'].pk}" in found
    assert f"?household={households['B1'].pk}" not in found  # another street's household stays hidden
    form = client.get(reverse("services:visit-create"), {"household": households["A1"].pk})
    assert form.status_code == 200 and 'name="visited_on"' in form.content.decode()
    response = client.post(
        reverse("services:visit-create"),
        {
            "household": households["A1"].pk,
            "visited_on": today.isoformat(),
            "purpose": "routine",
            "needs": "想学智能手机",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("services:household-visits", args=[households["A1"].pk])
    assert Visit.objects.get().visitor == world.committee_user


def test_a_bad_visit_is_refused_with_the_field_named(world, login, households, today):
    response = login(world.committee_user).post(
        reverse("services:visit-create"),
        {
            "household": households["A1"].pk,
            "visited_on": today.isoformat(),
            "purpose": "routine",
            "follow_up": "再访",
        },
    )
    assert response.status_code == 400
    assert services.ERR_FOLLOW_UP_DUE_MISSING in response.content.decode()
    assert not Visit.objects.exists()


def test_another_committees_household_is_404(world, login, households):
    response = login(world.committee_user).get(
        reverse("services:visit-create"), {"household": households["A2"].pk}
    )
    assert response.status_code == 404


def test_follow_ups_are_listed_and_closed(world, login, visit, today):
    client = login(world.committee_user)
    page = client.get(reverse("services:follow-ups")).content.decode()
    assert "联系助餐点" in page
    response = client.post(
        reverse("services:visit-close", args=[visit.pk]), {"done_on": today.isoformat(), "note": "办好"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.follow_up_done_on == today


def test_an_attachment_is_uploaded_and_sent_only_as_a_nosniff_attachment(world, login, activity):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.committee_user)
    refused = client.post(
        reverse("services:attachment-upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")},
    )
    assert refused.status_code == 400 and services.ERR_FILE_TYPE in refused.content.decode()
    ok = client.post(
        reverse("services:attachment-upload", args=[activity.pk]),
        {"file": SimpleUploadedFile("合影.png", PNG, content_type="text/html")},
    )
    assert ok.status_code == 302
    item = activity.attachments.get()
    street = login(world.street_user).get(reverse("services:attachment-download", args=[item.pk]))
    assert street.status_code == 200
    assert street["Content-Type"] == "image/png"
    assert street["X-Content-Type-Options"] == "nosniff"
    assert street["Content-Disposition"].startswith("attachment")
    assert b"".join(street.streaming_content) == PNG


def test_the_balance_page_shows_the_formula_and_ranks_committees(
    world, login, households, persons, visit, today
):
    page = login(world.bureau).get(reverse("services:balance"), {"year": today.year, "order": "index"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "服务指数 S = 四项得分的平均" in text
    assert "尚未接入" in text
    assert text.index(world.committee_a2.name) < text.index(world.committee_a1.name)  # lowest index first
    trend = login(world.street_user).get(reverse("services:balance"), {"year": today.year, "committee": "A1"})
    assert "逐月变化 · " + world.committee_a1.name in trend.content.decode()


def test_a_committee_only_sees_its_own_balance(world, login, visit, today):
    text = login(world.committee_user).get(reverse("services:balance")).content.decode()
    assert world.committee_a1.name in text and world.committee_a2.name not in text


def test_the_visit_pages_fit_a_phone(world, login, households):
    """The form is one column: no fixed-width table or row that would force a 375px screen to scroll sideways."""
    text = (
        login(world.committee_user)
        .get(reverse("services:visit-create"), {"household": households["A1"].pk})
        .content.decode()
    )
    assert 'name="viewport"' in text and "col-12" in text and "<table" not in text


def test_due_dates_past_show_as_overdue(world, login, households, today):
    services.visit_record(
        actor=world.committee_user,
        household=households["A1"],
        visited_on=today - timedelta(days=20),
        purpose="hardship",
        follow_up="送米面油",
        follow_up_due=today - timedelta(days=5),
    )
    text = login(world.street_user).get(reverse("services:follow-ups")).content.decode()
    assert 'class="num text-danger">1<' in text


def test_an_organisation_description_of_10000_characters_is_refused_naming_the_field(world, login):
    from tests.security import sweep

    client = login(world.committee_user)
    baseline = sweep.fingerprint(sweep.all_tables())
    with sweep.rolled_back(baseline) as outcome:
        response = client.post(
            reverse("services:organisation-create"),
            {"name": "书画社", "kind": "culture", "description": "长" * 10_000},
        )
    assert response.status_code == 400 and "description" in sweep.invalid_fields(response.content.decode())
    assert not outcome.written


def test_a_visit_names_the_clerk_who_went(world, login, households, today):
    from community_admin.accounts.models import Role
    from tests.factories import UserFactory

    clerk = UserFactory(
        username="a1-li", first_name="李强", role=Role.COMMITTEE, committee=world.committee_a1
    )
    visit = services.visit_record(
        actor=clerk, household=households["A1"], visited_on=today, purpose="elderly"
    )
    client = login(world.committee_user)
    for url in (reverse("services:visit-detail", args=[visit.pk]), reverse("services:visit-list")):
        text = client.get(url).content.decode()
        assert "李强" in text and "a1-li" not in text, url
    api = client.get(f"/api/v1/visits/{visit.pk}/").json()
    assert api["visitor"] == "a1-li" and api["visitor_name"] == "李强"
