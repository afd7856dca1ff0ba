import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_committee_staff_log_in_and_see_their_committee_page(world, live_server, page, screenshot):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", world.committee_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=committee-name]")
    assert page.inner_text("[data-testid=committee-name]").startswith("甲一社区居委会")
    assert page.inner_text("[data-testid=members-required]") == "3 人"
    assert "社区居委会" in page.inner_text("[data-testid=whoami]")
    # The vendored stylesheet really loaded (Bootstrap's navbar colour), not a CDN.
    navbar_bg = page.eval_on_selector("nav.navbar", "el => getComputedStyle(el).backgroundColor")
    assert navbar_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    screenshot("committee-login")


def test_a_wrong_password_keeps_the_user_on_the_login_page(world, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.committee_user.username)
    page.fill("#id_password", "wrong-password-123")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").count() == 1
