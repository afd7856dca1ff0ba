"""The demo district is built by one command, `seed_district`, from parts: each app may have a
`seed` module with `run(ctx)`; the parts run in INSTALLED_APPS order, so lower layers come first.
Each part must be safe to run again (it skips what is already there)."""

import random
from dataclasses import dataclass, field
from importlib import import_module
from typing import TextIO

from django.apps import apps


@dataclass
class SeedContext:
    scale: str
    seed: int
    stdout: TextIO
    stderr: TextIO
    password: str
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, what it is)

    def rng(self, part: str) -> random.Random:
        """A generator of its own per part, so adding a part never changes another's data."""
        return random.Random(f"{self.seed}:{part}")

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")


def app_modules(name: str) -> list[tuple[str, object]]:
    """(label, module) of every installed app that has a module `name` (`seed`, `reference`), in INSTALLED_APPS
    order, so lower layers come first."""
    parts = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        parts.append((config.label, module))
    return parts


def seed_parts() -> list[tuple[str, object]]:
    return app_modules("seed")


def bulk_insert(model, fields: list[str], rows, *, batch_size: int = 20_000) -> int:
    """Insert many rows fast, bypassing the ORM: COPY on PostgreSQL, executemany elsewhere. `rows` yields
    tuples in the order of `fields` (model field names; an explicit `id` is allowed). Sequences are reset
    afterwards. For generated demo data only: no validation, no signals."""
    from django.core.management.color import no_style
    from django.db import connection

    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    total = 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Index pages stay in memory while the rows go in (random keys such as ID numbers otherwise thrash).
            cursor.execute("PRAGMA cache_size = -400000")
        batch: list[tuple] = []

        def flush():
            nonlocal total
            if not batch:
                return
            if connection.vendor == "postgresql":
                _copy(cursor, table, quoted, batch)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})",
                    batch,
                )
            total += len(batch)
            batch.clear()

        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        flush()
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
        # Fresh statistics, or the planner keeps treating a table of a million rows as empty.
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return total


def _copy(cursor, table: str, quoted_columns: str, batch: list[tuple]) -> None:
    import csv
    import io
    from datetime import date, datetime

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in batch:
        writer.writerow(
            [
                "\\N"
                if v is None
                else (
                    "t"
                    if v is True
                    else "f"
                    if v is False
                    else v.isoformat()
                    if isinstance(v, date | datetime)
                    else v
                )
                for v in row
            ]
        )
    buffer.seek(0)
    raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
    raw.copy_expert(f"COPY {table} ({quoted_columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
