"""Every query parameter an endpoint reads is declared, so the schema documents it, and a value it cannot
read is a 400 naming it (core/api_query.py for the endpoints' own parameters, FilterSets for the lists)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

READ = {
    "/api/v1/ledger-burden/": {"year"},
    "/api/v1/service-balance/": {"year", "month"},
    "/api/v1/staff/workers/": {"post", "status", "education", "sex", "q"},
    "/api/v1/staff/evaluations/": {"year"},
    "/api/v1/staff/retirement/": {"months"},
    "/api/v1/funding/allocations/": {"year"},
    "/api/v1/funding/disbursements/": {"year"},
    "/api/v1/funding/expenditures/": {"year"},
    "/api/v1/funding/flags/": {"year"},
    "/api/v1/certificates/": {"q", "status", "tier", "year"},
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("path", READ)
def test_the_schema_declares_what_the_endpoint_reads(schema, path):
    declared = {p["name"] for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}
    assert READ[path] <= declared, READ[path] - declared


@pytest.mark.parametrize("path", READ)
def test_a_value_it_cannot_read_is_a_400_naming_it(world, login, path):
    name = next(n for n in sorted(READ[path]) if n not in {"q"})
    response = login(world.bureau).get(path, {name: "无法读取"})
    assert response.status_code == 400, (path, name)
    assert name in response.json(), response.json()
