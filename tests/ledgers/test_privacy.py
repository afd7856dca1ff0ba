"""The derived books show no full ID number, not even inside the disability certificate (the holder's ID number
followed by category and level) or a residence permit numbered by the ID: their page, their API (session and the
owning department's token), their export and the district job, each scanned (tests/leaks.py)."""

import pytest
from django.urls import reverse

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.jobs import services as job_services
from community_admin.jobs.models import Job
from community_admin.ledgers.jobs import BOOK_EXPORT
from tests.factories import PersonFactory
from tests.leaks import assert_no_full_id, xlsx_text


@pytest.fixture
def people(world):
    disabled = [
        PersonFactory(household__committee=c, disability_level=level)
        for c, level in ((world.committee_a1, 1), (world.committee_b1, 3))
    ]
    for person in disabled:
        person.disability_certificate = f"{person.id_number}4{person.disability_level}"
        person.save(update_fields=["disability_certificate"])
    floating = PersonFactory(household__committee=world.committee_a1, status="floating")
    floating.residence_permit_number = floating.id_number
    floating.save(update_fields=["residence_permit_number"])
    return [*disabled, floating]


def _token(world, department):
    _, key = account_services.api_token_create(
        actor=world.bureau,
        department=department,
        name="台账对接",
        scopes=[ApiToken.Scope.LEDGERS_READ],
        days_valid=5,
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _shown(client, book, **auth) -> list[str]:
    """The book's page, its rows through the API and its export, for committee A1."""
    page = client.get(reverse("ledgers:book-detail", args=[book.pk]), {"committee": "A1"}, **auth)
    rows = client.get(reverse("ledger-book-rows", args=[book.pk]), {"committee": "A1"}, **auth)
    export = client.get(reverse("ledgers:book-export", args=[book.pk]), {"committee": "A1"}, **auth)
    shown = [r for r in (page, rows) if r.status_code == 200]
    texts = [r.content.decode() for r in shown]
    if export.status_code == 200:
        texts.append(xlsx_text(b"".join(export.streaming_content)))
    return texts


def test_the_disabled_persons_book_masks_the_certificate(world, books, login, people, disability_user):
    book = books["disabled_persons"]
    for user in (world.committee_user, world.street_user, world.bureau, disability_user):
        texts = _shown(login(user), book)
        assert len(texts) == 3, f"{user} does not read the book"
        for text in texts:
            assert_no_full_id(text, people, where=f"{book.code} as {user}")
            assert f"{people[0].id_number_masked}41" in text  # masked, category and level kept
    rows = login(disability_user).get(reverse("ledger-book-rows", args=[book.pk]), {"committee": "A1"}).json()
    assert rows["results"]["rows"][0][-2:] == [f"{people[0].id_number_masked}41", 1]


def test_the_owning_departments_token_reads_it_masked(world, books, client, people, disability_user):
    book = books["disabled_persons"]
    rows = client.get(
        reverse("ledger-book-rows", args=[book.pk]),
        {"committee": "A1"},
        **_token(world, disability_user.department),
    )
    assert rows.status_code == 200 and rows.json()["count"] == 1
    assert_no_full_id(rows.content.decode(), people, where="the 残联 token")


def test_the_floating_population_book_masks_a_permit_numbered_by_the_id(world, books, login, client, people):
    book = books["floating_population"]
    texts = [*_shown(login(world.department_user), book)]
    texts.append(
        client.get(
            reverse("ledger-book-rows", args=[book.pk]), {"committee": "A1"}, **_token(world, world.police)
        ).content.decode()
    )
    assert len(texts) == 4  # the police account's page, rows and export; its token's rows
    for text in texts:
        assert_no_full_id(text, people, where="the floating population book")
        assert people[-1].id_number_masked in text


def test_the_district_job_masks_the_certificate(
    world, books, login, people, disability_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = job_services.job_start(
            actor=disability_user, kind=BOOK_EXPORT, params={"book": "disabled_persons"}
        )
    job = Job.objects.get(pk=started.job.pk)
    assert job.state == Job.State.DONE, job.error
    response = login(disability_user).get(reverse("jobs:download", args=[job.pk]))
    text = xlsx_text(b"".join(response.streaming_content))
    assert_no_full_id(text, people, where="the district job")
    assert f"{people[0].id_number_masked}41" in text and f"{people[1].id_number_masked}43" in text
