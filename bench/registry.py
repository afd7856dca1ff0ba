"""Registry benchmark: a page of the person list API and a search by name, against the same SQL run raw
in the same process and database. Prints p50 of each and the ratio (goal: list within 3x of raw SQL).

    python bench/registry.py            # the full-scale PostgreSQL database ca_bench (seed it first:
                                        #   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ca_bench \\
                                        #   python manage.py migrate && ... seed_district --scale full)
"""

import _setup  # noqa: F401  (configures Django)
from _setup import ms, p50, timed
from django.db import connection
from django.test import Client

from community_admin.accounts.models import User
from community_admin.residents.models import Person

REPEAT = 30
PAGE_SIZE = 50


def main() -> None:
    persons = Person.objects.count()
    if persons < 100_000:
        raise SystemExit(
            f"only {persons} persons in {connection.settings_dict['NAME']}: seed --scale full first"
        )
    client = Client()
    client.force_login(User.objects.get(username="bureau"))
    street = User.objects.get(username="street-01")
    street_client = Client()
    street_client.force_login(street)

    cases = [
        ("list, page 1 (bureau, whole district)", client, {"page_size": PAGE_SIZE}, _raw_list(None, None, 0)),
        (
            "list, page 200 (bureau)",
            client,
            {"page_size": PAGE_SIZE, "page": 200},
            _raw_list(None, None, 199 * PAGE_SIZE),
        ),
        (
            "list, page 1 (one street)",
            street_client,
            {"page_size": PAGE_SIZE},
            _raw_list(street.street_id, None, 0),
        ),
        (
            "search name '张' (bureau)",
            client,
            {"page_size": PAGE_SIZE, "name": "张"},
            _raw_list(None, "张", 0),
        ),
        (
            "search name '王建' (one street)",
            street_client,
            {"page_size": PAGE_SIZE, "name": "王建"},
            _raw_list(street.street_id, "王建", 0),
        ),
    ]
    print(
        f"registry: {persons:,} persons on {connection.vendor} ({connection.settings_dict['NAME']}), p50 of {REPEAT}"
    )
    print(f"{'case':<40} {'API':>11} {'raw SQL':>11} {'ratio':>7}")
    worst = 0.0
    for label, who, params, raw in cases:
        api = p50(timed(lambda who=who, params=params: _get(who, params), repeat=REPEAT))
        floor = p50(timed(raw, repeat=REPEAT))
        ratio = api / floor
        worst = max(worst, ratio)
        print(f"{label:<40} {ms(api)} {ms(floor)} {ratio:6.2f}x")
    print(f"worst ratio {worst:.2f}x (goal: within 3x)")
    _import_10k()


def _import_10k() -> None:
    """The 10,000-row import (goal: under 15 s), inside a transaction that is rolled back afterwards."""
    import io
    import time
    from datetime import date

    from django.db import transaction
    from openpyxl import Workbook

    from community_admin.core import idnumbers
    from community_admin.org.models import Committee
    from community_admin.residents import services
    from community_admin.residents.exporters import TEMPLATE_HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(TEMPLATE_HEADERS)
    for i in range(10_000):
        number = idnumbers.make("990101", date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 1000)
        sheet.append(
            [
                f"B{i // 3:05d}",
                f"{i // 300 + 1}号楼{i // 3 % 100 + 1}",
                f"导入{i}",
                number,
                "户主" if i % 3 == 0 else "子女",
                "户籍人口",
                "13800000000",
                "党员" if i % 7 == 0 else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    committee = Committee.objects.order_by("code").first()
    actor = User.objects.get(username=f"committee-{committee.code}")
    buffer.seek(0)
    started = time.perf_counter()
    with transaction.atomic():
        result = services.residents_import(
            actor=actor, committee=committee, file=buffer, file_name="bench.xlsx"
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    assert not result.errors, result.errors[:3]
    print(f"import of 10,000 rows: {elapsed:.1f} s (goal: under 15 s; rolled back)")


def _get(client, params):
    response = client.get("/api/v1/persons/", params)
    assert response.status_code == 200, response.status_code
    return response


def _raw_list(street_id, name_prefix, offset):
    """The same count and page the API runs: active persons in scope, ordered, with household and committee."""
    where = ["p.status IN ('registered', 'resident', 'floating')"]
    args: list = []
    if street_id is not None:
        where.append("p.committee_id IN (SELECT id FROM org_committee WHERE street_id = %s)")
        args.append(street_id)
    if name_prefix:
        where.append("p.name LIKE %s")
        args.append(name_prefix + "%")
    condition = " AND ".join(where)
    count_sql = f"SELECT COUNT(*) FROM residents_person p WHERE {condition}"
    page_sql = (
        "SELECT p.*, h.*, c.* FROM residents_person p "
        "JOIN residents_household h ON h.id = p.household_id JOIN org_committee c ON c.id = p.committee_id "
        f"WHERE {condition} ORDER BY p.committee_id, p.household_id, p.id LIMIT {PAGE_SIZE} OFFSET {offset}"
    )

    def run():
        with connection.cursor() as cursor:
            cursor.execute(count_sql, args)
            cursor.fetchone()
            cursor.execute(page_sql, args)
            cursor.fetchall()

    return run


if __name__ == "__main__":
    main()
