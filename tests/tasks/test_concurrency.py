"""Retries of one submission under real concurrency: threads, each with its own connection, send the same
Idempotency-Key at once; every answer is the first one and one task exists (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from community_admin.tasks.models import IdempotencyKey, Task
from tests.tasks.test_api import body, post

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_concurrent_retries_with_one_key_all_get_the_first_answer(world, items, task_token):
    _, key = task_token
    # The token's first use writes its last-use time; done before the race (it is not what is tested, and
    # the in-memory test database refuses concurrent writers outright, where a file waits its turn).
    assert post(Client(), key, body(title="预热"), key="warm-up").status_code == 201
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
    assert Task.objects.filter(title=data["title"]).count() == 1
    assert IdempotencyKey.objects.filter(key="retry-under-load").count() == 1
