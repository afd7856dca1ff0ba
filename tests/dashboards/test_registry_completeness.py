"""The street office marks a committee's registry complete on the committee pages and through the API (issue 16,
item 5): what the pages show, who may mark, what is refused, and that nothing is written on a refusal."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from community_admin.core.models import AuditLog
from community_admin.org.models import Committee
from tests.factories import CommitteeFactory, PersonFactory, mark_registry_complete

RECORDED_TEXT = "户数来源：在册数（人口登记尚未确认完整）"
REGISTRY_TEXT = "户数来源：人口登记（已确认完整）"


def _marks() -> int:
    return AuditLog.objects.filter(action__startswith="committee.registry").count()


def _page_post(client, committee, complete):
    url = reverse("dashboards:committee-registry", args=[committee.pk])
    return client.post(url, {} if complete is None else {"complete": complete})


def _api_post(client, committee, body):
    url = reverse("committee-registry-complete", args=[committee.pk])
    return client.post(url, body, content_type="application/json")


# Pages -----------------------------------------------------------------------------------------------


def test_the_street_sees_each_committees_state_and_how_far_entry_has_got(world, login):
    for _ in range(3):
        PersonFactory(household__committee=world.committee_a1)
    body = login(world.street_user).get(reverse("home")).content.decode()
    assert "登记 3 户 / 在册 1,500 户" in body and "登记 0 户 / 在册 2,400 户" in body
    assert "未确认完整" in body and 'data-testid="registry-mark-A1"' in body
    assert RECORDED_TEXT in body
    assert "data-confirm=" in body  # the button asks first


def test_the_street_marks_on_its_page_and_the_committee_page_then_says_so(world, login):
    PersonFactory(household__committee=world.committee_a1)
    client = login(world.street_user)
    detail = reverse("dashboards:committee-detail", args=[world.committee_a1.pk])
    before = client.get(detail)
    assert before.context["figures"].households == 1500 and RECORDED_TEXT in before.content.decode()
    response = _page_post(client, world.committee_a1, "1")
    assert response.status_code == 302 and response["Location"] == detail
    after = client.get(detail)
    body = after.content.decode()
    assert after.context["figures"].households == 1 and REGISTRY_TEXT in body
    assert "已确认完整" in body and world.street_user.display_name in body
    assert 'data-testid="registry-withdraw-A1"' in body
    assert "registry" not in after.context["figures"].source_label  # a label, never the code


def test_withdrawing_on_the_page_goes_back_to_the_list_it_came_from(world, login):
    PersonFactory(household__committee=world.committee_a1)
    mark_registry_complete(world.committee_a1, by=world.street_user)
    client = login(world.street_user)
    street = reverse("dashboards:street-detail", args=[world.street_a.pk])
    url = reverse("dashboards:committee-registry", args=[world.committee_a1.pk])
    response = client.post(url, {"complete": "0", "next": street})
    assert response.status_code == 302 and response["Location"] == street
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete
    assert _marks() == 1
    away = client.post(url, {"complete": "0", "next": "https://elsewhere.example/"})
    assert away["Location"] == reverse("dashboards:committee-detail", args=[world.committee_a1.pk])


@pytest.mark.parametrize(
    ("complete", "field"), [("1", "人口登记完整"), ("0", "人口登记完整"), (None, "人口登记完整")]
)
def test_a_refusal_on_the_page_is_a_message_naming_the_field_and_writes_nothing(
    world, login, complete, field
):
    """An empty registry cannot be marked; an unmarked one cannot be withdrawn; no value is no action."""
    client = login(world.street_user)
    response = _page_post(client, world.committee_a1, complete)
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"{field}：")
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete and _marks() == 0


def test_a_committee_cannot_mark_itself_on_the_page(world, login):
    PersonFactory(household__committee=world.committee_a1)
    client = login(world.committee_user)
    assert _page_post(client, world.committee_a1, "1").status_code == 403
    page = client.get(reverse("dashboards:committee-detail", args=[world.committee_a1.pk])).content.decode()
    assert "registry-mark-A1" not in page and RECORDED_TEXT in page  # it sees the state, not the button
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete


def test_another_streets_committee_is_not_found_on_the_page(world, login):
    PersonFactory(household__committee=world.committee_b1)
    assert _page_post(login(world.street_user), world.committee_b1, "1").status_code == 404
    assert not Committee.objects.get(pk=world.committee_b1.pk).registry_complete and _marks() == 0


def test_the_dashboards_say_how_many_committees_each_source_covers(world, login):
    PersonFactory(household__committee=world.committee_a1)
    mark_registry_complete(world.committee_a1, by=world.street_user)
    bureau = login(world.bureau)
    district = bureau.get(reverse("dashboards:district")).content.decode()
    assert "1 个社区按人口登记（已确认完整），2 个社区按在册数" in district
    street = bureau.get(reverse("dashboards:street-dashboard", args=[world.street_a.pk])).content.decode()
    assert "1 个社区按人口登记（已确认完整），1 个社区按在册数" in street
    data = bureau.get(reverse("dashboard-district")).json()
    assert data["household_sources"] == {"registry": 1, "recorded": 2}
    assert data["households"] == 1 + 2400 + 1500


def test_the_street_page_stays_within_its_queries_with_marked_committees(
    world, login, django_assert_max_num_queries
):
    client = login(world.street_user)
    url = reverse("dashboards:street-detail", args=[world.street_a.pk])
    client.get(url)
    marked = [CommitteeFactory(street=world.street_a) for _ in range(15)]
    for committee in marked:
        PersonFactory(household__committee=committee)
    mark_registry_complete(*marked, by=world.bureau)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("已确认完整") >= 15


# API -------------------------------------------------------------------------------------------------


def test_the_api_shows_the_mark_and_who_made_it(world, login):
    PersonFactory(household__committee=world.committee_a1)
    client = login(world.street_user)
    response = _api_post(client, world.committee_a1, {"complete": True})
    assert response.status_code == 200
    data = response.json()
    assert data["registry_complete"] is True and data["registry_complete_at"]
    assert data["registry_complete_by"] == world.street_user.display_name
    assert data["norms"]["source"] == "registry" and data["norms"]["source_display"] == "人口登记"
    assert (data["norms"]["households"], data["norms"]["recorded_households"]) == (1, 1500)
    other = client.get(reverse("committee-detail", args=[world.committee_a2.pk])).json()
    assert (other["registry_complete"], other["registry_complete_by"], other["norms"]["source"]) == (
        False,
        None,
        "recorded",
    )
    withdrawn = _api_post(login(world.bureau), world.committee_a1, {"complete": False}).json()
    assert withdrawn["registry_complete"] is False and withdrawn["norms"]["households"] == 1500
    assert _marks() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"complete": True}, "registry_complete"),  # no households in the registry
        ({"complete": False}, "registry_complete"),  # nothing to withdraw
        ({}, "complete"),
        ({"complete": "perhaps"}, "complete"),
    ],
)
def test_bad_requests_are_400_naming_the_field_and_write_nothing(world, login, body, field):
    response = _api_post(login(world.street_user), world.committee_a1, body)
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not Committee.objects.get(pk=world.committee_a1.pk).registry_complete and _marks() == 0


def test_a_committee_marking_itself_is_403_and_another_streets_committee_404(world, login):
    PersonFactory(household__committee=world.committee_a1)
    PersonFactory(household__committee=world.committee_b1)
    assert _api_post(login(world.committee_user), world.committee_a1, {"complete": True}).status_code == 403
    assert _api_post(login(world.street_user), world.committee_b1, {"complete": True}).status_code == 404
    assert not Committee.objects.filter(registry_complete_at__isnull=False).exists() and _marks() == 0


def test_a_department_token_reads_the_mark_but_cannot_make_it(world, department_token, client):
    _, key = department_token
    PersonFactory(household__committee=world.committee_a1)
    url = reverse("committee-registry-complete", args=[world.committee_a1.pk])
    response = client.post(
        url, {"complete": True}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert response.status_code == 403
    listed = client.get(reverse("committee-list"), HTTP_AUTHORIZATION=f"Token {key}").json()["results"]
    assert {c["registry_complete"] for c in listed} == {False}


def test_the_committee_list_stays_within_its_queries_with_marks(world, login, django_assert_max_num_queries):
    committees = CommitteeFactory.create_batch(40, street=world.street_b)
    for committee in committees:
        PersonFactory(household__committee=committee)
    mark_registry_complete(*committees, by=world.street_user)
    client = login(world.bureau)
    client.get(reverse("committee-list"))
    with django_assert_max_num_queries(9):  # as without marks: who marked comes with the committee's row
        response = client.get(reverse("committee-list"), {"page_size": 50})
    assert sum(1 for c in response.json()["results"] if c["registry_complete_by"]) == 40


# The staffing page and the survey report -----------------------------------------------------------------


def test_the_staffing_page_says_where_its_households_came_from(world, login):
    PersonFactory(household__committee=world.committee_a2)
    mark_registry_complete(world.committee_a2, by=world.street_user)
    page = login(world.street_user).get(reverse("staff:staffing"))
    body = page.content.decode()
    assert "户数来源：1 个社区按人口登记（已确认完整），1 个社区按在册数" in body
    rows = {r.committee.code: r for r in page.context["rows"]}
    assert (rows["A2"].households, rows["A2"].source_label) == (1, "人口登记")
    assert (rows["A1"].households, rows["A1"].source_label) == (1500, "在册数")


def test_the_survey_report_says_where_its_households_came_from(world):
    from community_admin.dashboards.reports import narrative
    from community_admin.dashboards.reports.figures import survey_figures

    PersonFactory(household__committee=world.committee_a1)
    mark_registry_complete(world.committee_a1, by=world.street_user)
    figures = survey_figures(year=timezone.localdate().year, user=world.bureau)
    text = "".join(narrative.basic_situation(figures).paragraphs)
    assert "共3,901户" in text  # 1 from the registry (A1, marked) + 2,400 + 1,500 recorded
    assert "户数来源：1 个社区按人口登记（已确认完整），2 个社区按在册数（人口登记尚未确认完整）。" in text
