"""The strict Content-Security-Policy breaks nothing: the main pages, the dashboard's charts, a certificate, the
job progress bar, the API docs and the admin load with no violation reported, and look as before."""

import pytest

from community_admin.certificates import services as certificate_services
from community_admin.certificates.models import CertificateType
from community_admin.jobs import services as job_services
from tests.factories import PASSWORD, PersonFactory, UserFactory, ensure_certificate_whitelist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation (event or console message) collected in `page.violations`."""
    violations: list[str] = []
    page.add_init_script(WATCH_VIOLATIONS)
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.violations = violations
    return page


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert response.headers.get("content-security-policy"), url
    page.wait_for_load_state("networkidle")
    page.violations.extend(page.evaluate("window.__cspViolations"))


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]", state="attached")


@pytest.fixture
def objects(world, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
        "job_results": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "job-results"},
        },
    }
    ensure_certificate_whitelist()
    person = PersonFactory(household__committee=world.committee_a1, name="张甲一")
    residence = CertificateType.objects.get(code="residence")
    cert = certificate_services.certificate_issue(
        actor=world.committee_user, person=person, certificate_type=residence
    ).certificate
    job = job_services.job_start(actor=world.committee_user, kind="dashboards.committee_export").job
    job_services.job_run(job_id=job.pk, heartbeat=False)
    return {"person": person, "certificate": cert, "job": job}


def test_the_committee_pages_load_under_the_policy_with_no_violation(
    world, objects, live_server, watched, screenshot
):
    page = watched
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        log_in(page, live_server, world.committee_user)
        visit(page, f"{live_server.url}/")
        visit(page, f"{live_server.url}/residents/persons/")
        screenshot(f"csp-person-list-{width}")
        visit(page, f"{live_server.url}/residents/persons/{objects['person'].pk}/")
        screenshot(f"csp-person-detail-{width}")
        visit(page, f"{live_server.url}/certificates/{objects['certificate'].pk}/")
        visit(page, f"{live_server.url}/jobs/{objects['job'].pk}/")
        assert page.is_visible("[data-testid=job-download]")
        screenshot(f"csp-job-detail-{width}")
        page.context.clear_cookies()
    assert page.violations == []


def test_the_dashboard_renders_its_charts_under_the_policy(world, live_server, watched, screenshot):
    from tests.funding.factories import funding_objects

    page = watched
    funding = funding_objects(world)
    compare = f"{live_server.url}/funding/compare/?a={funding.policy.pk}&b={funding.proposal.pk}"
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        log_in(page, live_server, world.bureau)
        visit(page, f"{live_server.url}/dashboard/")
        for name in (
            "kinds",
            "population",
            "office",
            "centres",
            "staffing",
            "items",
            "certificates",
            "balance",
        ):
            page.wait_for_selector(f"#chart-{name}[data-rendered='1'] canvas")
        # the chart's box keeps the height it had as a style attribute
        assert page.eval_on_selector("#chart-kinds", "el => el.clientHeight") == 320
        screenshot(f"csp-dashboard-{width}")
        visit(page, compare)
        page.wait_for_selector("#chart-compare[data-rendered='1'] canvas")
        assert page.eval_on_selector("#chart-compare", "el => el.clientHeight") == 360
        page.context.clear_cookies()
    assert page.violations == []


def test_the_api_docs_and_the_admin_load_under_the_policy(
    world, department_token, live_server, watched, screenshot
):
    page = watched
    visit(page, f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30000)
    screenshot("csp-api-docs")
    admin = UserFactory(username="t-admin", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    token = department_token[0]
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        f"/admin/accounts/user/{world.committee_user.pk}/change/",
        "/admin/accounts/apitoken/",
        f"/admin/accounts/apitoken/{token.pk}/delete/",
        "/admin/core/auditlog/",
    ):
        visit(page, f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}"
    page.goto(f"{live_server.url}/admin/accounts/user/{world.committee_user.pk}/change/")
    page.wait_for_selector("#id_role")
    screenshot("csp-admin-user")
    assert page.violations == []


def test_a_confirm_button_still_asks_first(world, live_server, watched):
    """The ledgers' confirm() was an inline onclick: now static/js/site.js reads data-confirm."""
    from community_admin.ledgers.models import LedgerEntry
    from tests.objects import ledgers_objects

    page = watched
    entry = ledgers_objects(world)["entries"]["A1"]
    log_in(page, live_server, world.committee_user)
    visit(page, f"{live_server.url}/ledgers/entries/{entry.pk}/")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("button[data-confirm]")
    assert asked == ["删除此条目？变更记录会保留。"]
    assert page.url.endswith(f"/ledgers/entries/{entry.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("button[data-confirm]")
    assert LedgerEntry.objects.get(pk=entry.pk).removed
    assert page.violations == []


def test_the_policy_is_the_setting(settings):
    assert "script-src 'self'" in settings.CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in settings.CONTENT_SECURITY_POLICY


def test_the_browsable_api_loads_under_its_policy(world, live_server, watched, screenshot):
    page = watched
    PersonFactory(household__committee=world.committee_a1, name="张甲一")
    log_in(page, live_server, world.committee_user)
    visit(page, f"{live_server.url}/api/v1/persons/")
    page.wait_for_selector(".response-info")
    screenshot("csp-browsable-api")
    assert page.violations == []
