import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from community_admin.core import audit, idnumbers
from community_admin.core.models import AuditLog
from community_admin.staff import services
from community_admin.staff.models import (
    AccountabilityRecord,
    Departure,
    Post,
    Qualification,
    Secondment,
    Worker,
)
from tests.staff.factories import (
    PDF,
    make_policy,
    make_retirement_rules,
    make_secondment,
    make_worker,
    png,
    seconded_through_every_step,
)


def test_worker_create_derives_sex_and_birth_date_and_audits_masked(world):
    number = idnumbers.make("410105", date(1980, 2, 29), 13)
    worker = services.worker_create(
        actor=world.street_user,
        committee=world.committee_a1,
        name=" 王芳 ",
        id_number=number.lower(),
        education="college",
        hire_date=date(2005, 1, 1),
        posts=["member", "social_worker"],
    )
    assert (worker.sex, worker.birth_date, worker.name) == ("M", date(1980, 2, 29), "王芳")
    row = AuditLog.objects.get(action="worker.create")
    assert row.details["id_number"] == "410105********0133"[:6] + "********" + number[-4:]
    assert number not in str(row.details)


@pytest.mark.parametrize(
    ("number", "message"),
    [("41010519800229013", idnumbers.ERR_LENGTH), ("410105198002290139", idnumbers.ERR_CHECK)],
)
def test_a_bad_id_number_is_refused_naming_the_field_and_changes_nothing(world, number, message):
    with pytest.raises(ValidationError) as exc:
        services.worker_create(
            actor=world.bureau,
            committee=world.committee_a1,
            name="李",
            id_number=number,
            education="college",
            hire_date=date(2005, 1, 1),
            posts=["member"],
        )
    assert exc.value.message_dict == {"id_number": [message]}
    assert not Worker.objects.exists() and not AuditLog.objects.filter(action="worker.create").exists()


def test_duplicate_id_and_missing_posts_are_refused(world):
    worker = make_worker(world.bureau, world.committee_a1)
    with pytest.raises(ValidationError, match=services.ERR_DUPLICATE_ID):
        services.worker_create(
            actor=world.bureau,
            committee=world.committee_a2,
            name="李",
            id_number=worker.id_number,
            education="college",
            hire_date=date(2005, 1, 1),
            posts=["member"],
        )
    with pytest.raises(ValidationError, match=services.ERR_NO_POSTS):
        make_worker(world.bureau, world.committee_a1, posts=())


def test_reveal_is_audited(world):
    worker = make_worker(world.bureau, world.committee_a1)
    assert (
        services.worker_reveal_id_number(actor=world.street_user, worker=worker, reason="核对")
        == worker.id_number
    )
    row = AuditLog.objects.get(action="worker.reveal_id_number")
    assert row.actor == world.street_user and row.object_id == str(worker.pk)


# Secondments


def test_a_secondment_goes_through_every_step_and_each_is_audited(world):
    worker = make_worker(world.bureau, world.committee_a1)
    s = seconded_through_every_step(world.bureau, worker)
    worker.refresh_from_db()
    assert s.state == Secondment.State.ACTIVE and worker.status == Worker.Status.SECONDED
    actions = list(
        AuditLog.objects.filter(object_type="staff.secondment")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "secondment.request",
        "secondment.attach_opinion",
        "secondment.attach_opinion",
        "secondment.opinions_complete",
        "secondment.approve",
        "secondment.file",
        "secondment.file",
        "secondment.activate",
    ]
    services.secondment_end(actor=world.bureau, secondment=s, ended_on=date(2025, 9, 1))
    worker.refresh_from_db()
    assert worker.status == Worker.Status.ACTIVE


