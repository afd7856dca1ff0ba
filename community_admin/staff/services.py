"""Writes of the staff app: one function per use case, each audited in its own transaction."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Avg, ExpressionWrapper, F, FloatField
from django.utils import timezone

from community_admin.core import audit, idnumbers, reveals, uploads
from community_admin.core.exporters import ExportFile
from community_admin.org.models import Committee, Department, Street
from community_admin.staff import retirement
from community_admin.staff.exporters import PayrollExporter
from community_admin.staff.models import (
    DEPUTY_POSTS,
    HEAD_POSTS,
    SCORE_FIELDS,
    AccountabilityRecord,
    Departure,
    EvaluationRound,
    EvaluationScore,
    PayPolicy,
    Payroll,
    PayrollLine,
    Post,
    Qualification,
    RetirementRule,
    Secondment,
    SecondmentOpinion,
    Worker,
    WorkerPost,
)

ERR_DUPLICATE_ID = "已有使用该身份证号码的社区工作者。"
ERR_NO_POSTS = "请至少选择一个职务。"
ERR_UNKNOWN_POST = "未知职务：{post}"
ERR_HIRED_BEFORE_16 = "参加工作时未满 16 周岁。"
ERR_NOT_CURRENT = "该工作者已离岗。"
ERR_WORKER_SECONDED = "该工作者有未结束的借调，请先结束或否决借调。"
ERR_NOT_RETIREMENT_AGE = "该工作者在 {date} 才达到法定退休年龄。"
ERR_NO_RETIREMENT_RULE = "尚未设置适用于该性别的退休规则。"
ERR_LEFT_BEFORE_HIRED = "离岗日期早于参加工作日期。"
ERR_QUALIFICATION_FUTURE = "取得日期不能晚于今天。"

ERR_NOT_SOCIAL_WORKER = "只有社工可以借调。"
ERR_WORKER_NOT_ACTIVE = "该工作者不在岗，不能借调。"
ERR_OPEN_SECONDMENT = "该工作者已有未结束的借调。"
ERR_ONE_HOST = "请选择借调至的街道或部门（二者选一）。"
ERR_STEP = "借调须逐步办理：当前环节为“{state}”，不能{action}。"
ERR_OPINION_EXISTS = "该方书面意见已登记。"
ERR_OPINION_EMPTY = "请填写意见内容或上传书面意见扫描件。"
ERR_FILE_TYPE = "只接受 PDF、JPEG 或 PNG 文件。"
ERR_FILE_SIZE = "文件不能超过 {limit} MB。"
ERR_APPROVAL_DOCUMENT = "请填写区政府批准文号。"
ERR_ALREADY_FILED = "已向该单位备案。"
ERR_UNKNOWN_REGISTRY = "备案单位只能是区人社局或区民政局。"
ERR_REFERENCE = "请填写备案号。"
ERR_START_BEFORE_APPROVAL = "借调开始日期不能早于批准日期。"
ERR_END_BEFORE_START = "借调结束日期不能早于开始日期。"
ERR_REJECT_REASON = "请填写否决理由。"

ERR_NO_POLICY = "{year} 年度薪酬政策尚未设置。"
ERR_MONTH = "月份应为 1 至 12。"

ERR_ROUND_EXISTS = "该年度测评已存在。"
ERR_ROUND_CLOSED = "该年度测评已结束，不能再录入。"
ERR_NOT_EVALUATED_POST = "只对在岗社工测评。"
ERR_SCORE_RANGE = "分数应在 0 至 100 之间。"
ERR_DUPLICATE_SCORE = "该居民代表已为该社工打分。"
ERR_REPRESENTATIVE = "请填写居民代表姓名。"
ERR_FOLLOW_UP = "请填写跟进情况。"
ERR_RECORD_CLOSED = "该记录已办结。"

REGISTRIES = {"hr": "filed_hr", "civil": "filed_civil"}


# Workers ---------------------------------------------------------------------------------------------


def _check_posts(posts: list[str]) -> list[str]:
    if not posts:
        raise ValidationError({"posts": ERR_NO_POSTS})
    for post in posts:
        if post not in Post.values:
            raise ValidationError({"posts": ERR_UNKNOWN_POST.format(post=post)})
    return sorted(set(posts))


@transaction.atomic
def worker_create(
    *,
    actor,
    committee: Committee,
    name: str,
    id_number: str,
    education: str,
    hire_date: date,
    posts: list[str],
) -> Worker:
    try:
        parsed = idnumbers.parse(id_number)
    except idnumbers.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    number, birth = parsed.value, parsed.birth_date
    if Worker.objects.filter(id_number=number).exists():
        raise ValidationError({"id_number": ERR_DUPLICATE_ID})
    posts = _check_posts(posts)
    if retirement.full_years(birth, hire_date) < 16:
        raise ValidationError({"hire_date": ERR_HIRED_BEFORE_16})
    worker = Worker(
        committee=committee,
        name=name.strip(),
        id_number=number,
        sex=parsed.sex,
        birth_date=birth,
        education=education,
        hire_date=hire_date,
    )
    worker.full_clean()
    worker.save()
    WorkerPost.objects.bulk_create(WorkerPost(worker=worker, post=p, since=hire_date) for p in posts)
    audit.record(
        actor=actor,
        action="worker.create",
        obj=worker,
        details={"committee": committee.code, "id_number": worker.masked_id_number, "posts": posts},
    )
    return worker


@transaction.atomic
def worker_set_posts(*, actor, worker: Worker, posts: list[str], since: date | None = None) -> Worker:
    posts = _check_posts(posts)
    before = sorted(worker.posts.values_list("post", flat=True))
    worker.posts.exclude(post__in=posts).delete()
    WorkerPost.objects.bulk_create(
        WorkerPost(worker=worker, post=p, since=since or timezone.localdate())
        for p in posts
        if p not in before
    )
    audit.record(
        actor=actor, action="worker.set_posts", obj=worker, details={"before": before, "after": posts}
    )
    return worker


@transaction.atomic
def qualification_add(
    *, actor, worker: Worker, level: str, certificate_number: str, obtained_on: date
) -> Qualification:
    if obtained_on > timezone.localdate():
        raise ValidationError({"obtained_on": ERR_QUALIFICATION_FUTURE})
    qualification = Qualification(
        worker=worker, level=level, certificate_number=certificate_number.strip(), obtained_on=obtained_on
    )
    qualification.full_clean()
    qualification.save()
    audit.record(
        actor=actor,
        action="qualification.add",
        obj=worker,
        details={"level": level, "certificate_number": qualification.certificate_number},
    )
    return qualification


def worker_reveal_id_number(*, actor, worker: Worker, reason: str) -> str:
    """The full number, for the one person asking, under the shared rule (core.reveals: a reason, an hourly
    limit, an audit row; not atomic here, so that a refusal stays audited). Raises ValidationError on `reason`
    or reveals.RevealLimitExceeded."""
    reveals.reveal(actor=actor, action="worker.reveal_id_number", obj=worker, reason=reason)
    return worker.id_number


def _lock_current(worker: Worker) -> Worker:
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if not worker.is_current:
        raise ValidationError({"worker": ERR_NOT_CURRENT})
    if worker.secondments.filter(state__in=Secondment.OPEN_STATES).exists():
        raise ValidationError({"worker": ERR_WORKER_SECONDED})
    return worker


def _depart(*, actor, worker: Worker, kind: str, left_on: date, reason: str, note: str) -> Departure:
    if left_on < worker.hire_date:
        raise ValidationError({"left_on": ERR_LEFT_BEFORE_HIRED})
    worker.status = kind
    worker.left_on = left_on
    worker.full_clean()
    worker.save(update_fields=["status", "left_on", "updated_at"])
    departure = Departure(
        worker=worker,
        kind=kind,
        left_on=left_on,
        reason=reason,
        note=note,
        committee_id=worker.committee_id,
        recorded_by=actor,
    )
    departure.full_clean()
    departure.save()
    audit.record(
        actor=actor,
        action=f"worker.{'resign' if kind == Departure.Kind.RESIGNED else 'retire'}",
        obj=worker,
        details={"left_on": left_on.isoformat(), "reason": reason},
    )
    return departure


@transaction.atomic
def worker_resign(*, actor, worker: Worker, left_on: date, reason: str, note: str = "") -> Departure:
    worker = _lock_current(worker)
    return _depart(
        actor=actor, worker=worker, kind=Departure.Kind.RESIGNED, left_on=left_on, reason=reason, note=note
    )


def retirement_rule_for(sex: str) -> RetirementRule:
    rule = RetirementRule.objects.filter(sex=sex, in_force=True).first()
    if rule is None:
        raise ValidationError({"worker": ERR_NO_RETIREMENT_RULE})
    return rule


@transaction.atomic
def worker_retire(*, actor, worker: Worker, left_on: date, note: str = "") -> Departure:
    worker = _lock_current(worker)
    due = retirement.retirement_date(worker.birth_date, retirement_rule_for(worker.sex))
    if left_on < due:
        raise ValidationError({"left_on": ERR_NOT_RETIREMENT_AGE.format(date=due.isoformat())})
    return _depart(
        actor=actor,
        worker=worker,
        kind=Departure.Kind.RETIRED,
        left_on=left_on,
        reason=Departure.Reason.RETIREMENT,
        note=note,
    )


# Secondments -----------------------------------------------------------------------------------------


def _lock(secondment: Secondment) -> Secondment:
    return Secondment.objects.select_for_update().select_related("worker").get(pk=secondment.pk)


# Which step may be taken in which state: the services enforce it, the page offers only these steps.
STEP_STATES = {
    "opinion": (Secondment.State.REQUESTED,),
    "approve": (Secondment.State.OPINIONS_ATTACHED,),
    "file": (Secondment.State.APPROVED,),
    "activate": (Secondment.State.FILED,),
    "end": (Secondment.State.ACTIVE,),
    "reject": (
        Secondment.State.REQUESTED,
        Secondment.State.OPINIONS_ATTACHED,
        Secondment.State.APPROVED,
        Secondment.State.FILED,
    ),
}


def _require_state(secondment: Secondment, states: tuple, action: str) -> None:
    if secondment.state not in states:
        raise ValidationError({"state": ERR_STEP.format(state=secondment.get_state_display(), action=action)})


def _save_step(actor, secondment: Secondment, action: str, fields: list[str], details: dict) -> Secondment:
    secondment.full_clean()
    secondment.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, action=f"secondment.{action}", obj=secondment, details=details)
    return secondment


@transaction.atomic
def secondment_request(
    *,
    actor,
    worker: Worker,
    reason: str,
    planned_start: date,
    planned_end: date | None = None,
    host_street: Street | None = None,
    host_department: Department | None = None,
) -> Secondment:
    if (host_street is None) == (host_department is None):
        raise ValidationError({"host": ERR_ONE_HOST})
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    if worker.status != Worker.Status.ACTIVE:
        raise ValidationError({"worker": ERR_WORKER_NOT_ACTIVE})
    if not worker.posts.filter(post=Post.SOCIAL_WORKER).exists():
        raise ValidationError({"worker": ERR_NOT_SOCIAL_WORKER})
    if worker.secondments.filter(state__in=Secondment.OPEN_STATES).exists():
        raise ValidationError({"worker": ERR_OPEN_SECONDMENT})
    if planned_end is not None and planned_end < planned_start:
        raise ValidationError({"planned_end": ERR_END_BEFORE_START})
    secondment = Secondment(
        worker=worker,
        host_street=host_street,
        host_department=host_department,
        reason=reason.strip(),
        planned_start=planned_start,
        planned_end=planned_end,
        requested_by=actor,
    )
    secondment.full_clean()
    secondment.save()
    audit.record(
        actor=actor,
        action="secondment.request",
        obj=secondment,
        details={"worker": worker.pk, "host": secondment.host_name},
    )
    return secondment


def check_opinion_file(upload: UploadedFile) -> uploads.Kind:
    """PDF, JPEG or PNG judged by the file's first bytes, never by its name or declared type."""
    limit = settings.STAFF_OPINION_MAX_BYTES
    return uploads.check(
        upload,
        field="file",
        max_bytes=limit,
        too_large=ERR_FILE_SIZE.format(limit=uploads.megabytes(limit)),
        wrong_kind=ERR_FILE_TYPE,
    )


