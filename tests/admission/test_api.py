import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.admission import services
from community_admin.admission.api.views import ERR_IDEMPOTENCY_MISSING
from community_admin.admission.models import IdempotencyKey, Task, TaskFundingLine
from tests.factories import DepartmentFactory


def body(**overrides) -> dict:
    data = {
        "service_item": "MZ01",
        "title": "低保入户复核",
        "description": "第二季度",
        "committees": ["A1", "A2"],
        "due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "quantity": 10,
        "funding": "600.00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, key_value, data, *, key: str | None = "auto"):
    headers = {"HTTP_AUTHORIZATION": f"Token {key_value}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = str(uuid.uuid4()) if key == "auto" else key
    return client.post(reverse("task-list"), data, content_type="application/json", **headers)


def test_department_submits_and_is_admitted(world, items, task_token, client):
    _, key = task_token
    response = post(client, key, body())
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["decision"] == "admitted" and data["refusal_reason"] == ""
    assert data["committees"] == ["A1", "A2"] and data["required_funding"] == "600.00"
    assert {(line["committee"], line["amount"]) for line in data["funding_lines"]} == {
        ("A1", "300.00"),
        ("A2", "300.00"),
    }
    assert [a["status"] for a in data["assignments"]] == ["accepted", "accepted"]
    assert response["Idempotent-Replayed"] == "false"
    assert TaskFundingLine.objects.filter(task_id=data["id"]).count() == 2


def test_refusal_is_a_422_with_its_reason_and_is_recorded(world, items, task_token, client):
    _, key = task_token
    response = post(client, key, body(funding="100.00"))
    assert response.status_code == 422
    data = response.json()
    assert data["decision"] == "refused" and data["refusal_reason"] == "underfunded"
    assert "600.00 元" in data["refusal_detail"]
    assert Task.objects.get(pk=data["id"]).decision == Task.Decision.REFUSED
    excluded = post(client, key, body(service_item="QT01")).json()
    assert excluded["refusal_reason"] == "excluded"


def test_same_key_and_body_give_the_same_answer_and_one_task(world, items, task_token, client):
    _, key = task_token
    first = post(client, key, body(), key="retry-1")
    second = post(client, key, body(), key="retry-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Task.objects.count() == 1


def test_a_replayed_refusal_is_the_same_refusal(world, items, task_token, client):
    _, key = task_token
    first = post(client, key, body(funding="1"), key="r")
    second = post(client, key, body(funding="1.00"), key="r")  # the same amount spelled differently
    assert first.status_code == second.status_code == 422 and first.json() == second.json()
    assert Task.objects.count() == 1


def test_same_key_with_another_body_is_a_422(world, items, task_token, client):
    _, key = task_token
    post(client, key, body(), key="k-1")
    response = post(client, key, body(quantity=11), key="k-1")
    assert response.status_code == 422
    assert response.json() == {"idempotency_key": [services.ERR_IDEMPOTENCY_CONFLICT]}
    assert Task.objects.count() == 1


def test_missing_key_is_a_400_and_changes_nothing(world, items, task_token, client):
    _, key = task_token
    response = post(client, key, body(), key=None)
    assert response.status_code == 400
    assert response.json() == {"idempotency_key": [ERR_IDEMPOTENCY_MISSING]}
    assert not Task.objects.exists() and not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"funding": "-1"}, "funding"),
        ({"funding": "1.234"}, "funding"),
        ({"quantity": 0}, "quantity"),
        ({"title": None}, "title"),
    ],
)
def test_malformed_body_is_a_400_naming_the_field(world, items, task_token, client, overrides, field):
    _, key = task_token
    response = post(client, key, body(**overrides))
    assert response.status_code == 400 and field in response.json()
    assert not Task.objects.exists()


def test_committees_outside_the_departments_streets_do_not_leak(world, items, task_token, client):
    _, key = task_token
    outside = post(client, key, body(committees=["B1"]))
    missing = post(client, key, body(committees=["NOPE"]))
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == {"committees": [services.ERR_TASK_UNKNOWN_COMMITTEES.format(codes="B1")]}
    assert missing.json() == {"committees": [services.ERR_TASK_UNKNOWN_COMMITTEES.format(codes="NOPE")]}
    assert not Task.objects.exists()


