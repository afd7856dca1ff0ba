"""Backup, restore and the restore drill (scripts/pgbackup.py) against the PostgreSQL test database: pg_dump
and pg_restore read what the test committed, so this runs in the PostgreSQL pass (skipped on SQLite)."""

import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from community_admin.certificates import services as certificate_services
from community_admin.certificates.models import CertificateType
from community_admin.core.models import AuditLog
from community_admin.residents.models import Person
from tests.factories import HouseholdFactory, PersonFactory, ensure_certificate_whitelist

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pgbackup.py"


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL (the PostgreSQL pass runs this)")
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def small_world(world):
    ensure_certificate_whitelist()
    people = [PersonFactory(household__committee=world.committee_a1) for _ in range(30)]
    people += [PersonFactory(household__committee=world.committee_b1) for _ in range(10)]
    certificate_services.certificate_issue(
        actor=world.committee_user,
        person=people[0],
        certificate_type=CertificateType.objects.get(code="residence"),
    )
    assert AuditLog.objects.exists()  # the append-only table is part of what is restored
    HouseholdFactory(committee=world.committee_b1, number="B1-EMPTY")
    return people


def run(database_url, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def scratch_name() -> str:
    return f"{connection.settings_dict['NAME']}_drill_{uuid.uuid4().hex[:8]}"


def drop(database_url, name):
    conn = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def exists(database_url, name) -> bool:
    conn = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cur.fetchone() is not None
    conn.close()
    return found


def test_the_drill_restores_every_table_identically_and_drops_its_scratch_database(database_url, small_world):
    scratch = scratch_name()
    result = run(database_url, "drill", "--scratch", scratch)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    persons = Person.objects.count()
    for table in ("residents_person", "residents_household", "certificates_certificate", "core_auditlog"):
        assert lines[table].endswith(" ok")
    assert lines["residents_person"].split()[1:3] == [str(persons), str(persons)]
    assert "RESTORE DRILL PASSED" in result.stdout
    assert not exists(database_url, scratch)


def test_backup_then_restore_refuses_a_database_with_tables_and_fills_an_empty_one(
    database_url, small_world, tmp_path
):
    result = run(database_url, "backup", "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    dump = Path(result.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith(connection.settings_dict["NAME"] + "-")
    assert dump.read_bytes()[:5] == b"PGDMP"

    refused = run(database_url, "restore", str(dump))  # into the test database itself, which has tables
    assert refused.returncode == 2
    assert "not empty" in refused.stderr and "FORCE=1" in refused.stderr
    assert Person.objects.count() == len(small_world)

    target = scratch_name()
    try:
        restored = run(database_url, "restore", str(dump), "--target", target)
        assert restored.returncode == 0, restored.stderr
        compared = run(database_url, "compare", connection.settings_dict["NAME"], target)
        assert compared.returncode == 0, compared.stdout
        assert "DIFFERENT" not in compared.stdout and " ok\n" in compared.stdout

        copy = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/" + target)
        copy.autocommit = True
        with copy.cursor() as cur:
            # The audit log's append-only trigger came back with the data.
            with pytest.raises(psycopg2.errors.RaiseException, match="append-only"):
                cur.execute("DELETE FROM core_auditlog")
            # A copy that differs is reported table by table: a changed row, a missing row.
            cur.execute("UPDATE residents_person SET name = name || '改' WHERE id = %s", [small_world[3].pk])
            cur.execute("DELETE FROM residents_household WHERE number = 'B1-EMPTY'")
        copy.close()
        compared = run(database_url, "compare", connection.settings_dict["NAME"], target)
        assert compared.returncode == 1
        different = {line.split()[0]: line for line in compared.stdout.splitlines() if "DIFFERENT" in line}
        assert set(different) == {"residents_person", "residents_household"}
        assert "checksum" in different["residents_person"] and "row count" in different["residents_household"]
    finally:
        drop(database_url, target)

    not_a_dump = tmp_path / "notes.dump"
    not_a_dump.write_text("hello")
    bad = run(database_url, "restore", str(not_a_dump), "--target", target)
    assert bad.returncode == 2 and "not a pg_dump custom-format archive" in bad.stderr
    assert not exists(database_url, target)