@pytest.mark.parametrize("stop", range(6))
def test_no_step_can_be_skipped(world, stop):
    """Stopping after any step: every later step but the next is refused, and nothing changes."""
    actor = world.bureau
    s = make_secondment(actor, make_worker(actor, world.committee_a1))
    steps = [
        lambda: services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", text="同意"),
        lambda: services.secondment_attach_opinion(actor=actor, secondment=s, side="receiving", text="同意"),
        lambda: services.secondment_approve(
            actor=actor, secondment=s, approval_document="批复1号", approved_on=date(2025, 3, 2)
        ),
        lambda: services.secondment_file(actor=actor, secondment=s, registry="hr", reference="1"),
        lambda: services.secondment_file(actor=actor, secondment=s, registry="civil", reference="2"),
        lambda: services.secondment_activate(actor=actor, secondment=s, started_on=date(2025, 4, 1)),
    ]
    for step in steps[:stop]:
        step()
    before = Secondment.objects.get(pk=s.pk).state
    skippable = [
        lambda: services.secondment_approve(
            actor=actor, secondment=s, approval_document="批复1号", approved_on=date(2025, 3, 2)
        ),
        lambda: services.secondment_activate(actor=actor, secondment=s, started_on=date(2025, 4, 1)),
        lambda: services.secondment_end(actor=actor, secondment=s, ended_on=date(2025, 5, 1)),
    ]
    for i, attempt in enumerate(skippable):
        if (stop, i) in {
            (2, 0),
            (5, 1),
        }:  # approval right after both opinions, start right after both filings
            continue
        with pytest.raises(ValidationError):
            attempt()
        assert Secondment.objects.get(pk=s.pk).state == before
    assert Worker.objects.get(pk=s.worker_id).status == Worker.Status.ACTIVE


def test_filing_with_one_bureau_is_not_filed(world):
    actor = world.bureau
    s = make_secondment(actor, make_worker(actor, world.committee_a1))
    services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", text="同意")
    services.secondment_attach_opinion(actor=actor, secondment=s, side="receiving", text="同意")
    services.secondment_approve(
        actor=actor, secondment=s, approval_document="批复", approved_on=date(2025, 3, 2)
    )
    s = services.secondment_file(actor=actor, secondment=s, registry="hr", reference="1")
    assert s.state == Secondment.State.APPROVED
    with pytest.raises(ValidationError, match=services.ERR_ALREADY_FILED):
        services.secondment_file(actor=actor, secondment=s, registry="hr", reference="1")


def test_rejection_at_any_step_records_where(world):
    actor = world.bureau
    s = make_secondment(actor, make_worker(actor, world.committee_a1))
    with pytest.raises(ValidationError, match=services.ERR_REJECT_REASON):
        services.secondment_reject(actor=actor, secondment=s, reason=" ")
    s = services.secondment_reject(actor=actor, secondment=s, reason="社区人手不足")
    assert (s.state, s.rejected_in_state) == ("rejected", "requested")
    with pytest.raises(ValidationError):
        services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", text="同意")


def test_only_active_social_workers_and_one_open_secondment(world):
    actor = world.bureau
    member = make_worker(actor, world.committee_a1, posts=[Post.MEMBER])
    with pytest.raises(ValidationError, match=services.ERR_NOT_SOCIAL_WORKER):
        make_secondment(actor, member)
    worker = make_worker(actor, world.committee_a1)
    make_secondment(actor, worker)
    with pytest.raises(ValidationError, match=services.ERR_OPEN_SECONDMENT):
        make_secondment(actor, worker)


def test_opinion_files_are_checked_by_content_and_size(world, settings):
    actor = world.bureau
    s = make_secondment(actor, make_worker(actor, world.committee_a1))
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match=services.ERR_FILE_TYPE):
        services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", upload=fake)
    limit = settings.STAFF_OPINION_MAX_BYTES
    settings.STAFF_OPINION_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="文件不能超过"):
        services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", upload=png())
    settings.STAFF_OPINION_MAX_BYTES = limit
    opinion = services.secondment_attach_opinion(
        actor=actor, secondment=s, side="sending", upload=SimpleUploadedFile("x.exe", PDF)
    )
    # stored under a random name with the extension of what the bytes are, never the uploader's name
    assert opinion.content_type == "application/pdf" and opinion.file.name.endswith(".pdf")
    assert re.fullmatch(rf"secondments/{s.pk}/[0-9a-f]{{32}}\.pdf", opinion.file.name)
    assert opinion.file_name.endswith(".pdf")