def test_a_department_reads_only_its_own_tasks(world, items, task_token, client, submit):
    _, key = task_token
    own = post(client, key, body()).json()
    other_dept = DepartmentFactory(code="RS", name="区人社局")
    other_key = account_services.api_token_create(
        actor=world.bureau, department=other_dept, name="x", scopes=["tasks:submit"], days_valid=1
    )[1]
    others = post(client, other_key, body(committees=["B1"], quantity=1, funding="30")).json()
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    listed = client.get(reverse("task-list"), **auth).json()
    assert [t["id"] for t in listed["results"]] == [own["id"]]
    assert client.get(reverse("task-detail", args=[others["id"]]), **auth).status_code == 404


def test_committees_read_the_tasks_aimed_at_them(world, items, submit, login):
    a1_and_a2 = submit()
    a2_only = submit(committee_codes=["A2"])
    listed = login(world.committee_user).get(reverse("task-list")).json()
    assert [t["id"] for t in listed["results"]] == [a1_and_a2.pk]
    assert login(world.committee_user).get(reverse("task-detail", args=[a2_only.pk])).status_code == 404


def test_a_token_without_the_tasks_scope_cannot_submit(world, items, department_token, client):
    _, key = department_token  # org:read only
    assert post(client, key, body()).status_code == 403
    assert not Task.objects.exists()


def test_other_roles_cannot_submit(world, items, login):
    response = login(world.bureau).post(
        reverse("task-list"), body(), content_type="application/json", HTTP_IDEMPOTENCY_KEY="b"
    )
    assert response.status_code == 403


@override_settings(TASKS_API_RATE="3/minute")
def test_each_token_has_its_own_rate_limit(world, items, task_token, client):
    _, key = task_token
    codes = [
        client.get(reverse("service-item-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    _, second_key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="另一系统",
        scopes=[ApiToken.Scope.TASKS_SUBMIT],
        days_valid=1,
    )
    assert (
        client.get(reverse("service-item-list"), HTTP_AUTHORIZATION=f"Token {second_key}").status_code == 200
    )


def test_service_items_can_be_looked_up_by_code(world, items, task_token, client):
    _, key = task_token
    data = client.get(
        reverse("service-item-list"), {"code": "MZ01"}, HTTP_AUTHORIZATION=f"Token {key}"
    ).json()
    assert [(i["code"], i["unit_rate"], i["category"]) for i in data["results"]] == [
        ("MZ01", "30.00", "assist")
    ]


def test_openapi_documents_submission_with_the_idempotency_header():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/tasks/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in operation["parameters"])
    assert {"201", "422", "400", "429"} <= set(operation["responses"])
    assert "Idempotency-Key" in operation["description"] and "tasks:submit" in operation["description"]
    assert "/api/v1/service-items/" in schema["paths"]


def test_a_committee_reads_only_its_own_report_and_money_on_a_shared_task(world, shared_task, login):
    task, department_user = shared_task
    data = login(world.committee_user).get(reverse("task-detail", args=[task.pk])).json()
    assert data["committees"] == ["A1"]
    assert [(a["committee"], a["report"]) for a in data["assignments"]] == [("A1", "A1 的完成报告")]
    assert [(line["committee"], line["amount"]) for line in data["funding_lines"]] == [("A1", "300.00")]
    listed = login(world.committee_user).get(reverse("task-list")).json()["results"]
    assert [a["committee"] for a in listed[0]["assignments"]] == ["A1"]
    street = login(world.street_user).get(reverse("task-detail", args=[task.pk])).json()
    assert sorted(a["committee"] for a in street["assignments"]) == ["A1", "A2"]
    assert sorted(line["committee"] for line in street["funding_lines"]) == ["A1", "A2"]
    bureau = login(world.bureau).get(reverse("task-detail", args=[task.pk])).json()
    assert len(bureau["assignments"]) == len(bureau["funding_lines"]) == 3
