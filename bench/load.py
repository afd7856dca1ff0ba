"""Load benchmark: gunicorn + PostgreSQL at full scale on 127.0.0.1, N concurrent logged-in clients for a fixed
time, a mix of person lists (page and API), name searches, certificate issuance, the district dashboard JSON
and street dashboards (page and JSON). Prints throughput, p50/p95/p99 per kind and overall, and errors.
Goal: no errors; p95 under 300 ms on a 2-core machine. Not run in CI.

    python bench/load.py                               # 50 clients, 60 s, against database ca_load
    python bench/load.py --think 2                     # users who read for 2 s (mean) between clicks
    python bench/load.py --clients 20 --duration 30 --workers 3 --threads 4
    python bench/load.py --url http://127.0.0.1:8000   # a server already running (nothing started)

The database (default postgres://postgres@127.0.0.1:5432/ca_load, or --database-url / LOAD_DATABASE_URL) must
be a full-scale copy it may write to (certificates are issued): restore ca_bench's dump into it, e.g.
`python scripts/pgbackup.py --database-url postgres://postgres@127.0.0.1:5432/ca_bench drill --scratch ca_load
--keep`, or `createdb -T ca_bench ca_load`. The users are the seed's demo accounts (DEMO_PASSWORD).

The server runs with production settings (DEBUG off, a random SECRET_KEY, static files collected into
var/load/static and served by WhiteNoise) except that, on plain http, the secure-cookie settings and the
HTTPS redirect are turned off through their environment variables (SESSION_COOKIE_SECURE=0,
CSRF_COOKIE_SECURE=0, SECURE_SSL_REDIRECT=0, SECURE_HSTS_SECONDS=0): behind the TLS proxy they stay on.

Without --think every client sends its next request as soon as the last one is answered: that measures the
capacity, and by Little's law the latency is then clients / throughput (50 clients at 50 req/s wait ~1 s).
With --think T each client pauses a random time of mean T seconds between requests, as people do.

Every request is timed from sending to the last byte of the body. An error is any exception or any status
other than 2xx/3xx, and also a redirect to the login page (a lost session). Clients log in before the clock
starts. The machine's load average is printed at the start and at the end: it is shared, so say what it was.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ca_load"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
TIER_A_TYPE = "residence"


# Fixtures from the database ------------------------------------------------------------------------------------


def load_fixtures(database_url: str, committees: int, per_committee: int) -> dict:
    """The demo accounts to log in as, and for each committee some active residents to issue certificates to."""
    parts = urlsplit(database_url)
    conn = psycopg2.connect(f"postgresql://{parts.netloc}{parts.path}")
    with conn, conn.cursor() as cur:
        cur.execute(
            """SELECT u.username, u.committee_id FROM accounts_user u
               WHERE u.role = 'committee' AND u.is_active ORDER BY u.username"""
        )
        committee_users = cur.fetchall()
        step = max(1, len(committee_users) // committees)
        committee_users = committee_users[::step][:committees]
        residents = {}
        for _, committee_id in committee_users:
            cur.execute(
                """SELECT id FROM residents_person WHERE committee_id = %s
                   AND status IN ('registered', 'resident', 'floating') ORDER BY id LIMIT %s""",
                [committee_id, per_committee],
            )
            residents[committee_id] = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT u.username, u.street_id FROM accounts_user u WHERE u.role = 'street' AND u.is_active"
        )
        street_users = cur.fetchall()
        cur.execute("SELECT id FROM org_street ORDER BY code")
        streets = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT count(*) FROM residents_person")
        persons = cur.fetchone()[0]
        cur.execute("SELECT 1 FROM certificates_certificatetype WHERE code = %s AND active", [TIER_A_TYPE])
        if cur.fetchone() is None:
            sys.exit(f"certificate type {TIER_A_TYPE} is missing or inactive in this database")
    conn.close()
    if not committee_users or not street_users:
        sys.exit(
            "no demo accounts in this database: seed it (make seed SCALE=full) or restore ca_bench's dump"
        )
    return {
        "committee_users": committee_users,
        "residents": residents,
        "street_users": street_users,
        "streets": streets,
        "persons": persons,
    }


# A client ---------------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection and one session, like one browser tab."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # gunicorn closed an idle keep-alive connection: reconnect once, as a browser would
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def login(self, username: str, password: str) -> None:
        status, _, body = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}")
        form = urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        )
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "login" in headers.get("Location", ""):
            raise RuntimeError(f"login as {username} failed: HTTP {status}")

    def api_headers(self) -> dict:
        return {
            "Accept": "application/json",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Referer": f"http://{self.host}:{self.port}/",
        }


# The mix ----------------------------------------------------------------------------------------------------------


def name_query() -> str:
    return random.choice(SURNAMES) + random.choice(["", "", "明", "华", "丽", "伟"])


def committee_requests(client: Client, ctx: dict):
    """(kind, method, path, body, headers) per request, by weight, for a committee's staff."""
    residents = ctx["residents"]
    page = random.randint(1, 5)
    r = random.random()
    if r < 0.20:
        return "person list page", "GET", f"/residents/persons/?page={page}", None, {}
    if r < 0.40:
        return "person list API", "GET", f"/api/v1/persons/?page={page}", None, client.api_headers()
    if r < 0.55:
        return "name search page", "GET", f"/residents/persons/?{urlencode({'name': name_query()})}", None, {}
    if r < 0.70:
        q = urlencode({"name": name_query()})
        return "name search API", "GET", f"/api/v1/persons/?{q}", None, client.api_headers()
    body = json.dumps(
        {"person": random.choice(residents), "certificate_type": TIER_A_TYPE, "purpose": "压力测试"}
    ).encode()
    headers = client.api_headers() | {"Content-Type": "application/json"}
    return "certificate issue API", "POST", "/api/v1/certificates/", body, headers