@transaction.atomic
def secondment_attach_opinion(
    *, actor, secondment: Secondment, side: str, text: str = "", upload: UploadedFile | None = None
) -> SecondmentOpinion:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["opinion"], "登记书面意见")
    if secondment.opinions.filter(side=side).exists():
        raise ValidationError({"side": ERR_OPINION_EXISTS})
    text = text.strip()
    if not text and upload is None:
        raise ValidationError({"text": ERR_OPINION_EMPTY})
    unit = secondment.worker.committee if side == SecondmentOpinion.Side.SENDING else secondment.host_name
    opinion = SecondmentOpinion(
        secondment=secondment, side=side, unit_name=str(unit), text=text, recorded_by=actor
    )
    if upload is not None:
        kind = check_opinion_file(upload)
        opinion.content_type = kind.content_type
        opinion.file_name = (
            f"{secondment.pk}-{side}{kind.extension}"  # the download's name, not the uploader's
        )
        opinion.file.save(opinion.file_name, upload, save=False)  # stored under a random name (upload_to)
    try:
        opinion.full_clean()
        opinion.save()
        audit.record(
            actor=actor,
            action="secondment.attach_opinion",
            obj=secondment,
            details={"side": side, "file": opinion.content_type or None, "text": bool(text)},
        )
        if secondment.opinions.count() == len(SecondmentOpinion.Side):
            secondment.state = Secondment.State.OPINIONS_ATTACHED
            _save_step(actor, secondment, "opinions_complete", ["state"], {})
    except BaseException:
        if opinion.file and opinion.file._committed:  # the transaction rolls back: no row, no file
            opinion.file.delete(save=False)
        raise
    return opinion


