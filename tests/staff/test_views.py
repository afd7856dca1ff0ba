import pytest
from django.urls import reverse

from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.staff.models import Secondment
from tests.staff.factories import PNG, make_policy, make_secondment, make_worker


def test_worker_list_masks_id_numbers_and_reveal_is_audited(world, login):
    worker = make_worker(world.bureau, world.committee_a1)
    client = login(world.street_user)
    body = client.get(reverse("staff:worker-list")).content.decode()
    assert worker.masked_id_number in body and worker.id_number not in body
    response = client.post(reverse("staff:worker-reveal", args=[worker.pk]), {"reason": "核对"})
    assert worker.id_number in response.content.decode() and response["Cache-Control"] == "no-store"
    assert AuditLog.objects.filter(action="worker.reveal_id_number", actor=world.street_user).count() == 1


def test_committee_staff_cannot_reveal(world, login):
    worker = make_worker(world.bureau, world.committee_a1)
    assert (
        login(world.committee_user).post(reverse("staff:worker-reveal", args=[worker.pk])).status_code == 403
    )
    assert not AuditLog.objects.filter(action="worker.reveal_id_number").exists()


def test_bad_worker_input_is_a_400_naming_the_field(world, login):
    data = {
        "committee": world.committee_a1.pk,
        "name": "张",
        "id_number": "123",
        "education": "college",
        "hire_date": "2010-01-01",
        "posts": ["member"],
    }
    response = login(world.street_user).post(reverse("staff:worker-create"), data)
    assert response.status_code == 400 and f"身份证号码：{idnumbers.ERR_LENGTH}" in response.content.decode()


def test_street_cannot_skip_to_approval_and_page_says_why(world, login):
    s = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    url = reverse("staff:secondment-step", args=[s.pk])
    assert login(world.street_user).post(url, {"action": "approve"}).status_code == 403
    response = login(world.bureau).post(
        url, {"action": "approve", "approval_document": "1号", "approved_on": "2025-03-01"}
    )
    assert response.status_code == 400 and "不能登记区政府批准" in response.content.decode()
    assert Secondment.objects.get(pk=s.pk).state == "requested"


