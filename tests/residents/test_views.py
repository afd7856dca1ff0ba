from datetime import date

from django.urls import reverse
from django.utils import timezone

from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.org import selectors as org_selectors
from community_admin.residents import services
from community_admin.residents.models import Household, Person, RegistrationConflict
from tests.factories import HouseholdFactory, PersonFactory, UserFactory, mark_registry_complete
from tests.residents.conftest import xlsx
from tests.residents.test_import import good_rows


def test_a_clerk_registers_a_household_and_a_person_in_the_browser(world, login):
    client = login(world.committee_user)
    response = client.post(
        reverse("residents:household-create"),
        {
            "committee": world.committee_a1.pk,
            "number": "N1",
            "building": "2号楼",
            "unit": "1",
            "room": "201",
            "housing_type": "owned",
            "kind": "registered",
        },
    )
    household = Household.objects.get(number="N1")
    assert response.status_code == 302 and household.committee == world.committee_a1
    number = idnumbers.make("370202", date(1975, 7, 7), 55)
    response = client.post(
        reverse("residents:person-register", args=[household.pk]),
        {
            "name": "陈",
            "id_number": number,
            "relationship": "head",
            "status": "registered",
            "marital_status": "married",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="陈")
    page = client.get(reverse("residents:person-detail", args=[person.pk])).content.decode()
    assert idnumbers.mask(number) in page and "登记" in page


def test_form_errors_name_the_field_and_write_nothing(world, login, household_a1):
    response = login(world.committee_user).post(
        reverse("residents:person-register", args=[household_a1.pk]),
        {"name": "陈", "id_number": "110105194912310021", "relationship": "head", "status": "registered"},
    )
    assert response.status_code == 400
    assert f"公民身份号码：{idnumbers.ERR_CHECK}" in response.content.decode()
    assert not Person.objects.exists()


def test_household_for_another_committee_is_not_offered(world, login):
    response = login(world.committee_user).post(
        reverse("residents:household-create"),
        {
            "committee": world.committee_b1.pk,
            "number": "N1",
            "building": "2号楼",
            "room": "201",
            "housing_type": "owned",
            "kind": "registered",
        },
    )
    assert response.status_code == 400 and not Household.objects.exists()


def test_edit_move_out_and_transfer_from_the_person_page(world, login, household_a1):
    person = PersonFactory(household=household_a1)
    client = login(world.committee_user)
    edit = client.post(
        reverse("residents:person-edit", args=[person.pk]),
        {
            "name": "新名",
            "id_number": "",
            "relationship": "head",
            "status": "registered",
            "phone": "88889999",
        },
    )
    assert edit.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone) == ("新名", "88889999")
    other = HouseholdFactory(committee=world.committee_a1, number="A1-002")
    today = timezone.localdate().isoformat()
    moved = client.post(
        reverse("residents:person-transfer", args=[person.pk]),
        {"transfer-household_number": "A1-002", "transfer-happened_on": today},
    )
    assert moved.status_code == 302
    person.refresh_from_db()
    assert person.household == other
    bad = client.post(
        reverse("residents:person-transfer", args=[person.pk]),
        {"transfer-committee_code": "B1", "transfer-household_number": "X", "transfer-happened_on": today},
    )
    assert bad.status_code == 400 and "新户编号" in bad.content.decode()
    out = client.post(reverse("residents:person-move-out", args=[person.pk]), {"move_out-happened_on": today})
    assert out.status_code == 302
    person.refresh_from_db()
    assert person.status == "moved_out"


