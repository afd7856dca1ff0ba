"""The annual evaluation by residents' representatives and the accountability records it opens."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, ExpressionWrapper, F, FloatField
from django.utils import timezone

from community_admin.core import audit
from community_admin.staff.models import (
    SCORE_FIELDS,
    AccountabilityRecord,
    EvaluationRound,
    EvaluationScore,
    Post,
    Worker,
)

ERR_ROUND_EXISTS = "该年度测评已存在。"
ERR_ROUND_CLOSED = "该年度测评已结束，不能再录入。"
ERR_NOT_EVALUATED_POST = "只对在岗社工测评。"
ERR_SCORE_RANGE = "分数应在 0 至 100 之间。"
ERR_DUPLICATE_SCORE = "该居民代表已为该社工打分。"
ERR_REPRESENTATIVE = "请填写居民代表姓名。"
ERR_FOLLOW_UP = "请填写跟进情况。"
ERR_RECORD_CLOSED = "该记录已办结。"


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
