"""The client's address behind the documented nginx (issue 16, item 4): with TRUSTED_PROXY_COUNT=1 every request
comes from the proxy's address, and the client is the address the proxy appended to X-Forwarded-For. The lockout,
the audit rows and the public verification's rate limit count per client, not per proxy."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from community_admin.core.clientip import client_ip
from community_admin.core.models import AuditLog
from tests.factories import PASSWORD

PROXY = "127.0.0.1"
LOGIN = reverse("accounts:login")


def request(remote="198.51.100.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "198.51.100.1"),
        (0, "203.0.113.5", "198.51.100.1"),  # no proxy declared: the header is the client's own words
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a spoofed entry the client sent is ignored
        (1, " 6.6.6.6 ,203.0.113.5 ", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # two proxies: the second from the right
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "198.51.100.1"),  # the proxy sent no header: not set up as declared
        (2, "203.0.113.5", "198.51.100.1"),  # fewer entries than proxies
        (1, "not-an-address", "198.51.100.1"),
        (1, "", "198.51.100.1"),
    ],
)
def test_the_client_is_the_nth_address_from_the_right(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded=forwarded)) == expected


def through_proxy(client_address: str, *, spoofed: str | None = None) -> Client:
    """A browser behind nginx: every request reaches the application from the proxy, which appends the
    client's address to whatever X-Forwarded-For the client sent."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def test_failed_logins_from_one_client_do_not_lock_another_out(world, behind_nginx):
    attacker = through_proxy("203.0.113.66")
    for i in range(5):
        attacker.post(LOGIN, {"username": f"nobody{i}", "password": "wrong-password"})
    assert attacker.post(LOGIN, {"username": "t-bureau", "password": PASSWORD}).status_code == 429
    clerk = through_proxy("203.0.113.7")
    response = clerk.post(LOGIN, {"username": "t-bureau", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    login = AuditLog.objects.get(action="auth.login")
    assert login.ip_address == "203.0.113.7"
    failed = set(AuditLog.objects.filter(action="auth.login_failed").values_list("ip_address", flat=True))
    assert failed == {"203.0.113.66"}


def test_a_client_cannot_escape_its_lockout_by_writing_the_header(world, behind_nginx):
    for i in range(5):
        through_proxy("203.0.113.66", spoofed=f"10.1.1.{i}").post(
            LOGIN, {"username": f"nobody{i}", "password": "wrong-password"}
        )
    again = through_proxy("203.0.113.66", spoofed="10.2.2.2")
    assert again.post(LOGIN, {"username": "t-bureau", "password": PASSWORD}).status_code == 429


def test_without_a_declared_proxy_the_header_is_ignored(world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(5):
        Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"10.1.1.{i}").post(
            LOGIN, {"username": f"nobody{i}", "password": "wrong-password"}
        )
    spoofing = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert spoofing.post(LOGIN, {"username": "t-bureau", "password": PASSWORD}).status_code == 429
    row = AuditLog.objects.filter(action="auth.login_failed").first()
    assert row.ip_address == "198.51.100.9"


def test_every_audit_row_of_a_request_names_the_client(world, behind_nginx):
    clerk = through_proxy("203.0.113.8", spoofed="6.6.6.6")
    clerk.force_login(world.committee_user)
    response = clerk.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditLog.objects.get(action="auth.logout").ip_address == "203.0.113.8"


def test_the_public_verification_limit_counts_per_client(world, behind_nginx, settings):
    settings.VERIFY_RATE_LIMIT = 2
    query = {"s": "ZZ-0000-000000", "c": "ABCDEFGH"}
    first = through_proxy("203.0.113.20")
    codes = [first.get(reverse("verify"), query).status_code for _ in range(3)]
    assert codes[-1] == 429, codes
    assert through_proxy("203.0.113.21").get(reverse("verify"), query).status_code != 429
    assert through_proxy("203.0.113.20", spoofed="10.0.0.1").get(reverse("verify"), query).status_code == 429


def test_the_api_throttle_identifies_the_client_behind_the_proxy(behind_nginx):
    from community_admin.admission.api.throttling import DepartmentTokenThrottle

    throttle = DepartmentTokenThrottle()
    assert throttle.get_ident(request(remote=PROXY, forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"