def test_opinion_upload_and_download_as_attachment(world, login):
    s = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    client = login(world.street_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("staff:secondment-step", args=[s.pk]),
        {"action": "opinion", "side": "sending", "file": SimpleUploadedFile("a.png", PNG)},
    )
    assert response.status_code == 302
    opinion = s.opinions.get()
    download = login(world.committee_user).get(reverse("staff:opinion-file", args=[opinion.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG


def test_staffing_page_shows_gaps(world, login):
    make_worker(world.bureau, world.committee_a2)
    response = login(world.bureau).get(reverse("staff:staffing"))
    total = response.context["total"]
    assert total.social_workers_present == 1 and total.members_gap == 3 + 5 + 3
    assert "缺社工" in response.content.decode()


def test_payroll_compute_and_export_pages(world, login):
    make_policy(2025)
    make_worker(world.bureau, world.committee_a1)
    client = login(world.street_user)
    response = client.post(
        reverse("staff:payroll-compute"), {"committee": world.committee_a1.pk, "year": 2025, "month": 6}
    )
    assert response.status_code == 302
    export = client.get(response["Location"] + "export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.getvalue()[:2] == b"PK"
    refused = client.post(
        reverse("staff:payroll-compute"), {"committee": world.committee_b1.pk, "year": 2025, "month": 6}
    )
    assert refused.status_code == 400


def test_the_secondment_page_offers_only_the_steps_its_state_allows(world, login):
    from tests.staff.factories import seconded_through_every_step

    client = login(world.bureau)
    requested = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    body = client.get(reverse("staff:secondment-detail", args=[requested.pk])).content.decode()
    offered = {
        a for a in ("opinion", "approve", "file", "activate", "end", "reject") if f'value="{a}"' in body
    }
    assert offered == {"opinion", "reject"}

    active = seconded_through_every_step(world.bureau, make_worker(world.bureau, world.committee_a2))
    body = client.get(reverse("staff:secondment-detail", args=[active.pk])).content.decode()
    offered = {
        a for a in ("opinion", "approve", "file", "activate", "end", "reject") if f'value="{a}"' in body
    }
    assert offered == {"end"}


LONG_TEXT = "长" * 10_000


def _refused_and_nothing_written(client, url, data):
    """POST `data`; the answer and whether any table changed (the audit log's refusals aside)."""
    from tests.security import sweep

    baseline = sweep.fingerprint(sweep.all_tables())
    with sweep.rolled_back(baseline) as outcome:
        response = client.post(url, data)
    return response, response.content.decode(), outcome.written


def test_a_secondment_reason_of_10000_characters_is_refused_naming_the_field(world, login):
    worker = make_worker(world.bureau, world.committee_a1)
    data = {
        "worker": worker.pk,
        "host_street": world.street_b.pk,
        "reason": LONG_TEXT,
        "planned_start": "2025-03-01",
    }
    response, body, written = _refused_and_nothing_written(
        login(world.street_user), reverse("staff:secondment-create"), data
    )
    from tests.security import sweep

    assert response.status_code == 400 and "reason" in sweep.invalid_fields(body)
    assert not written


@pytest.mark.parametrize(
    ("action", "field", "label"), [("opinion", "text", "意见内容"), ("reject", "reason", "否决理由")]
)
def test_secondment_step_text_of_10000_characters_is_refused_naming_the_field(
    world, login, action, field, label
):
    s = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    data = {"action": action, "side": "sending", field: LONG_TEXT}
    response, body, written = _refused_and_nothing_written(
        login(world.street_user), reverse("staff:secondment-step", args=[s.pk]), data
    )
    assert response.status_code == 400 and f"{label}：" in body
    assert not written


def test_a_reveal_reason_of_10000_characters_is_refused_naming_the_field(world, login):
    worker = make_worker(world.bureau, world.committee_a1)
    response, body, written = _refused_and_nothing_written(
        login(world.street_user), reverse("staff:worker-reveal", args=[worker.pk]), {"reason": LONG_TEXT}
    )
    assert response.status_code == 400 and "查看原因：" in body and worker.id_number not in body
    assert not written  # not even the audit row of a reveal
    # a NUL cannot be stored in PostgreSQL's JSON (the audit row's details): refused, not a 500
    response, body, written = _refused_and_nothing_written(
        login(world.street_user), reverse("staff:worker-reveal", args=[worker.pk]), {"reason": "a\x00b"}
    )
    assert response.status_code == 400 and "查看原因：" in body and not written


def test_the_services_bound_the_free_text_the_forms_bound(world):
    from django.core.exceptions import ValidationError

    from community_admin.staff import services

    worker = make_worker(world.bureau, world.committee_a1)
    with pytest.raises(ValidationError) as exc:
        services.worker_reveal_id_number(actor=world.bureau, worker=worker, reason=LONG_TEXT)
    assert "reason" in exc.value.message_dict
    s = make_secondment(world.bureau, worker)
    with pytest.raises(ValidationError) as exc:
        services.secondment_reject(actor=world.bureau, secondment=s, reason=LONG_TEXT)
    assert "rejected_reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.secondment_attach_opinion(actor=world.bureau, secondment=s, side="sending", text=LONG_TEXT)
    assert "text" in exc.value.message_dict


def test_the_worker_page_asks_for_a_reason_and_refuses_a_blank_one(world, login):
    worker = make_worker(world.bureau, world.committee_a1)
    client = login(world.street_user)
    page = client.get(reverse("staff:worker-detail", args=[worker.pk])).content.decode()
    assert 'name="reason"' in page and 'type="hidden" name="reason"' not in page  # typed, not a canned one
    for data in ({}, {"reason": "  "}):
        response, body, written = _refused_and_nothing_written(
            client, reverse("staff:worker-reveal", args=[worker.pk]), data
        )
        assert response.status_code == 400 and "查看原因：" in body and worker.id_number not in body
        assert not written


def test_the_worker_page_says_when_the_hourly_limit_is_reached(world, login, settings):
    from community_admin.core import reveals

    settings.REVEAL_LIMIT_PER_HOUR = 1
    worker = make_worker(world.bureau, world.committee_a1)
    client = login(world.street_user)
    url = reverse("staff:worker-reveal", args=[worker.pk])
    assert client.post(url, {"reason": "核对"}).status_code == 200
    response = client.post(url, {"reason": "核对"})
    body = response.content.decode()
    assert response.status_code == 429 and worker.id_number not in body
    assert reveals.ERR_LIMIT.split("{")[0] in body
    assert (
        AuditLog.objects.filter(action="worker.reveal_id_number", result=AuditLog.Result.DENIED).count() == 1
    )


def test_an_opinion_scan_is_sent_uncached_sandboxed_under_our_name_and_audited(
    world, login, settings, tmp_path
):
    """Finding 8 of the penetration test: the scan carried neither no-store nor the sandbox, and no audit row;
    it was sent under the uploader's own name (which may claim another type)."""
    from urllib.parse import quote

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    s = make_secondment(world.bureau, make_worker(world.bureau, world.committee_a1))
    login(world.street_user).post(
        reverse("staff:secondment-step", args=[s.pk]),
        {"action": "opinion", "side": "sending", "file": SimpleUploadedFile("意见.html", PNG)},
    )
    opinion = s.opinions.get()
    download = login(world.committee_user).get(reverse("staff:opinion-file", args=[opinion.pk]))
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert f"filename*=UTF-8''{quote(f'借调{s.pk}-意见{opinion.pk}.png')}" in download["Content-Disposition"]
    row = AuditLog.objects.get(action="secondment.opinion_download")
    assert (row.actor, row.object_type, row.object_id) == (
        world.committee_user,
        "staff.secondmentopinion",
        str(opinion.pk),
    )