def street_requests(client: Client, ctx: dict):
    street = ctx["street"]
    r = random.random()
    if r < 0.30:
        return "street dashboard page", "GET", f"/dashboard/streets/{street}/", None, {}
    if r < 0.60:
        return (
            "street dashboard JSON",
            "GET",
            f"/api/v1/dashboard/streets/{street}/",
            None,
            client.api_headers(),
        )
    if r < 0.80:
        return "person list page", "GET", f"/residents/persons/?page={random.randint(1, 5)}", None, {}
    q = urlencode({"name": name_query()})
    return "name search API", "GET", f"/api/v1/persons/?{q}", None, client.api_headers()


def bureau_requests(client: Client, ctx: dict):
    r = random.random()
    if r < 0.40:
        return "district dashboard JSON", "GET", "/api/v1/dashboard/district/", None, client.api_headers()
    if r < 0.70:
        street = random.choice(ctx["streets"])
        return (
            "street dashboard JSON",
            "GET",
            f"/api/v1/dashboard/streets/{street}/",
            None,
            client.api_headers(),
        )
    if r < 0.85:
        return (
            "street dashboard page",
            "GET",
            f"/dashboard/streets/{random.choice(ctx['streets'])}/",
            None,
            {},
        )
    q = urlencode({"name": name_query()})
    return "name search page", "GET", f"/residents/persons/?{q}", None, {}


MIX = {"committee": committee_requests, "street": street_requests, "bureau": bureau_requests}


def plan_clients(n: int, fixtures: dict) -> list[tuple[str, str, dict]]:
    """60% committee staff, 30% street clerks, 10% the bureau: (role, username, context) per client."""
    plan = []
    committees = fixtures["committee_users"]
    streets = fixtures["street_users"]
    for i in range(n):
        share = i % 10
        if share < 6:
            username, committee_id = committees[i % len(committees)]
            plan.append(("committee", username, {"residents": fixtures["residents"][committee_id]}))
        elif share < 9:
            username, street_id = streets[i % len(streets)]
            plan.append(("street", username, {"street": street_id}))
        else:
            plan.append(("bureau", "bureau", {"streets": fixtures["streets"]}))
    return plan


# Running ------------------------------------------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.timeline: list[
            tuple[float, float, str]
        ] = []  # (sent, seconds since the start; seconds taken; path)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_examples: dict[str, str] = {}

    def add(self, kind: str, path: str, sent_at: float, seconds: float, error: str | None) -> None:
        with self.lock:
            self.samples[kind].append(seconds)
            self.timeline.append((sent_at, seconds, f"{kind}: {path}"))
            if error:
                self.errors[kind] += 1
                self.error_examples.setdefault(kind, error)


def percentile(sorted_samples: list[float], q: float) -> float:
    if not sorted_samples:
        return float("nan")
    index = min(len(sorted_samples) - 1, max(0, round(q / 100 * len(sorted_samples) + 0.5) - 1))
    return sorted_samples[index]