@transaction.atomic
def secondment_approve(
    *, actor, secondment: Secondment, approval_document: str, approved_on: date
) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["approve"], "登记区政府批准")
    if not approval_document.strip():
        raise ValidationError({"approval_document": ERR_APPROVAL_DOCUMENT})
    secondment.approval_document = approval_document.strip()
    secondment.approved_on = approved_on
    secondment.approved_by = actor
    secondment.state = Secondment.State.APPROVED
    return _save_step(
        actor,
        secondment,
        "approve",
        ["approval_document", "approved_on", "approved_by", "state"],
        {"document": secondment.approval_document, "approved_on": approved_on.isoformat()},
    )


@transaction.atomic
def secondment_file(*, actor, secondment: Secondment, registry: str, reference: str) -> Secondment:
    """Record the filing with the HR bureau (`hr`) or the civil-affairs bureau (`civil`); both make it filed."""
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["file"], "备案")
    if registry not in REGISTRIES:
        raise ValidationError({"registry": ERR_UNKNOWN_REGISTRY})
    if not reference.strip():
        raise ValidationError({"reference": ERR_REFERENCE})
    prefix = REGISTRIES[registry]
    if getattr(secondment, f"{prefix}_at") is not None:
        raise ValidationError({"registry": ERR_ALREADY_FILED})
    setattr(secondment, f"{prefix}_at", timezone.now())
    setattr(secondment, f"{prefix}_reference", reference.strip())
    if secondment.filed_hr_at and secondment.filed_civil_at:
        secondment.state = Secondment.State.FILED
    return _save_step(
        actor,
        secondment,
        "file",
        [f"{prefix}_at", f"{prefix}_reference", "state"],
        {"registry": registry, "reference": reference.strip()},
    )


