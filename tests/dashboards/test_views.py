from django.urls import reverse

from community_admin.core.models import AuditLog
from community_admin.org.models import OfficeAreaNorm


def test_bureau_home_lists_every_street_and_committee_with_norms(world, login):
    body = login(world.bureau).get(reverse("home")).content.decode()
    for name in ("甲街道", "乙街道", "甲一社区居委会", "甲二社区居委会", "乙一社区居委会"):
        assert name in body
    assert "缺 160.0 m²" in body  # A2: 2,400 households need 480 m², it has 320


def test_street_home_lists_only_its_committees(world, login):
    body = login(world.street_user).get(reverse("home")).content.decode()
    assert "甲一社区居委会" in body and "乙一社区居委会" not in body


def test_committee_home_is_its_own_page(world, login):
    client = login(world.committee_user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:committee-detail", args=[world.committee_a1.pk])
    page = client.get(response["Location"]).content.decode()
    assert "甲一社区居委会" in page and "国家规划标准" in page


def test_committee_page_shows_norms_against_its_figures(world, login):
    page = login(world.bureau).get(reverse("dashboards:committee-detail", args=[world.committee_a2.pk]))
    body = page.content.decode()
    assert page.context["figures"].members_required == 5
    assert page.context["figures"].social_workers_required == 5
    assert "480.0 m²" in body and "720.0 m²" in body


def test_bureau_chooses_the_national_office_norm_and_it_is_audited(world, login):
    national = OfficeAreaNorm.objects.get(code="national-2021-56")
    client = login(world.bureau)
    response = client.post(reverse("dashboards:office-norms"), {"norm": national.pk})
    assert response.status_code == 302
    assert OfficeAreaNorm.objects.get(district_choice=True) == national
    row = AuditLog.objects.get(action="office_norm.choose")
    assert row.details == {"previous": "report-20-per-100"} and row.actor == world.bureau
    page = client.get(reverse("dashboards:committee-detail", args=[world.committee_a1.pk]))
    assert page.context["figures"].office.norm_code == "national-2021-56"


def test_a_bad_norm_choice_changes_nothing(world, login):
    client = login(world.bureau)
    response = client.post(reverse("dashboards:office-norms"), {"norm": "abc"}, follow=True)
    assert "办公用房标准" in response.content.decode()
    assert OfficeAreaNorm.objects.get(district_choice=True).code == "report-20-per-100"
    assert not AuditLog.objects.filter(action="office_norm.choose").exists()


def test_only_the_bureau_chooses_the_norm(world, login):
    national = OfficeAreaNorm.objects.get(code="national-2021-56")
    assert (
        login(world.street_user).post(reverse("dashboards:office-norms"), {"norm": national.pk}).status_code
        == 403
    )
    assert OfficeAreaNorm.objects.get(district_choice=True).code == "report-20-per-100"


def test_street_clerk_corrects_the_office_area_and_it_is_audited(world, login):
    client = login(world.street_user)
    url = reverse("dashboards:committee-edit", args=[world.committee_a2.pk])
    form = client.get(url).context["form"]
    data = {**form.initial, "office_area_m2": "500", "village_converted_on": ""}
    data = {k: v for k, v in data.items() if k in form.fields and v is not None}
    data["village_converted"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    world.committee_a2.refresh_from_db()
    assert str(world.committee_a2.office_area_m2) == "500.0"
    row = AuditLog.objects.get(action="committee.update")
    assert row.details == {"office_area_m2": ["320.0", "500.0"]} and row.actor == world.street_user


def test_village_converted_without_a_date_is_refused_naming_the_field(world, login):
    client = login(world.bureau)
    url = reverse("dashboards:committee-edit", args=[world.committee_a1.pk])
    response = client.post(
        url,
        {
            "name": "甲一社区居委会",
            "party_organisation": "党支部",
            "office_area_m2": "320",
            "village_converted": "on",
        },
    )
    assert response.status_code == 400
    assert "村改居日期：" in response.content.decode()
    world.committee_a1.refresh_from_db()
    assert not world.committee_a1.village_converted
    assert not AuditLog.objects.filter(action="committee.update").exists()
