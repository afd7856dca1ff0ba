"""Workers: hiring, posts, qualifications, revealing the full ID number, and leaving (resignation, retirement)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community_admin.core import audit, idnumbers, reveals
from community_admin.org.models import Committee
from community_admin.staff import retirement, yearly
from community_admin.staff.models import (
    Departure,
    Post,
    Qualification,
    RetirementRule,
    Secondment,
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
ERR_NO_RETIREMENT_RULE = "尚无已采用的适用于该性别的退休规则：请区民政局在“年度规则”页面采用。"
ERR_LEFT_BEFORE_HIRED = "离岗日期早于参加工作日期。"
ERR_QUALIFICATION_FUTURE = "取得日期不能晚于今天。"


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


def retirement_rule_for(sex: str, year: int) -> RetirementRule:
    """The rule of the retirement rules that apply to `year` (its own adopted set, else the last before it)."""
    rule = yearly.retirement_rules_by_sex(year).get(sex)
    if rule is None:
        raise ValidationError({"worker": ERR_NO_RETIREMENT_RULE})
    return rule


@transaction.atomic
def worker_retire(*, actor, worker: Worker, left_on: date, note: str = "") -> Departure:
    worker = _lock_current(worker)
    due = retirement.retirement_date(worker.birth_date, retirement_rule_for(worker.sex, left_on.year))
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