@transaction.atomic
def secondment_activate(*, actor, secondment: Secondment, started_on: date) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["activate"], "开始借调")
    if started_on < secondment.approved_on:
        raise ValidationError({"started_on": ERR_START_BEFORE_APPROVAL})
    worker = Worker.objects.select_for_update().get(pk=secondment.worker_id)
    if worker.status != Worker.Status.ACTIVE:
        raise ValidationError({"worker": ERR_WORKER_NOT_ACTIVE})
    worker.status = Worker.Status.SECONDED
    worker.save(update_fields=["status", "updated_at"])
    secondment.started_on = started_on
    secondment.state = Secondment.State.ACTIVE
    return _save_step(
        actor, secondment, "activate", ["started_on", "state"], {"started_on": started_on.isoformat()}
    )


@transaction.atomic
def secondment_end(*, actor, secondment: Secondment, ended_on: date) -> Secondment:
    secondment = _lock(secondment)
    _require_state(secondment, STEP_STATES["end"], "结束借调")
    if ended_on < secondment.started_on:
        raise ValidationError({"ended_on": ERR_END_BEFORE_START})
    Worker.objects.filter(pk=secondment.worker_id, status=Worker.Status.SECONDED).update(
        status=Worker.Status.ACTIVE, updated_at=timezone.now()
    )
    secondment.ended_on = ended_on
    secondment.state = Secondment.State.ENDED
    return _save_step(actor, secondment, "end", ["ended_on", "state"], {"ended_on": ended_on.isoformat()})


