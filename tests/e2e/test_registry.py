from datetime import date

import pytest

from community_admin.core import idnumbers
from community_admin.residents.models import Household, Person, PersonEvent
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD_ID = idnumbers.make("370202", date(1968, 5, 12), 31)  # odd sequence: a man
SPOUSE_ID = idnumbers.make("370202", date(1970, 9, 3), 42)


def register_member(page, *, name, id_number, relationship):
    page.click("text=登记成员")
    page.wait_for_selector("#id_name")
    page.fill("#id_name", name)
    page.fill("#id_id_number", id_number)
    page.select_option("#id_relationship", relationship)
    page.select_option("#id_status", "registered")
    page.fill("#id_phone", "13800000000")
    page.click("button[type=submit]:has-text('保存')")
    page.wait_for_selector(f"table a:has-text('{name}')")


def test_committee_staff_register_a_household_with_its_people_and_find_them_in_the_list(
    world, live_server, page, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.committee_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")

    page.goto(f"{live_server.url}/residents/persons/")
    page.click("text=新建户")
    # A committee's staff see only their own committee, already chosen.
    assert page.eval_on_selector("#id_committee", "el => el.value") == str(world.committee_a1.pk)
    page.fill("#id_number", "A1-0901")
    page.fill("#id_building", "9号楼")
    page.fill("#id_unit", "2")
    page.fill("#id_room", "501")
    page.select_option("#id_housing_type", "owned")
    page.select_option("#id_kind", "registered")
    page.click("button[type=submit]:has-text('建户')")
    page.wait_for_selector("text=尚无成员。")
    household = Household.objects.get(number="A1-0901")
    assert household.committee == world.committee_a1
    assert page.url.endswith(f"/residents/households/{household.pk}/")

    register_member(page, name="孙建国", id_number=HEAD_ID, relationship="head")
    register_member(page, name="周丽华", id_number=SPOUSE_ID, relationship="spouse")
    members = page.inner_text("table")
    assert idnumbers.mask(HEAD_ID) in members and idnumbers.mask(SPOUSE_ID) in members
    assert HEAD_ID not in page.content()

    people = Person.objects.filter(household=household).order_by("id")
    assert [(p.name, p.id_number, p.sex, p.birth_date) for p in people] == [
        ("孙建国", HEAD_ID, "M", date(1968, 5, 12)),
        ("周丽华", SPOUSE_ID, "F", date(1970, 9, 3)),
    ]
    assert PersonEvent.objects.filter(person__household=household, kind="register").count() == 2

    # The person list shows both, with the ID numbers masked and never in full.
    page.goto(f"{live_server.url}/residents/persons/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    listed = {
        rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(2)
    }
    assert listed == {"孙建国": idnumbers.mask(HEAD_ID), "周丽华": idnumbers.mask(SPOUSE_ID)}
    content = page.content()
    assert HEAD_ID not in content and SPOUSE_ID not in content
    assert "A1-0901" in page.inner_text("table") and "9号楼" in page.inner_text("table")
    screenshot("registry-household-registered")

    # Found by the full number: posted, so the number appears in no URL the browser keeps.
    for width, suffix in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/residents/persons/")
        page.fill("#id_id_number", SPOUSE_ID)
        screenshot(f"registry-id-search-{suffix}")
        page.click("button[type=submit]:has-text('按身份证号查找')")
        page.wait_for_selector("h1:has-text('周丽华')")
        assert page.url.endswith(f"/residents/persons/{people[1].pk}/")
        assert SPOUSE_ID not in page.url and SPOUSE_ID not in page.content()
    history = page.evaluate("() => performance.getEntriesByType('navigation').map(e => e.name)")
    assert all(SPOUSE_ID not in url for url in history)
