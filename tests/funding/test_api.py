from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community_admin.funding.models import AllocationRun
from tests.funding.factories import REPORT_COSTS, funding_objects

API = "/api/v1/funding"


def test_policy_create_and_run_via_api(world, login):
    client = login(world.bureau)
    payload = {
        "year": 2032,
        "name": "API",
        "source": "测试",
        "base_amount": "10000",
        "per_household_beyond": "11",
        "village_converted_pool": "200000",
        "large_centre_extra": "0",
        "adopt": True,
        "typical_costs": {k.value: str(v) for k, v in REPORT_COSTS.items()},
    }
    response = client.post(f"{API}/policies/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["typical_total"] == "24500.00"
    bad = client.post(
        f"{API}/policies/", {**payload, "typical_costs": {"phone": "1"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and "typical_costs" in bad.json()
    run = client.post(f"{API}/runs/", {"year": 2032}, content_type="application/json")
    assert run.status_code == 201
    assert Decimal(run.json()["total"]) == AllocationRun.objects.get(year=2032).total
    close = client.post(f"{API}/runs/{run.json()['id']}/close/")
    assert close.json()["status"] == "closed"
    again = client.post(f"{API}/runs/", {"year": 2032}, content_type="application/json")
    assert again.status_code == 400 and "year" in again.json()


def test_lists_are_scoped(world, login):
    objects = funding_objects(world)
    codes = {
        r["committee_code"] for r in login(world.street_user).get(f"{API}/allocations/").json()["results"]
    }
    assert codes == {"A1", "A2"}
    rows = login(world.committee_user).get(f"{API}/disbursements/").json()["results"]
    assert [r["committee_code"] for r in rows] == ["A1"]
    flags = login(world.committee_user).get(f"{API}/flags/", {"year": objects.run.year}).json()
    assert {f["committee_code"] for f in flags} == {"A1"} and flags[0]["kind"] == "delayed"


def test_committee_records_expenditure_via_api(world, login):
    funding_objects(world)
    client = login(world.committee_user)
    receipt = SimpleUploadedFile("r.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    response = client.post(
        f"{API}/expenditures/",
        {
            "spent_on": timezone.localdate().isoformat(),
            "category": "newspapers",
            "amount": "300",
            "description": "订报",
            "receipt": receipt,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["committee_code"] == "A1"


def test_a_bad_year_answers_the_one_error_shape(world, login):
    response = login(world.bureau).get(f"{API}/allocations/", {"year": "二〇二五"})
    assert response.status_code == 400 and list(response.json()) == ["year"]