@transaction.atomic
def secondment_reject(*, actor, secondment: Secondment, reason: str) -> Secondment:
    secondment = _lock(secondment)
    _require_state(
        secondment,
        STEP_STATES["reject"],
        "否决",
    )
    if not reason.strip():
        raise ValidationError({"reason": ERR_REJECT_REASON})
    secondment.rejected_in_state = secondment.state
    secondment.rejected_reason = reason.strip()
    secondment.rejected_at = timezone.now()
    secondment.state = Secondment.State.REJECTED
    return _save_step(
        actor,
        secondment,
        "reject",
        ["rejected_in_state", "rejected_reason", "rejected_at", "state"],
        {"in_state": secondment.rejected_in_state, "reason": secondment.rejected_reason},
    )


# Pay -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayItems:
    base: Decimal
    position_allowance: Decimal
    qualification_allowance: Decimal
    honour: Decimal
    floor_top_up: Decimal

    @property
    def gross(self) -> Decimal:
        return (
            self.base
            + self.position_allowance
            + self.qualification_allowance
            + self.honour
            + self.floor_top_up
        )


def pay_items(
    *, policy: PayPolicy, posts: set[str], qualifications: set[str], hire_date: date, year: int, month: int
) -> PayItems:
    """One worker's month. Allowances do not add up across posts: the highest applies (a secretary who is
    also director gets 300 once). The minimum wage is compared with the regular monthly pay, before the
    one-off honour."""
    if posts & set(HEAD_POSTS):
        position = policy.head_allowance
    elif posts & set(DEPUTY_POSTS):
        position = policy.deputy_allowance
    else:
        position = Decimal("0.00")
    if Qualification.Level.SOCIAL_WORKER in qualifications:
        qualification = policy.social_worker_allowance
    elif Qualification.Level.ASSISTANT in qualifications:
        qualification = policy.assistant_allowance
    else:
        qualification = Decimal("0.00")
    anniversary = hire_date.year + policy.honour_service_years
    honour = policy.honour_amount if (anniversary, hire_date.month) == (year, month) else Decimal("0.00")
    regular = policy.base_monthly + position + qualification
    top_up = max(policy.minimum_wage - regular, Decimal("0.00"))
    return PayItems(policy.base_monthly, position, qualification, honour, top_up)


