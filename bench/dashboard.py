"""Dashboard benchmark: the district dashboard JSON at full scale against two floors measured in the same run:
- the core aggregates written by hand in raw SQL (registry counts per committee, committees, service centres);
- every statement the dashboard sends (every section: staff, tasks, funding, certificates, ledgers, services'
  balance and its load counters), captured from one request and replayed as raw SQL through one cursor: what
  the database alone costs for the whole page, without Django, DRF or the JSON.
Goal: within 3x of the floor.

    python bench/dashboard.py           # the full-scale PostgreSQL database ca_bench (see bench/registry.py)
"""

import os

os.environ["DASHBOARD_CACHE_SECONDS"] = (
    "0"  # measure the computation; the cache's hit is measured apart below
)

import _setup  # noqa: E402, F401  (configures Django)
from _setup import ms, p50, timed  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from community_admin.accounts.models import User  # noqa: E402

REPEAT = 15
FLOOR_SQL = [
    """SELECT committee_id, COUNT(DISTINCT household_id), COUNT(*) FILTER (WHERE status IN ('registered','resident')),
       COUNT(*) FILTER (WHERE status = 'floating') FROM residents_person
       WHERE status IN ('registered','resident','floating') GROUP BY committee_id""",
    "SELECT c.*, s.* FROM org_committee c JOIN org_street s ON s.id = c.street_id ORDER BY s.code, c.code",
    """SELECT COUNT(*) FILTER (WHERE level = 'street'), COUNT(*) FILTER (WHERE level = 'committee'),
       COUNT(*) FILTER (WHERE area_m2 >= 1000), COUNT(*) FILTER (WHERE area_m2 >= 500),
       COUNT(*) FILTER (WHERE boutique), COUNT(*) FILTER (WHERE demonstration_passed) FROM org_servicecentre""",
    "SELECT * FROM org_street ORDER BY code",
    "SELECT * FROM org_officeareanorm",
]


def floor() -> None:
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql)
            cursor.fetchall()


def main() -> None:
    client = Client()
    client.force_login(User.objects.get(username="bureau"))

    def dashboard():
        response = client.get("/api/v1/dashboard/district/")
        assert response.status_code == 200
        return response.json()

    with CaptureQueriesContext(connection) as captured:
        figures = dashboard()
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
    ]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    print(
        f"dashboard on {connection.vendor} ({connection.settings_dict['NAME']}): {figures['committees']} committees, "
        f"{figures['households']:,} households, {figures['resident_population']:,} residents, "
        f"{figures['floating_population']:,} floating; p50 of {REPEAT}"
    )
    api = p50(timed(dashboard, repeat=REPEAT))
    raw = p50(timed(floor, repeat=REPEAT))
    same = p50(timed(replay, repeat=REPEAT))
    print(f"district dashboard JSON {ms(api)}  ({len(captured.captured_queries)} queries)")
    print(f"  core aggregates by hand {ms(raw)}   ratio {api / raw:.2f}x (goal: within 3x)")
    print(f"  its {len(statements)} statements replayed {ms(same)}   ratio {api / same:.2f}x")
    with override_settings(DASHBOARD_CACHE_SECONDS=60):
        cache.clear()
        dashboard()
        hit = p50(timed(dashboard, repeat=REPEAT))
    print(f"with DASHBOARD_CACHE_SECONDS=60, a cached answer {ms(hit)}")


if __name__ == "__main__":
    main()
