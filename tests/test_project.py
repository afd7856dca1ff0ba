import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parent.parent


def test_openapi_schema_builds_and_names_every_api_path():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/v1/streets/", "/api/v1/committees/", "/api/v1/committees/{id}/"} <= set(schema["paths"])
    assert "departmentToken" in schema["components"]["securitySchemes"]


def test_schema_and_docs_are_served(client, db):
    assert client.get(reverse("schema")).status_code == 200
    docs = client.get(reverse("docs"))
    assert docs.status_code == 200
    # Everything the page loads is served by this site: the intranets have no internet. (Looking for the
    # letters "cdn" failed once in a hundred runs or so: the page carries a random CSRF token.)
    html = docs.content.decode()
    loaded = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", html, re.IGNORECASE)


def test_deploy_checklist_passes_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community_admin.config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "community.example.gov.cn",
    }
    for name in (
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests only
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_templates_load_no_asset_from_the_internet():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "http://" not in text and "https://" not in text, path


def test_collectstatic_runs_with_production_settings(tmp_path):
    """The documented production step: the hashed, compressed manifest storage processes the project's static
    files, vendored libraries included (their source-map comments point at files that are not shipped). The
    installed packages' own files (admin, DRF, Swagger UI) are left out to keep this quick."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community_admin.config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-0123456789",
        "ALLOWED_HOSTS": "community.example.gov.cn",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        + ["-i", "admin", "-i", "rest_framework", "-i", "drf_spectacular_sidecar"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/bootstrap/bootstrap.bundle.min.js"]
    assert hashed != "vendor/bootstrap/bootstrap.bundle.min.js" and (tmp_path / hashed).exists()
    assert (tmp_path / (manifest["vendor/echarts/echarts.min.js"] + ".gz")).exists()
    font = manifest["fonts/NotoSerifSC-GB2312.otf"]  # for WeasyPrint, read from disk: not worth compressing
    assert (tmp_path / font).exists() and not (tmp_path / (font + ".gz")).exists()


def test_the_layers_contract_is_kept():
    """pyproject.toml's import-linter contract (also run by `make lint`): an app imports only from the layers
    below it, the domain apps not from each other (funding -> admission aside), config on top."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_english_browser_gets_the_chinese_ui_and_chinese_messages(client, db):
    """The UI is Chinese only (issue 26): no English in LANGUAGES and no LocaleMiddleware, so Django's and
    DRF's own messages are Chinese too, whatever the browser asks for."""
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    page = client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"}, **english)
    assert "请输入一个正确的" in page.content.decode(), page.content.decode()
    assert "Please enter a correct" not in page.content.decode()
    api = client.get("/api/v1/streets/", **english)
    assert api.status_code in (401, 403)
    assert api.json()["detail"] == "身份认证信息未提供。"


def _anchor(heading: str) -> str:
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_the_readme_is_short_and_every_link_of_the_docs_resolves():
    """The README says what the system is, the two commands and the roles, and sends the reader on to docs/;
    every relative link there and in docs/ names a file (and a heading) that exists."""
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 60
    assert "make demo" in readme and "make test" in readme and "## Roles" in readme
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert {p.name for p in pages} >= {
        "operations.md",
        "architecture.md",
        "api.md",
        "benchmarks.md",
        "security.md",
    }
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text()):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), (page.name, target)
            if anchor:
                headings = re.findall(r"(?m)^#+ (.*)$", linked.read_text())
                assert anchor in {_anchor(h) for h in headings}, (page.name, target)
