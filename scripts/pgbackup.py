#!/usr/bin/env python3
"""Backup, restore and the restore drill for the PostgreSQL database (README, "Backup and restore").

    pgbackup.py backup  [--database-url URL] [--dir var/backups]
    pgbackup.py restore FILE [--database-url URL] [--target DBNAME] [--force]
    pgbackup.py drill   [--database-url URL] [--keep] [--scratch DBNAME]
    pgbackup.py compare SOURCE_DB TARGET_DB [--database-url URL]

The database is DATABASE_URL's (from the environment or .env, as the settings read it) unless --database-url
is given. `backup` writes `pg_dump -Fc` to var/backups/<db>-<timestamp>.dump and prints the path. `restore`
loads a dump with `pg_restore --single-transaction --no-owner` into the target database (created when
missing), then ANALYZE; a database that holds any table is refused unless --force, which drops and
re-creates it.
`drill` dumps the database, restores the dump into a scratch database, compares every table's row count and
checksum on both sides, prints the comparison, drops the scratch database (unless --keep) and exits 1 on any
difference. The dump and the source side of the comparison read one snapshot, so a live database compares
cleanly. Needs pg_dump and pg_restore (postgresql-client) on PATH; stdlib and psycopg2 only (no Django).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
BACKUP_DIR = ROOT / "var" / "backups"
DUMP_MAGIC = b"PGDMP"


class Refused(Exception):
    """An operation refused with a message for the operator; exit status 2."""


# Connection ------------------------------------------------------------------------------------------------


def database_url(given: str | None) -> str:
    url = given or os.environ.get("DATABASE_URL") or _dotenv_value("DATABASE_URL")
    if not url:
        raise Refused("DATABASE_URL is not set (environment or .env): nothing to back up or restore.")
    scheme = urlsplit(url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise Refused(
            f"DATABASE_URL is {scheme}://, not PostgreSQL. Backups here are for PostgreSQL; "
            "an SQLite demo database is one file (var/db.sqlite3): copy it."
        )
    if not db_name(url):
        raise Refused("DATABASE_URL names no database.")
    return url


def _dotenv_value(key: str) -> str:
    path = ROOT / ".env"
    if not path.exists():
        return ""
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.strip().removeprefix("export ").strip() == key:
            return value.strip().strip("'\"")
    return ""


def db_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


def with_db(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/" + name, parts.query, ""))


def libpq_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def connect(url: str):
    return psycopg2.connect(libpq_url(url))


@contextmanager
def cursor(url: str, *, snapshot_reads: bool = False):
    """A cursor on its own connection, closed afterwards (psycopg2's `with conn` only ends the transaction)."""
    conn = connect(url)
    try:
        if snapshot_reads:
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cur:
            yield cur
        conn.rollback()
    finally:
        conn.close()


def _maintenance(url: str):
    conn = connect(with_db(url, "postgres"))
    conn.autocommit = True
    return conn


def database_exists(url: str, name: str) -> bool:
    conn = _maintenance(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cur.fetchone() is not None
    finally:
        conn.close()


def relation_count(url: str) -> int:
    """Tables, views and sequences outside the system schemas: 0 means an empty database."""
    with cursor(url) as cur:
        cur.execute(
            """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'"""
        )
        return cur.fetchone()[0]


def create_database(url: str, name: str) -> None:
    conn = _maintenance(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    finally:
        conn.close()


def drop_database(url: str, name: str) -> None:
    conn = _maintenance(url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
            )
            others = cur.fetchone()[0]
            if others:
                raise Refused(f"database {name} has {others} other connection(s): stop them first.")
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def _run(command: list[str]) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise Refused(f"{tool} is not installed: apt-get install postgresql-client")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"{tool} failed (exit {result.returncode}):\n{result.stderr.strip()}")


# Backup and restore ------------------------------------------------------------------------------------------


def dump(url: str, path: Path, *, snapshot: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    command = ["pg_dump", "--format=custom", f"--file={path}", f"--dbname={libpq_url(url)}"]
    if snapshot:
        command.append(f"--snapshot={snapshot}")
    _run(command)
    return path


def backup(url: str, directory: Path = BACKUP_DIR) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return dump(url, directory / f"{db_name(url)}-{stamp}.dump")


def check_dump_file(path: Path) -> None:
    if not path.is_file():
        raise Refused(f"no such file: {path}")
    with path.open("rb") as f:
        if f.read(len(DUMP_MAGIC)) != DUMP_MAGIC:
            raise Refused(f"{path} is not a pg_dump custom-format archive (made by `make backup`).")


def restore(
    url: str, path: Path, *, target: str | None = None, force: bool = False, analyze: bool = True
) -> str:
    """Restore the dump into `target` (default: DATABASE_URL's database); returns the database's name."""
    check_dump_file(path)
    target = target or db_name(url)
    if database_exists(url, target):
        tables = relation_count(with_db(url, target))
        if tables and not force:
            raise Refused(
                f"database {target} is not empty ({tables} tables, views or sequences): refusing to overwrite "
                "it. Restore into another database (TARGET=name), or set FORCE=1 to drop and re-create it."
            )
        if tables:
            drop_database(url, target)
            create_database(url, target)
    else:
        create_database(url, target)
    _run(
        [
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={libpq_url(with_db(url, target))}",
            str(path),
        ]
    )
    # A dump carries no planner statistics: without them the first queries plan badly until autovacuum runs.
    if analyze:
        conn = connect(with_db(url, target))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("ANALYZE")
        finally:
            conn.close()
    return target


# Comparison ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


TABLES_SQL = """
SELECT c.relname,
       coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord)
                   FROM pg_index i
                   CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  WHERE i.indrelid = c.oid AND i.indisprimary), '{}')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
 ORDER BY c.relname
"""


def table_keys(cur) -> dict[str, list[str]]:
    cur.execute(TABLES_SQL)
    return {name: list(keys) for name, keys in cur.fetchall()}


def table_sum(cur, table: str, keys: list[str]) -> TableSum:
    """Row count and the md5 of the rows' md5s in primary-key order (whole-row text when there is none)."""
    order = (
        sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(k)) for k in keys)
        if keys
        else sql.SQL("t::text")
    )
    query = sql.SQL(
        "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY {order})), '') FROM {table} t"
    ).format(order=order, table=sql.Identifier(table))
    cur.execute(query)
    rows, checksum = cur.fetchone()
    return TableSum(rows, checksum)


def sums(cur, keys: dict[str, list[str]]) -> dict[str, TableSum]:
    return {table: table_sum(cur, table, k) for table, k in keys.items()}


@dataclass(frozen=True)
class Row:
    table: str
    source: TableSum | None
    copy: TableSum | None

    @property
    def ok(self) -> bool:
        return self.source is not None and self.source == self.copy


def compare_sums(source: dict[str, TableSum], copy: dict[str, TableSum]) -> list[Row]:
    return [Row(t, source.get(t), copy.get(t)) for t in sorted(source.keys() | copy.keys())]


def print_rows(rows: list[Row], out=sys.stdout) -> None:
    width = max([len(r.table) for r in rows] + [5])
    print(f"{'table':<{width}}  {'rows':>10}  {'restored':>10}  {'checksum':<32}  result", file=out)
    for r in rows:
        src_rows = "missing" if r.source is None else str(r.source.rows)
        copy_rows = "missing" if r.copy is None else str(r.copy.rows)
        checksum = (r.source or r.copy).checksum or "(empty)"
        if r.ok:
            verdict = "ok"
        elif r.source is None or r.copy is None:
            verdict = "DIFFERENT (table missing on one side)"
        elif r.source.rows != r.copy.rows:
            verdict = "DIFFERENT (row count)"
        else:
            verdict = f"DIFFERENT (checksum {r.copy.checksum})"
        print(f"{r.table:<{width}}  {src_rows:>10}  {copy_rows:>10}  {checksum:<32}  {verdict}", file=out)


def compare_databases(url: str, source: str, copy: str) -> list[Row]:
    """Both sides in parallel, each in one repeatable-read transaction."""
    results: dict[str, dict[str, TableSum]] = {}
    errors: list[BaseException] = []

    def side(name: str) -> None:
        try:
            with cursor(with_db(url, name), snapshot_reads=True) as cur:
                results[name] = sums(cur, table_keys(cur))
        except BaseException as exc:  # re-raised below, in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=side, args=(n,)) for n in (source, copy)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return compare_sums(results[source], results[copy])


def drill(url: str, *, keep: bool = False, scratch: str | None = None, out=sys.stdout) -> bool:
    source = db_name(url)
    scratch = scratch or f"{source}_drill_{datetime.now():%Y%m%d%H%M%S}"
    if database_exists(url, scratch):
        raise Refused(f"scratch database {scratch} exists already: drop it or name another (--scratch).")
    timings: dict[str, float] = {}
    workdir = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    # One snapshot for the dump and the source side of the comparison: writes made meanwhile are in neither.
    holder = connect(url)
    holder.set_session(isolation_level="REPEATABLE READ", readonly=True)
    created = False
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            print(f"Dumping {source} ...", file=out, flush=True)
            started = time.perf_counter()
            path = dump(url, workdir / f"{source}.dump", snapshot=snapshot)
            timings["dump"] = time.perf_counter() - started
            size = path.stat().st_size

            print(f"Restoring into scratch database {scratch} ...", file=out, flush=True)
            started = time.perf_counter()
            created = True
            restore(url, path, target=scratch)
            timings["restore"] = time.perf_counter() - started

            print("Comparing row counts and checksums ...", file=out, flush=True)
            started = time.perf_counter()
            copy_sums: dict[str, TableSum] = {}
            errors: list[BaseException] = []

            def copy_side() -> None:
                try:
                    with cursor(with_db(url, scratch)) as ccur:
                        copy_sums.update(sums(ccur, table_keys(ccur)))
                except BaseException as exc:
                    errors.append(exc)

            thread = threading.Thread(target=copy_side)
            thread.start()
            source_sums = sums(cur, table_keys(cur))
            thread.join()
            if errors:
                raise errors[0]
            timings["compare"] = time.perf_counter() - started
        holder.rollback()
    finally:
        holder.close()
        shutil.rmtree(workdir, ignore_errors=True)
        if created and not keep:
            drop_database(url, scratch)

    rows = compare_sums(source_sums, copy_sums)
    print(file=out)
    print_rows(rows, out=out)
    different = [r.table for r in rows if not r.ok]
    print(file=out)
    print(
        f"dump {timings['dump']:.1f} s ({size / 1e6:.1f} MB), restore {timings['restore']:.1f} s, "
        f"compare {timings['compare']:.1f} s; {len(rows)} tables, {sum(r.source.rows for r in rows if r.source)} rows",
        file=out,
    )
    print(f"Scratch database {scratch} {'kept' if keep else 'dropped'}.", file=out)
    if different:
        print(f"RESTORE DRILL FAILED: {len(different)} table(s) differ: {', '.join(different)}", file=out)
        return False
    print("RESTORE DRILL PASSED: every table has the same rows and checksum.", file=out)
    return True


# Command line --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: DATABASE_URL from the environment or .env")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("backup", help="pg_dump -Fc into var/backups/<db>-<timestamp>.dump")
    p.add_argument("--dir", type=Path, default=BACKUP_DIR)
    p = commands.add_parser("restore", help="pg_restore a dump into a database")
    p.add_argument("file", type=Path)
    p.add_argument("--target", help="database to restore into (default: DATABASE_URL's)")
    p.add_argument("--force", action="store_true", help="drop and re-create a non-empty target")
    p = commands.add_parser("drill", help="dump, restore into a scratch database, compare every table")
    p.add_argument("--keep", action="store_true", help="keep the scratch database")
    p.add_argument("--scratch", help="scratch database name (default: <db>_drill_<timestamp>)")
    p = commands.add_parser("compare", help="compare two databases' tables (counts and checksums)")
    p.add_argument("source")
    p.add_argument("copy")
    args = parser.parse_args(argv)
    try:
        url = database_url(args.database_url)
        if args.command == "backup":
            started = time.perf_counter()
            path = backup(url, args.dir)
            print(f"Backed up {db_name(url)} in {time.perf_counter() - started:.1f} s to:", file=sys.stderr)
            print(path)
            return 0
        if args.command == "restore":
            started = time.perf_counter()
            target = restore(url, args.file, target=args.target, force=args.force)
            print(f"Restored {args.file} into database {target} in {time.perf_counter() - started:.1f} s.")
            return 0
        if args.command == "drill":
            return 0 if drill(url, keep=args.keep, scratch=args.scratch) else 1
        rows = compare_databases(url, args.source, args.copy)
        print_rows(rows)
        return 0 if all(r.ok for r in rows) else 1
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except psycopg2.Error as exc:
        print(f"error: PostgreSQL: {str(exc).strip()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
