"""The client's address, behind as many trusted reverse proxies as settings.TRUSTED_PROXY_COUNT says.

With 0 (the default: the application is reached directly) it is `REMOTE_ADDR`. Behind nginx, `REMOTE_ADDR` is
nginx for every request, so five wrong passwords from anyone would lock the proxy — everyone — out. Each
trusted proxy appends the address it saw to `X-Forwarded-For` (nginx: `proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for;`), so with N trusted proxies the client is the N-th entry from the right; whatever a
client wrote into the header itself sits to the left of that and is ignored. A header shorter than N or an entry
that is not an address means the proxies are not set up as declared: `REMOTE_ADDR` is used then, never a value
the client chose.

Used by the login lockout (django-axes: AXES_CLIENT_IP_CALLABLE), the audit rows, the public verification's
rate limit and the API's throttles."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