@transaction.atomic
def payroll_compute(*, actor, committee: Committee, year: int, month: int) -> Payroll:
    """The committee's payroll for a month, from the year's policy; computing it again replaces it."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": ERR_MONTH})
    policy = PayPolicy.objects.filter(year=year).first()
    if policy is None:
        raise ValidationError({"year": ERR_NO_POLICY.format(year=year)})
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    workers = (
        Worker.objects.filter(committee=committee, status__in=Worker.CURRENT, hire_date__lte=month_end)
        .prefetch_related("posts", "qualifications")
        .order_by("name", "id")
    )
    payroll, _ = Payroll.objects.select_for_update().update_or_create(
        committee=committee, year=year, month=month, defaults={"policy": policy, "computed_by": actor}
    )
    payroll.lines.all().delete()
    lines = []
    for worker in workers:
        posts = {p.post for p in worker.posts.all()}
        qualifications = {q.level for q in worker.qualifications.all() if q.obtained_on <= month_end}
        items = pay_items(
            policy=policy,
            posts=posts,
            qualifications=qualifications,
            hire_date=worker.hire_date,
            year=year,
            month=month,
        )
        lines.append(
            PayrollLine(
                payroll=payroll,
                worker=worker,
                posts="、".join(str(Post(p).label) for p in sorted(posts)),
                base=items.base,
                position_allowance=items.position_allowance,
                qualification_allowance=items.qualification_allowance,
                honour=items.honour,
                floor_top_up=items.floor_top_up,
                gross=items.gross,
                employer_insurance=policy.employer_insurance,
                below_floor=items.floor_top_up > 0,
            )
        )
    PayrollLine.objects.bulk_create(lines)
    audit.record(
        actor=actor,
        action="payroll.compute",
        obj=payroll,
        details={
            "committee": committee.code,
            "period": f"{year}-{month:02d}",
            "workers": len(lines),
            "gross": str(sum((line.gross for line in lines), Decimal("0.00"))),
            "below_floor": sum(1 for line in lines if line.below_floor),
        },
    )
    return payroll


@transaction.atomic
def payroll_export(*, actor, payroll: Payroll) -> ExportFile:
    lines = payroll.lines.select_related("worker").order_by("worker__name", "worker_id")
    export = PayrollExporter(payroll=payroll, lines=lines).render()
    audit.record(actor=actor, action="payroll.export", obj=payroll, details={"rows": export.rows})
    return export


# Evaluations -----------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_round_open(*, actor, year: int, threshold: Decimal) -> EvaluationRound:
    if EvaluationRound.objects.filter(year=year).exists():
        raise ValidationError({"year": ERR_ROUND_EXISTS})
    round_ = EvaluationRound(year=year, threshold=threshold)
    round_.full_clean()
    round_.save()
    audit.record(actor=actor, action="evaluation.open", obj=round_, details={"threshold": str(threshold)})
    return round_


@transaction.atomic
def evaluation_score_record(
    *, actor, round: EvaluationRound, worker: Worker, representative: str, scores: dict[str, int]
) -> EvaluationScore:
    round = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if round.closed_at is not None:
        raise ValidationError({"round": ERR_ROUND_CLOSED})
    if not worker.is_current or not worker.posts.filter(post=Post.SOCIAL_WORKER).exists():
        raise ValidationError({"worker": ERR_NOT_EVALUATED_POST})
    representative = representative.strip()
    if not representative:
        raise ValidationError({"representative": ERR_REPRESENTATIVE})
    for name in SCORE_FIELDS:
        value = scores.get(name)
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise ValidationError({name: ERR_SCORE_RANGE})
    if EvaluationScore.objects.filter(round=round, worker=worker, representative=representative).exists():
        raise ValidationError({"representative": ERR_DUPLICATE_SCORE})
    score = EvaluationScore(
        round=round,
        worker=worker,
        representative=representative,
        recorded_by=actor,
        **{n: scores[n] for n in SCORE_FIELDS},
    )
    score.full_clean()
    score.save()
    audit.record(
        actor=actor,
        action="evaluation.score",
        obj=score,
        details={
            "worker": worker.pk,
            "representative": representative,
            **{n: scores[n] for n in SCORE_FIELDS},
        },
    )
    return score


def score_expression() -> ExpressionWrapper:
    """The mean of the five dimensions of one representative's score."""
    total = sum((F(n) for n in SCORE_FIELDS[1:]), F(SCORE_FIELDS[0]))
    return ExpressionWrapper(total * 1.0 / len(SCORE_FIELDS), output_field=FloatField())


def accountability_candidates(round_: EvaluationRound) -> list[AccountabilityRecord]:
    """Unsaved records for every worker whose average over the representatives is below the threshold."""
    averages = (
        EvaluationScore.objects.filter(round=round_)
        .values("worker")
        .annotate(average=Avg(score_expression()))
        .order_by("worker")
    )
    return [
        AccountabilityRecord(
            round=round_,
            worker_id=row["worker"],
            average=Decimal(str(row["average"])).quantize(Decimal("0.01")),
        )
        for row in averages
        if Decimal(str(row["average"])) < round_.threshold
    ]


@transaction.atomic
def evaluation_round_close(*, actor, round: EvaluationRound) -> list[AccountabilityRecord]:
    """Average every social worker's scores over the representatives; each below the threshold opens a record."""
    round_ = EvaluationRound.objects.select_for_update().get(pk=round.pk)
    if round_.closed_at is not None:
        raise ValidationError({"round": ERR_ROUND_CLOSED})
    records = accountability_candidates(round_)
    AccountabilityRecord.objects.bulk_create(records)
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="evaluation.close",
        obj=round_,
        details={"accountability": len(records)},
    )
    return records


@transaction.atomic
def accountability_follow_up(
    *, actor, record: AccountabilityRecord, follow_up: str, close: bool = False
) -> AccountabilityRecord:
    record = AccountabilityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == AccountabilityRecord.Status.CLOSED:
        raise ValidationError({"follow_up": ERR_RECORD_CLOSED})
    if not follow_up.strip():
        raise ValidationError({"follow_up": ERR_FOLLOW_UP})
    record.follow_up = "\n".join(filter(None, [record.follow_up, follow_up.strip()]))
    record.followed_by = actor
    if close:
        record.status = AccountabilityRecord.Status.CLOSED
        record.closed_at = timezone.now()
    record.full_clean()
    record.save()
    audit.record(
        actor=actor,
        action="accountability.follow_up",
        obj=record,
        details={"close": close, "note": follow_up.strip()},
    )
    return record