def test_import_page_reports_and_imports(world, login):
    client = login(world.committee_user)
    bad_rows = [*good_rows(), ["0003", "8号楼1", "", "123", "户主", "户籍人口", "", ""]]
    response = client.post(
        reverse("residents:import"), {"committee": world.committee_a1.pk, "file": xlsx(bad_rows)}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "import-failed" in body and "<td>5</td><td>姓名</td>" in body
    assert not Person.objects.exists()
    ok = client.post(
        reverse("residents:import"), {"committee": world.committee_a1.pk, "file": xlsx(good_rows())}
    )
    assert ok.status_code == 200 and "import-done" in ok.content.decode()
    assert Person.objects.count() == 3


def test_import_refuses_a_file_that_is_not_xlsx(world, login):
    import io

    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "x.xlsx"
    response = login(world.committee_user).post(
        reverse("residents:import"), {"committee": world.committee_a1.pk, "file": fake}
    )
    assert response.status_code == 400 and "xlsx" in response.content.decode()


def test_template_download(world, login):
    response = login(world.committee_user).get(reverse("residents:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_committee_figures_come_from_the_registry_once_it_is_marked_complete(world):
    norms = org_selectors.office_area_norms()
    assert org_selectors.committee_figures(world.committee_a1, office_norms=norms).source == "recorded"
    household = HouseholdFactory(committee=world.committee_a1)
    PersonFactory(household=household)
    PersonFactory(household=household, status="floating")
    PersonFactory(household=household, status="moved_out")
    figures = org_selectors.committee_figures(world.committee_a1, office_norms=norms)
    assert (figures.source, figures.households, figures.registry) == ("recorded", 1500, (1, 1, 1))
    mark_registry_complete(world.committee_a1, by=world.street_user)
    figures = org_selectors.committee_figures(world.committee_a1, office_norms=norms)
    assert (figures.source, figures.households, figures.population, figures.floating) == ("registry", 1, 1, 1)
    assert figures.members_required == 3 and figures.social_workers_required == 1


# Reveals on the person's page: a reason, an hourly limit (core.reveals).


def test_the_page_refuses_a_blank_reveal_reason_and_shows_nothing(world, login):
    from community_admin.core.models import AuditLog

    person = PersonFactory(household__committee=world.committee_a1)
    response = login(world.committee_user).post(
        reverse("residents:person-reveal", args=[person.pk]), {"reason": "   "}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "查看原因：" in body and person.id_number not in body
    assert not AuditLog.objects.filter(action="person.reveal_id").exists()


def test_the_page_says_when_the_hourly_limit_is_reached(world, login, settings):
    from community_admin.core import reveals
    from community_admin.core.models import AuditLog

    settings.REVEAL_LIMIT_PER_HOUR = 2
    person = PersonFactory(household__committee=world.committee_a1)
    client = login(world.committee_user)
    url = reverse("residents:person-reveal", args=[person.pk])
    assert [client.post(url, {"reason": "核对"}).status_code for _ in range(2)] == [200, 200]
    response = client.post(url, {"reason": "核对"})
    body = response.content.decode()
    assert response.status_code == 429 and person.id_number not in body
    assert reveals.ERR_LIMIT.split("{")[0] in body and 'data-testid="reveal-error"' in body
    assert AuditLog.objects.filter(action="person.reveal_id", result=AuditLog.Result.DENIED).count() == 1


def test_a_held_registration_reaches_the_street_page_and_is_resolved_there(world, login, household_a1):
    """Issue 23, finding 5, in the browser: the committee sees the neutral refusal; street A sees where the
    number is registered and who asked, and resolves it (audited)."""
    number = idnumbers.make("370202", date(1975, 7, 7), 55)
    PersonFactory(household__committee=world.committee_b1, id_number=number, name="乙一居民")
    response = login(world.committee_user).post(
        reverse("residents:person-register", args=[household_a1.pk]),
        {"name": "陈", "id_number": number, "relationship": "head", "status": "registered"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "已提交街道核实" in body
    assert world.committee_b1.name not in body and "其他社区" not in body
    conflict = RegistrationConflict.objects.get()

    street = login(world.street_user)
    assert 'data-testid="conflict-list"' in street.get(reverse("residents:person-list")).content.decode()
    page = street.get(reverse("residents:conflict-list")).content.decode()
    assert world.committee_b1.name in page and idnumbers.mask(number) in page and "t-committee" in page
    assert (
        "乙一居民" not in page and number not in page
    )  # the holder's name and full number stay where they are
    empty = street.post(reverse("residents:conflict-resolve", args=[conflict.pk]), {"resolution": ""})
    assert empty.status_code == 400 and services.ERR_CONFLICT_RESOLUTION in empty.content.decode()
    done = street.post(
        reverse("residents:conflict-resolve", args=[conflict.pk]), {"resolution": "已协调迁出"}
    )
    assert done.status_code == 302
    conflict.refresh_from_db()
    assert (
        conflict.status == "resolved"
        and AuditLog.objects.filter(action="registration_conflict.resolve").exists()
    )
    assert (
        "已协调迁出"
        in street.get(reverse("residents:conflict-list"), {"status": "resolved"}).content.decode()
    )


def test_conflicts_are_not_shown_to_committees_departments_or_another_street(world, login, household_a1):
    number = idnumbers.make("370202", date(1975, 7, 7), 55)
    PersonFactory(household__committee=world.committee_b1, id_number=number)
    login(world.committee_user).post(
        reverse("residents:person-register", args=[household_a1.pk]),
        {"name": "陈", "id_number": number, "relationship": "head", "status": "registered"},
    )
    conflict = RegistrationConflict.objects.get()
    for user in (world.committee_user, world.department_user):
        client = login(user)
        assert client.get(reverse("residents:conflict-list")).status_code == 403
        assert (
            'data-testid="conflict-list"' not in client.get(reverse("residents:person-list")).content.decode()
        )
    street_b = UserFactory(username="t-street-b", role="street", street=world.street_b)
    client = login(street_b)
    assert "没有登记冲突" in client.get(reverse("residents:conflict-list")).content.decode()
    assert (
        client.post(
            reverse("residents:conflict-resolve", args=[conflict.pk]), {"resolution": "x"}
        ).status_code
        == 404
    )


def test_a_department_page_cannot_post_sensitive_fields(world, login):
    """Issue 23, finding 4, through the page: the department's form offers no sensitive field; posting them
    anyway is refused naming them, not dropped silently."""
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    response = login(world.department_user).post(
        reverse("residents:person-register", args=[household.pk]),
        {
            "name": "外来",
            "id_number": idnumbers.make("410102", date(1995, 5, 5), 31),
            "relationship": "head",
            "status": "floating",
            "minimum_allowance": "on",
            "disability_certificate": "41010219950505031X11",
            "disability_level": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and services.ERR_SENSITIVE_FIELD.format(label="低保") in body
    assert services.ERR_SENSITIVE_FIELD.format(label="残疾证号") in body
    assert not Person.objects.exists()


# Floating residents on the police station's pages (issue 16, item 6)


def _floating(world, committee=None):
    return PersonFactory(
        household__committee=committee or world.committee_a1, household__kind="floating", status="floating"
    )


def test_the_police_page_offers_outflow_and_permit_on_a_floating_resident_only(world, login):
    client = login(world.department_user)
    floating, registered = _floating(world), PersonFactory(household__committee=world.committee_a1)
    page = client.get(reverse("residents:person-detail", args=[floating.pk])).content.decode()
    assert 'data-testid="outflow-form"' in page and 'data-testid="permit-form"' in page
    household = client.get(
        reverse("residents:household-detail", args=[floating.household_id])
    ).content.decode()
    assert "#outflow" in household and "#permit" in household
    page = client.get(reverse("residents:person-detail", args=[registered.pk])).content.decode()
    assert "outflow-form" not in page and "permit-form" not in page
    # the committee updates the permit too, but records its own move-out, not the police's
    page = (
        login(world.committee_user)
        .get(reverse("residents:person-detail", args=[floating.pk]))
        .content.decode()
    )
    assert "permit-form" in page and "outflow-form" not in page


def test_the_police_records_an_outflow_and_the_committee_sees_who(world, login):
    person = _floating(world)
    PersonFactory(household__committee=world.committee_a1)
    mark_registry_complete(world.committee_a1, by=world.street_user)  # its figures come from the registry
    figures = org_selectors.committee_figures(world.committee_a1, office_norms=[])
    assert (figures.source, figures.population, figures.floating) == ("registry", 1, 1)
    today = timezone.localdate().isoformat()
    response = login(world.department_user).post(
        reverse("residents:person-floating-move-out", args=[person.pk]),
        {"outflow-happened_on": today, "outflow-destination": "河南省郑州市", "outflow-reason": "返乡"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == "moved_out"
    committee = login(world.committee_user)
    page = committee.get(reverse("residents:person-detail", args=[person.pk])).content.decode()
    assert "由 甲街派出所 登记迁出" in page and "河南省郑州市" in page and "返乡" in page
    listed = committee.get(reverse("residents:person-list")).content.decode()
    assert person.name not in listed  # the committee's list of current residents
    figures = org_selectors.committee_figures(world.committee_a1, office_norms=[])
    assert (figures.source, figures.population, figures.floating) == ("registry", 1, 0)


def test_the_police_page_refuses_a_registered_resident_with_the_reason(world, login):
    person = PersonFactory(household__committee=world.committee_a1)
    response = login(world.department_user).post(
        reverse("residents:person-floating-move-out", args=[person.pk]),
        {"outflow-happened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert services.ERR_NOT_FLOATING.format(status="户籍人口") in response.content.decode()
    person.refresh_from_db()
    assert person.status == "registered"


def test_the_police_updates_a_permit_on_the_page_and_bad_dates_write_nothing(world, login):
    person = _floating(world)
    client = login(world.department_user)
    url = reverse("residents:person-residence-permit", args=[person.pk])
    bad = client.post(
        url,
        {
            "permit-residence_permit_number": "AB123456",
            "permit-residence_permit_issued_on": "2025-03-01",
            "permit-residence_permit_valid_until": "2025-01-01",
        },
    )
    assert bad.status_code == 400
    assert "有效期至：须晚于签发日期。" in bad.content.decode()
    person.refresh_from_db()
    assert person.residence_permit_number == "" and not AuditLog.objects.filter(
        action="person.residence_permit"
    )
    number = idnumbers.make("410102", date(1995, 5, 5), 31)
    ok = client.post(
        url,
        {"permit-residence_permit_number": number, "permit-residence_permit_issued_on": "2025-03-01"},
    )
    assert ok.status_code == 302
    page = client.get(reverse("residents:person-detail", args=[person.pk])).content.decode()
    assert idnumbers.mask(number) in page and number not in page and "2025年3月1日签发" in page


def test_a_department_without_the_floating_permission_gets_403(world, login):
    """A district department (not the police) whose tokens read the registry only (a department's scopes are
    its tokens', in the browser too)."""
    from community_admin.org.models import Department

    other = UserFactory(
        username="t-rs",
        role="department",
        department=Department.objects.create(code="RS", name="区人社局"),
        granted=["residents:read"],
    )
    person = _floating(world)
    client = login(other)
    page = client.get(reverse("residents:person-detail", args=[person.pk]))
    assert page.status_code == 200 and 'data-testid="floating-actions"' not in page.content.decode()
    today = timezone.localdate().isoformat()
    for name, body in (
        ("residents:person-floating-move-out", {"outflow-happened_on": today}),
        ("residents:person-residence-permit", {"permit-residence_permit_number": "AB123456"}),
    ):
        assert client.post(reverse(name, args=[person.pk]), body).status_code == 403, name
    person.refresh_from_db()
    assert person.status == "floating" and person.residence_permit_number == ""


def test_a_person_outside_the_stations_streets_is_not_found(world, login):
    person = _floating(world, world.committee_b1)
    client = login(world.department_user)
    assert client.get(reverse("residents:person-detail", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("residents:person-floating-move-out", args=[person.pk]),
        {"outflow-happened_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.status == "floating"


def test_the_permit_form_shows_the_dates_it_holds(world, login):
    person = _floating(world)
    services.residence_permit_update(
        actor=world.department_user, person=person, number="AB123456", issued_on=date(2025, 3, 1)
    )
    page = login(world.department_user).get(reverse("residents:person-detail", args=[person.pk]))
    assert 'name="permit-residence_permit_issued_on" value="2025-03-01"' in page.content.decode()