# Pay


def test_pay_items_allowances_honour_and_floor(world):
    policy = make_policy(2025, minimum_wage=Decimal("1700.00"))
    items = services.pay_items(
        policy=policy,
        posts={"secretary", "director"},
        qualifications={"social_worker", "assistant"},
        hire_date=date(2010, 1, 5),
        year=2025,
        month=6,
    )
    assert (items.position_allowance, items.qualification_allowance, items.floor_top_up) == (
        Decimal("300.00"),
        Decimal("200.00"),
        0,
    )
    items = services.pay_items(
        policy=policy,
        posts={"social_worker"},
        qualifications=set(),
        hire_date=date(2005, 6, 30),
        year=2025,
        month=6,
    )
    assert items.honour == Decimal("2000.00")
    assert items.floor_top_up == Decimal("200.00") and items.gross == Decimal("3700.00")
    items = services.pay_items(
        policy=policy,
        posts={"deputy_director"},
        qualifications={"assistant"},
        hire_date=date(2005, 7, 1),
        year=2025,
        month=6,
    )
    assert items.honour == 0 and items.floor_top_up == Decimal("0.00") and items.gross == Decimal("1700.00")


def test_payroll_compute_never_pays_below_the_floor_and_replaces_itself(world):
    make_policy(2025, minimum_wage=Decimal("1900.00"))
    actor = world.street_user
    head = make_worker(actor, world.committee_a1, posts=[Post.SECRETARY, Post.DIRECTOR])
    plain = make_worker(actor, world.committee_a1)
    Qualification.objects.create(
        worker=head, level="social_worker", certificate_number="SW1", obtained_on=date(2020, 1, 1)
    )
    payroll = services.payroll_compute(actor=actor, committee=world.committee_a1, year=2025, month=6)
    lines = {line.worker_id: line for line in payroll.lines.all()}
    assert lines[head.pk].gross == Decimal("2000.00") and not lines[head.pk].below_floor
    assert lines[plain.pk].floor_top_up == Decimal("400.00") and lines[plain.pk].below_floor
    assert all(
        line.gross >= Decimal("1900.00") and line.employer_insurance == Decimal("800.00")
        for line in lines.values()
    )
    services.worker_resign(actor=actor, worker=plain, left_on=date(2025, 7, 1), reason="pay")
    again = services.payroll_compute(actor=actor, committee=world.committee_a1, year=2025, month=6)
    assert again.pk == payroll.pk and again.lines.count() == 1
    assert AuditLog.objects.filter(action="payroll.compute").count() == 2


def test_payroll_without_a_policy_names_the_year(world):
    with pytest.raises(ValidationError) as exc:
        services.payroll_compute(actor=world.bureau, committee=world.committee_a1, year=2031, month=1)
    assert exc.value.message_dict == {"year": [services.ERR_NO_POLICY.format(year=2031)]}


def test_payroll_export_is_an_xlsx_with_every_line_and_totals(world):
    from io import BytesIO

    from openpyxl import load_workbook

    make_policy(2025)
    for _ in range(3):
        make_worker(world.bureau, world.committee_a1)
    payroll = services.payroll_compute(actor=world.bureau, committee=world.committee_a1, year=2025, month=6)
    export = services.payroll_export(actor=world.bureau, payroll=payroll)
    rows = list(load_workbook(BytesIO(export.read_bytes())).active.iter_rows(values_only=True))
    assert rows[2][:3] == ("姓名", "职务", "基本工资")
    assert len(rows) == 3 + 3 + 1
    assert rows[-1][7] == 3 * 1700
    assert AuditLog.objects.filter(action="payroll.export").exists()