def print_timeline(timeline: list[tuple[float, float, str]], duration: float, window: float = 10) -> None:
    """Requests per window of the run by when they were sent: a slow tail spread evenly is the cost of the
    requests; one bunched in a window is a stall (a burst of clients, a recomputation, the machine)."""
    print(f"\nby when sent ({window:.0f} s windows):  count   p50 ms   p95 ms   max ms")
    for start in range(0, int(duration + window - 1), int(window)):
        s = sorted(t for sent, t, _ in timeline if start <= sent < start + window)
        if s:
            print(
                f"  {start:>4}–{start + int(window):<4} s {len(s):>17} {percentile(s, 50) * 1000:>8.0f} "
                f"{percentile(s, 95) * 1000:>8.0f} {s[-1] * 1000:>8.0f}"
            )
    print("\nthe slowest requests (sent at, ms, what):")
    for sent, taken, what in sorted(timeline, key=lambda row: -row[1])[:10]:
        print(f"  {sent:6.1f} s {taken * 1000:8.0f}  {what}")


def report(results: Results, duration: float, args, load_before, load_after) -> bool:
    print()
    header = f"{'request kind':<26} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    everything = []
    for kind in sorted(results.samples):
        s = sorted(results.samples[kind])
        everything.extend(s)
        print(
            f"{kind:<26} {len(s):>7} {len(s) / duration:>7.1f} {percentile(s, 50) * 1000:>8.0f} "
            f"{percentile(s, 95) * 1000:>8.0f} {percentile(s, 99) * 1000:>8.0f} {results.errors.get(kind, 0):>7}"
        )
    everything.sort()
    errors = sum(results.errors.values())
    print("-" * len(header))
    p95 = percentile(everything, 95)
    print(
        f"{'overall':<26} {len(everything):>7} {len(everything) / duration:>7.1f} "
        f"{percentile(everything, 50) * 1000:>8.0f} {p95 * 1000:>8.0f} "
        f"{percentile(everything, 99) * 1000:>8.0f} {errors:>7}"
    )
    if everything:
        print(f"mean {statistics.fmean(everything) * 1000:.0f} ms, max {everything[-1] * 1000:.0f} ms")
    for kind, example in results.error_examples.items():
        print(f"  first error, {kind}: {example}")
    print_timeline(results.timeline, duration)
    print(
        f"\nload average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} cores"
    )
    ok = errors == 0 and p95 < 0.300
    print(f"goal (no errors, p95 < 300 ms): {'met' if ok else 'NOT met'}")
    return ok


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain http on the loopback: the cookies cannot be Secure and nothing redirects to https.
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE=env.get("CONN_MAX_AGE", "600"),
        STATIC_ROOT=str(ROOT / "var" / "load" / "static"),
        MEDIA_ROOT=str(ROOT / "var" / "load" / "media"),
        LOG_LEVEL="ERROR",
    )
    return env


