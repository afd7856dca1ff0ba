"""Retries of one submission under real concurrency: threads, each with its own connection, send the same
Idempotency-Key at once; every answer is the first one and one task exists (SQLite and PostgreSQL)."""

import sqlite3
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.test import Client

from community_admin.admission.models import IdempotencyKey, Task
from community_admin.admission.services import submission
from tests.admission.test_api import body, post

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


@pytest.fixture
def race_database(tmp_path):
    """count(model, **filters) -> rows, read where the threads wrote.

    SQLite's in-memory test database is shared between threads with table locks that refuse a second
    connection at once, where production's file (WAL, busy timeout) makes it wait; so on SQLite the threads
    run on a file copy of the test database, as production does. PostgreSQL runs on the test database."""
    if connection.vendor != "sqlite":
        yield lambda model, **filters: model.objects.filter(**filters).count()
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]  # what each new thread's connection is built from
    name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)

    def count(model, **filters):
        query, params = model.objects.filter(**filters).query.sql_with_params()
        db = sqlite3.connect(path)
        try:
            sql = f"SELECT COUNT(*) FROM ({query})".replace("%s", "?")  # Django writes %s
            return db.execute(sql, params).fetchone()[0]
        finally:
            db.close()

    yield count
    settings_dict["NAME"] = name


def test_concurrent_retries_with_one_key_all_get_the_first_answer(
    world, items, task_token, race_database, monkeypatch
):
    _, key = task_token
    submit = submission.task_submit
    slowed = []

    def slow_submit(**kwargs):  # the first request holds its transaction open while the retries arrive
        slowed.append(True)
        time.sleep(0.3)
        return submit(**kwargs)

    monkeypatch.setattr(submission, "task_submit", slow_submit)
    data = body()
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, dict, str]] = []
    errors: list[BaseException] = []

    def retry():
        try:
            barrier.wait(timeout=30)
            response = post(Client(), key, data, key="retry-under-load")
            answers.append((response.status_code, response.json(), response["Idempotent-Replayed"]))
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(answers) == THREADS
    assert {status for status, _, _ in answers} == {201}, [a[:2] for a in answers]
    assert all(answer == answers[0][1] for _, answer, _ in answers)
    assert sorted(replayed for _, _, replayed in answers) == ["false"] + ["true"] * (THREADS - 1)
    assert slowed  # the patch took: the submission ran through it
    assert race_database(Task) == 1
    assert race_database(IdempotencyKey, key="retry-under-load") == 1