# Evaluations, departures, retirement


def test_closing_a_round_averages_representatives_and_opens_records(world):
    actor = world.street_user
    low, high = make_worker(actor, world.committee_a1), make_worker(actor, world.committee_a1)
    round_ = services.evaluation_round_open(actor=world.bureau, year=2025, threshold=Decimal("60"))
    for rep, value in (("甲", 50), ("乙", 65)):  # average 57.5 < 60
        services.evaluation_score_record(
            actor=actor,
            round=round_,
            worker=low,
            representative=rep,
            scores=dict.fromkeys(("morality", "ability", "diligence", "performance", "integrity"), value),
        )
    services.evaluation_score_record(
        actor=actor,
        round=round_,
        worker=high,
        representative="甲",
        scores={"morality": 60, "ability": 60, "diligence": 60, "performance": 60, "integrity": 60},
    )
    with pytest.raises(ValidationError, match=services.ERR_DUPLICATE_SCORE):
        services.evaluation_score_record(
            actor=actor,
            round=round_,
            worker=high,
            representative="甲",
            scores=dict.fromkeys(("morality", "ability", "diligence", "performance", "integrity"), 1),
        )
    with pytest.raises(ValidationError, match=services.ERR_SCORE_RANGE):
        services.evaluation_score_record(
            actor=actor,
            round=round_,
            worker=high,
            representative="乙",
            scores=dict.fromkeys(("morality", "ability", "diligence", "performance", "integrity"), 101),
        )
    records = services.evaluation_round_close(actor=world.bureau, round=round_)
    assert [(r.worker_id, r.average) for r in records] == [(low.pk, Decimal("57.50"))]
    with pytest.raises(ValidationError, match=services.ERR_ROUND_CLOSED):
        services.evaluation_score_record(
            actor=actor,
            round=round_,
            worker=high,
            representative="丙",
            scores=dict.fromkeys(("morality", "ability", "diligence", "performance", "integrity"), 1),
        )
    record = services.accountability_follow_up(actor=actor, record=records[0], follow_up="已约谈", close=True)
    assert record.status == AccountabilityRecord.Status.CLOSED


def test_resigning_a_seconded_worker_is_refused(world):
    worker = make_worker(world.bureau, world.committee_a1)
    seconded_through_every_step(world.bureau, worker)
    with pytest.raises(ValidationError, match=services.ERR_WORKER_SECONDED):
        services.worker_resign(actor=world.bureau, worker=worker, left_on=date(2025, 6, 1), reason="pay")


def test_retirement_follows_the_rule_data(world):
    make_retirement_rules(2024)
    worker = make_worker(world.bureau, world.committee_a1, born=date(1975, 3, 10), hire_date=date(2000, 1, 1))
    # Born March 1975: the reform delays her by 2 months (months 2–3 of the cohort), to 2025-05-10.
    with pytest.raises(ValidationError, match="2025-05-10"):
        services.worker_retire(actor=world.bureau, worker=worker, left_on=date(2025, 5, 9))
    departure = services.worker_retire(actor=world.bureau, worker=worker, left_on=date(2025, 5, 10))
    assert departure.kind == Departure.Kind.RETIRED
    assert Worker.objects.get(pk=worker.pk).status == Worker.Status.RETIRED


def test_a_failure_after_the_opinion_scan_is_stored_leaves_no_file(world, settings, tmp_path, monkeypatch):
    from django.db import DatabaseError

    settings.MEDIA_ROOT = tmp_path
    actor = world.bureau
    s = make_secondment(actor, make_worker(actor, world.committee_a1))

    def fail(**kwargs):
        raise DatabaseError("the audit row could not be written")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(DatabaseError):
        services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", upload=png())
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
