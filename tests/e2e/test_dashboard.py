import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_opens_the_district_dashboard_and_the_charts_render(world, live_server, page, screenshot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.bureau.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("[data-key=committees]") == "3"
    charts = ("kinds", "population", "office", "centres", "staffing", "items", "certificates", "balance")
    for chart in (f"chart-{name}" for name in charts):
        page.wait_for_selector(f"#{chart}[data-rendered='1'] canvas")
    screenshot("district-dashboard")
