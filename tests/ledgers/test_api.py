from datetime import date

from django.urls import reverse

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.core.models import AuditLog
from community_admin.ledgers.models import LedgerEntry
from tests.factories import PersonFactory
from tests.ledgers.test_services import DISPUTE


def _token(world, department, scopes):
    _, key = account_services.api_token_create(
        actor=world.bureau, department=department, name="台账对接", scopes=scopes, days_valid=5
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_owner_department_token_reads_its_books_across_its_committees(world, books, client):
    PersonFactory(
        household__committee=world.committee_a1,
        status="floating",
        residence_permit_number="R1",
        residence_permit_issued_on=date(2025, 3, 1),
    )
    PersonFactory(household__committee=world.committee_b1, status="floating")
    auth = _token(world, world.police, [ApiToken.Scope.LEDGERS_READ])
    listed = client.get(reverse("ledger-book-list"), **auth).json()
    codes = {b["code"] for b in listed["results"]}
    assert "floating_population" in codes and "mz_relief" not in codes
    book = books["floating_population"]
    rows = client.get(reverse("ledger-book-rows", args=[book.pk]), {"committee": "A1"}, **auth).json()
    assert rows["count"] == 1
    row = rows["results"]["rows"][0]
    assert "********" in row[1] and row[-3:] == ["R1", "2025-03-01", ""]  # masked ID number; the permit
    outside = client.get(reverse("ledger-book-rows", args=[book.pk]), {"committee": "B1"}, **auth)
    assert outside.status_code == 400 and "committee" in outside.json()
    hidden = client.get(reverse("ledger-book-detail", args=[books["mz_relief"].pk]), **auth)
    assert hidden.status_code == 404


def test_token_without_the_ledgers_scope_is_refused(world, books, client):
    auth = _token(world, world.police, [ApiToken.Scope.ORG_READ])
    assert client.get(reverse("ledger-book-list"), **auth).status_code == 403


def test_committee_creates_entries_and_gets_field_errors(world, books, login):
    client = login(world.committee_user)
    url = reverse("ledger-entry-list")
    bad = client.post(
        url,
        {"book": "zz_disputes", "data": {**DISPUTE, "kind": "?", "x": 1}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"data"} and set(bad.json()["data"]) == {"kind", "x"}
    assert not LedgerEntry.objects.exists()
    made = client.post(url, {"book": "zz_disputes", "data": DISPUTE}, content_type="application/json")
    assert made.status_code == 201 and made.json()["committee"] == "A1"
    entry = made.json()["id"]
    patched = client.patch(
        reverse("ledger-entry-detail", args=[entry]),
        {"data": {"result": "调解中"}},
        content_type="application/json",
    )
    assert patched.json()["data"]["result"] == "调解中"
    history = client.get(reverse("ledger-entry-history", args=[entry])).json()
    assert [h["action"] for h in history] == ["update", "create"]
    assert client.delete(reverse("ledger-entry-detail", args=[entry])).status_code == 204
    assert client.get(reverse("ledger-entry-detail", args=[entry])).status_code == 404


def test_close_then_reopen_through_the_api(world, books, login):
    committee = login(world.committee_user)
    closed = committee.post(
        reverse("ledger-period-close"), {"book": "zz_disputes"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["closed"]
    period = closed.json()["id"]
    refused = committee.post(
        reverse("ledger-period-reopen", args=[period]), {"reason": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    street = login(world.street_user)
    reopened = street.post(
        reverse("ledger-period-reopen", args=[period]), {"reason": "补录"}, content_type="application/json"
    )
    assert reopened.status_code == 200 and not reopened.json()["closed"]
    assert AuditLog.objects.filter(action="ledger_period.reopen").count() == 1


def test_burden_api(world, books, login):
    rows = login(world.street_user).get(reverse("ledger-burden-list")).json()
    assert {r["committee"] for r in rows} == {"A1", "A2"}