def start_server(args, env) -> subprocess.Popen:
    python = sys.executable
    if args.collectstatic or not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        print("collectstatic (a few minutes the first time: every file is compressed) ...", flush=True)
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
    command = [
        python,
        "-m",
        "gunicorn",
        "community_admin.config.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--keep-alive",
        "75",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    print("Starting:", " ".join(command[2:]), flush=True)
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def start_scheduler(env) -> subprocess.Popen:
    """A Celery worker with the beat scheduler, as in production (`make worker` + `make beat`): it refreshes the
    dashboards' cached figures before they go stale. Needs REDIS_URL (the broker and the shared cache)."""
    if not env.get("REDIS_URL"):
        sys.exit("--scheduler needs REDIS_URL: the scheduler and the web server must share the cache")
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "community_admin",
        "worker",
        "--beat",
        "--concurrency",
        "1",
        "--loglevel",
        "WARNING",
        "--schedule",
        str(ROOT / "var" / "load" / "celerybeat-schedule"),
    ]
    print("Starting:", " ".join(command[2:]), flush=True)
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--url", help="an already running server (then nothing is started)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "Demo-Password-2026"))
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="mean seconds a client waits between requests (exponential); 0: back to back, the capacity test",
    )
    parser.add_argument(
        "--together",
        action="store_true",
        help="with --think, all clients send their first request at the same moment (a burst)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cold", action="store_true", help="do not warm the dashboards' cache before the clock starts"
    )
    parser.add_argument(
        "--scheduler",
        action="store_true",
        help="also start a Celery worker with the beat scheduler (needs REDIS_URL): the dashboards are refreshed "
        "ahead of their expiry, as in production, instead of by a request",
    )
    parser.add_argument("--collectstatic", action="store_true", help="collect static files even if collected")
    args = parser.parse_args()
    random.seed(args.seed)

    fixtures = load_fixtures(args.database_url, committees=max(1, args.clients), per_committee=300)
    print(
        f"Database {urlsplit(args.database_url).path.lstrip('/')}: {fixtures['persons']} persons; "
        f"{args.clients} clients for {args.duration:.0f} s, think time {args.think:g} s"
    )
    server = scheduler = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname, parts.port or 80
    else:
        host, port = "127.0.0.1", args.port
        env = server_env(args.database_url)
        server = start_server(args, env)
        if args.scheduler:
            scheduler = start_scheduler(env)
    try:
        results, login_errors = Results(), []
        plan = plan_clients(args.clients, fixtures)

        # Log in first (not timed), a few at a time: password hashing is slow on purpose.
        print("Logging in ...", flush=True)
        logins_started = time.monotonic()
        clients = [(role, username, ctx, Client(host, port)) for role, username, ctx in plan]
        login_lock = threading.Semaphore(4)

        def do_login(entry):
            role, username, ctx, client = entry
            with login_lock:
                try:
                    client.login(username, args.password)
                except Exception as exc:
                    login_errors.append(f"{username}: {exc}")
                    client.cookies.clear()

        login_threads = [threading.Thread(target=do_login, args=(c,)) for c in clients]
        for t in login_threads:
            t.start()
        for t in login_threads:
            t.join()
        print(
            f"{len(clients) - len(login_errors)} clients logged in in {time.monotonic() - logins_started:.1f} s"
        )
        for e in login_errors:
            print("  login failed:", e)

        if not args.cold:
            # A server that has been up a while has its dashboards' figures cached (DASHBOARD_CACHE_SECONDS); the
            # first minute after a restart computes each scope once: --cold measures that minute instead.
            warm = next(
                (c for role, _, _, c in clients if role == "bureau" and c.cookies.get("sessionid")), None
            )
            if warm is not None:
                warmed = time.monotonic()
                paths = ["/api/v1/dashboard/district/"] + [
                    f"/api/v1/dashboard/streets/{street}/" for street in fixtures["streets"]
                ]
                for path in paths:
                    warm.request("GET", path, headers=warm.api_headers())
                print(f"Dashboards' cache warmed ({len(paths)} scopes) in {time.monotonic() - warmed:.1f} s")

        load_before = os.getloadavg()
        start_at = time.monotonic() + 1
        clock_zero = time.perf_counter() + 1
        stop_at = start_at + args.duration

        def loop(role, ctx, client):
            if not client.cookies.get("sessionid"):
                return
            while time.monotonic() < start_at:
                time.sleep(0.005)
            make = MIX[role]
            rng = random.Random(f"{args.seed}-{id(client)}")
            if args.think > 0 and not args.together:
                # People do not all click in the same millisecond: each client's first request comes at a
                # random moment of the first think time (with --together all 50 arrive at once, a burst
                # that alone puts the first ~8 % of a 60 s run's requests in a queue).
                time.sleep(rng.uniform(0, args.think))
            while time.monotonic() < stop_at:
                kind, method, path, body, headers = make(client, ctx)
                started = time.perf_counter()
                error = None
                try:
                    status, response_headers, _ = client.request(method, path, body=body, headers=headers)
                    if not 200 <= status < 400:
                        error = f"HTTP {status} {method} {path}"
                    elif status in (301, 302) and "/accounts/login/" in response_headers.get("Location", ""):
                        error = f"redirected to login: {method} {path}"
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc} ({method} {path})"
                results.add(kind, path, started - clock_zero, time.perf_counter() - started, error)
                if args.think > 0:  # a person reading the page before the next click
                    time.sleep(
                        max(
                            0,
                            min(rng.expovariate(1 / args.think), stop_at - time.monotonic(), 10 * args.think),
                        )
                    )

        threads = [
            threading.Thread(target=loop, args=(role, ctx, client)) for role, _, ctx, client in clients
        ]
        for t in threads:
            t.start()
        print(f"Running for {args.duration:.0f} s ...", flush=True)
        for t in threads:
            t.join()
        duration = time.monotonic() - start_at
        load_after = os.getloadavg()
        ok = report(results, duration, args, load_before, load_after)
        return 0 if ok and not login_errors else 1
    finally:
        for process in (scheduler, server):
            if process is not None:
                stop_server(process)


if __name__ == "__main__":
    sys.exit(main())
