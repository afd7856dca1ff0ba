"""Finding 8 of the penetration test: pages and API answers with personal data carried no Cache-Control, and no
page had a Content-Security-Policy."""

import pytest
from django.test import Client
from django.urls import reverse

from community_admin.accounts import services as account_services
from community_admin.core.middleware import NO_STORE
from tests.factories import PersonFactory


@pytest.fixture
def person(world):
    return PersonFactory(household__committee=world.committee_a1, name="张甲一")


def test_a_person_page_the_person_list_and_an_export_are_not_kept_by_any_cache(world, login, person):
    client = login(world.committee_user)
    for url in (
        reverse("residents:person-detail", args=[person.pk]),
        reverse("residents:person-list"),
        reverse("residents:person-export"),
        reverse("home"),  # a redirect to the committee's page
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert response["Cache-Control"] == NO_STORE, url


def test_a_person_read_through_a_token_is_not_kept_by_any_cache(world, person):
    _, key = account_services.api_token_create(
        actor=world.bureau, department=world.police, name="户籍", scopes=["residents:read"], days_valid=30
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    answer = client.get(reverse("person-detail", args=[person.pk]))
    assert answer.status_code == 200 and answer["Cache-Control"] == NO_STORE
    listing = client.get(reverse("person-list"))
    assert listing.status_code == 200 and listing["Cache-Control"] == NO_STORE
    # a refused token's answer holds no data, but is not kept either
    assert Client(HTTP_AUTHORIZATION="Token nope").get(reverse("person-list"))["Cache-Control"] == NO_STORE


def test_a_session_read_of_the_api_is_not_kept_by_any_cache(world, login, person):
    answer = login(world.committee_user).get(reverse("person-detail", args=[person.pk]))
    assert answer.status_code == 200 and answer["Cache-Control"] == NO_STORE


def test_a_view_that_chose_its_own_cache_control_keeps_it(world, login, person):
    # the reveal says no-store itself; Django's login page says never_cache's long form
    reveal = login(world.street_user).post(
        reverse("residents:person-reveal", args=[person.pk]), {"reason": "核对身份"}
    )
    assert reveal["Cache-Control"] == "no-store"
    assert "must-revalidate" in Client().get(reverse("accounts:login"))["Cache-Control"]


def test_public_answers_and_static_files_keep_their_caching(world, login, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    assert "Cache-Control" not in Client().get(reverse("schema"))
    static = login(world.committee_user).get("/static/css/app.css")
    assert static.status_code == 200 and static["Cache-Control"] != NO_STORE
    assert "Content-Security-Policy" not in static


def test_every_page_and_answer_carries_the_policy(world, login, person, settings):
    client = login(world.committee_user)
    for url in (reverse("residents:person-list"), "/api/v1/docs/", reverse("home"), "/admin/login/"):
        assert client.get(url)["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY, url
    # DRF's browsable API: inline styles, never inline script
    api = client.get(reverse("person-list"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in api and "script-src 'self';" in api
    assert (
        Client().get(reverse("accounts:login"))["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    )
    policy = settings.CONTENT_SECURITY_POLICY
    for directive in ("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert directive in policy
    assert "unsafe" not in policy


def test_the_policy_is_a_setting_a_path_may_override(world, login, settings):
    client = login(world.committee_user)
    settings.CONTENT_SECURITY_POLICY_PATHS = {"/admin/": "default-src 'self'"}
    assert client.get("/admin/login/")["Content-Security-Policy"] == "default-src 'self'"
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in client.get(reverse("home"))


def test_the_api_docs_serve_their_start_up_script_from_a_url_not_inline(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in page and "<style>" not in page and "?script=" in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_no_template_a_browser_renders_has_inline_script_style_or_handler():
    """The policy refuses them: behaviour lives in static/js, looks in static/css. The PDF templates are read by
    WeasyPrint only, never by a browser."""
    import re
    from pathlib import Path

    from django.conf import settings

    pdf_only = ("certificates/pdf/", "dashboards/report/")
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son[a-z]+=|javascript:"
    )
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        if not any(part in path.as_posix() for part in pdf_only)
        for match in inline.finditer(Path(path).read_text())
    ]
    assert found == []
