from django.urls import reverse
from rest_framework.test import APIClient

from community_admin.staff.models import Secondment
from tests.staff.factories import make_policy, make_secondment, make_worker


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_workers_are_masked_and_scoped(world):
    a1 = make_worker(world.bureau, world.committee_a1)
    make_worker(world.bureau, world.committee_b1)
    data = api(world.street_user).get(reverse("staff-worker-list")).json()
    assert [w["id"] for w in data["results"]] == [a1.pk]
    assert data["results"][0]["id_number"] == a1.masked_id_number


def test_secondment_api_walks_the_steps_and_refuses_skips(world):
    s = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    client = api(world.bureau)
    skip = client.post(
        reverse("staff-secondment-activate", args=[s.pk]), {"started_on": "2025-04-01"}, format="json"
    )
    assert skip.status_code == 400 and "state" in skip.json()
    for side in ("sending", "receiving"):
        assert (
            client.post(
                reverse("staff-secondment-opinion", args=[s.pk]),
                {"side": side, "text": "同意"},
                format="json",
            ).status_code
            == 200
        )
    client.post(
        reverse("staff-secondment-approve", args=[s.pk]),
        {"approval_document": "批复", "approved_on": "2025-03-10"},
        format="json",
    )
    for registry in ("hr", "civil"):
        client.post(
            reverse("staff-secondment-file", args=[s.pk]),
            {"registry": registry, "reference": "1"},
            format="json",
        )
    done = client.post(
        reverse("staff-secondment-activate", args=[s.pk]), {"started_on": "2025-04-01"}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "active"
    assert Secondment.objects.get(pk=s.pk).worker.status == "seconded"


def test_staffing_and_turnover_endpoints(world):
    make_worker(world.bureau, world.committee_a1)
    data = api(world.street_user).get(reverse("staff-staffing-list")).json()
    assert data["total"]["committees"] == 2 and data["total"]["social_workers_present"] == 1
    assert "last_twelve_months" in api(world.bureau).get(reverse("staff-turnover-list")).json()


def test_payroll_compute_names_the_bad_field(world):
    make_policy(2025)
    client = api(world.street_user)
    response = client.post(
        reverse("staff-payroll-compute"), {"committee": "B1", "year": 2025, "month": 6}, format="json"
    )
    assert response.status_code == 400 and "committee" in response.json()
    ok = client.post(
        reverse("staff-payroll-compute"), {"committee": "A1", "year": 2025, "month": 6}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["committee"] == "A1"


def test_a_worker_reveal_needs_a_reason_and_is_limited(world, settings):
    from community_admin.core import reveals
    from community_admin.core.models import AuditLog

    settings.REVEAL_LIMIT_PER_HOUR = 15
    worker = make_worker(world.bureau, world.committee_a1)
    client = api(world.street_user)
    url = reverse("staff-worker-reveal-id-number", args=[worker.pk])
    for body in ({}, {"reason": ""}, {"reason": " \t "}):
        refused = client.post(url, body, format="json")
        assert refused.status_code == 400 and refused.json() == {"reason": [reveals.ERR_REASON_REQUIRED]}
        assert worker.id_number not in refused.content.decode()
    assert not AuditLog.objects.filter(action="worker.reveal_id_number").exists()
    answers = [client.post(url, {"reason": "核对"}, format="json") for _ in range(16)]
    assert [a.status_code for a in answers] == [200] * 15 + [429]
    assert answers[0].json() == {"id_number": worker.id_number}
    assert worker.id_number not in answers[-1].content.decode() and answers[-1]["Retry-After"]
    assert (
        AuditLog.objects.filter(action="worker.reveal_id_number", result=AuditLog.Result.DENIED).count() == 1
    )


def test_bad_query_values_answer_the_one_error_shape(world):
    response = api(world.bureau).get(reverse("staff-retirement-list"), {"months": "0"})
    assert response.status_code == 400 and list(response.json()) == ["months"]
