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


def test_the_bureau_downloads_the_survey_report_from_the_district_dashboard(
    world, live_server, page, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.bureau.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-kinds[data-rendered='1'] canvas")
    year = page.input_value("#report-year")
    page.select_option("#report-format", "pdf")
    page.click("[data-testid='start-dashboards.survey_report']")
    page.wait_for_selector("#survey-report-progress [data-testid=job-download]", timeout=30000)
    assert page.inner_text("#survey-report-progress [data-testid=job-state]") == "已完成"
    with page.expect_download() as download_info:
        page.click("#survey-report-progress [data-testid=job-download]")
    download = download_info.value
    assert year in download.suggested_filename and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    screenshot("district-dashboard-survey-report")
