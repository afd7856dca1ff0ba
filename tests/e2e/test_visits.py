import pytest

from tests.factories import PASSWORD, HouseholdFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 667}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_a_worker_logs_a_visit_from_a_phone_and_sees_it_in_the_households_history(
    world, live_server, phone, tmp_path
):
    household = HouseholdFactory(
        committee=world.committee_a1, number="A1-0007", building="7号楼", unit="1", room="302"
    )
    PersonFactory(household=household)
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.committee_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]", state="attached")

    page.goto(f"{live_server.url}/services/visits/")
    page.click("[data-testid=new-visit]")
    page.fill("#id_q", "7号楼")
    page.click("[data-testid=find]")
    page.click("[data-testid=households-found] a")
    assert "A1-0007" in page.inner_text("[data-testid=visit-household]")
    page.select_option("#id_purpose", "elderly")
    page.fill("#id_needs", "老人腿脚不便，想要上门理发")
    page.fill("#id_follow_up", "联系志愿者上门理发")
    page.fill("#id_follow_up_due", page.eval_on_selector("#id_visited_on", "el => el.value"))
    # Nothing is wider than the phone: the form needs no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click("[data-testid=save-visit]")

    page.wait_for_selector("[data-testid=visit-history]")
    history = page.inner_text("[data-testid=visit-history]")
    assert "关爱老人" in history and "上门理发" in history
    # The household's own page (residents) links to the same history.
    page.goto(f"{live_server.url}/residents/households/{household.pk}/")
    page.click("[data-testid=household-visits]")
    assert "老人腿脚不便" in page.inner_text("[data-testid=visit-history]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
