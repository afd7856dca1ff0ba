"""Dashboard benchmark: the district dashboard JSON at full scale against the floor — the same aggregates
in raw SQL in the same run (registry counts per committee, committees by kind, service centres).
Goal: within 3x of the floor.

    python bench/dashboard.py           # the full-scale PostgreSQL database ca_bench (see bench/registry.py)
"""

import _setup  # noqa: F401  (configures Django)
from _setup import ms, p50, timed
from django.db import connection
from django.test import Client

from community_admin.accounts.models import User

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

    figures = dashboard()
    print(
        f"dashboard on {connection.vendor} ({connection.settings_dict['NAME']}): {figures['committees']} committees, "
        f"{figures['households']:,} households, {figures['resident_population']:,} residents, "
        f"{figures['floating_population']:,} floating; p50 of {REPEAT}"
    )
    api = p50(timed(dashboard, repeat=REPEAT))
    raw = p50(timed(floor, repeat=REPEAT))
    print(
        f"district dashboard JSON {ms(api)}   raw SQL floor {ms(raw)}   ratio {api / raw:.2f}x (goal: within 3x)"
    )


if __name__ == "__main__":
    main()
