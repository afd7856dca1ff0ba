"""Demo district, staff part (DESIGN.md section 3): 799 workers — 455 in committee-member posts, 349 social
workers, 5 both, 541 with a college degree or above — 51 active secondments, 30+ resignations in the last
year, a year of 德能勤绩廉 evaluations. Small scale keeps all of it (the figures are the point).

Dates are relative to the day the seed runs ("the last year"), so the same seed gives the same people
and the same histories, shifted to today."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.core import idnumbers
from community_admin.core.progress import Progress
from community_admin.core.seeding import SeedContext
from community_admin.org import norms
from community_admin.org.models import Committee, Department
from community_admin.staff import reference, retirement
from community_admin.staff.models import (
    SCORE_FIELDS,
    AccountabilityRecord,
    Departure,
    EvaluationRound,
    EvaluationScore,
    PayPolicy,
    Post,
    Qualification,
    RetirementRule,
    Secondment,
    SecondmentOpinion,
    VersionStatus,
    Worker,
    WorkerPost,
)
from community_admin.staff.services import accountability_candidates

MEMBERS = 455
SOCIAL_WORKERS = 349
BOTH = 5
COLLEGE_OR_ABOVE = 541
SECONDED = 51
RESIGNED_LAST_YEAR = 34
RESIGNED_EARLIER = (31, 33)  # the two years before
RETIRED = 6
AREA_CODES = ("410105", "410106", "410107")  # the demo district's own codes

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = (
    "秀英华丽敏静芳娜玉兰桂霞艳红梅琳颖雪婷晶燕慧建国志强伟军明辉勇杰涛斌超亮平刚鹏宇浩凯俊峰磊洋春晓海波文娟"
)

RESIGNATION_REASONS = [
    (Departure.Reason.PAY, 12),
    (Departure.Reason.WORKLOAD, 8),
    (Departure.Reason.CAREER, 7),
    (Departure.Reason.FAMILY, 4),
    (Departure.Reason.HEALTH, 2),
    (Departure.Reason.OTHER, 1),
]
HOST_DEPARTMENTS = ("RS", "MZ", "ZJ", "CG", "ZF", "WJ", "TJ")


def run(ctx: SeedContext) -> None:
    today = timezone.localdate()
    _policies(today)
    if Worker.objects.exists():
        ctx.say("[staff] 社区工作者已存在，跳过。")
        return
    committees = list(Committee.objects.select_related("street").order_by("code"))
    bureau = User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    if not committees or bureau is None:
        ctx.say("[staff] 尚无社区或区民政局账号，跳过。")
        return
    rng = ctx.rng("staff")
    people = _People(rng, today)
    progress = Progress("社区工作者", 6, stream=ctx.stderr)

    members = _allocate(rng, [norms.required_members(c.recorded_households) for c in committees], MEMBERS, 2)
    socials = _allocate(
        rng, [norms.required_social_workers(c.recorded_households) for c in committees], SOCIAL_WORKERS, 1
    )
    both_at = set(rng.sample([i for i, n in enumerate(socials) if n >= 1], BOTH))
    plan: list[tuple[Committee, list[str], str]] = []  # (committee, posts, kind)
    for i, committee in enumerate(committees):
        for posts in _member_posts(rng, members[i]):
            plan.append((committee, posts, "member"))
        if i in both_at:
            plan[-1][1].append(Post.SOCIAL_WORKER)
        for n in range(socials[i] - (1 if i in both_at else 0)):
            posts = [Post.SOCIAL_WORKER]
            if n == 0 and rng.random() < 0.6:
                posts.append(Post.REEMPLOYMENT_ASSISTANT)
            plan.append((committee, posts, "social"))
    college = set(rng.sample(range(len(plan)), COLLEGE_OR_ABOVE))
    workers = [
        people.worker(committee, kind, college=i in college) for i, (committee, _, kind) in enumerate(plan)
    ]
    progress.advance()

    departed = _departed_workers(rng, people, committees, today)
    Worker.objects.bulk_create(workers + [w for w, _ in departed])
    WorkerPost.objects.bulk_create(
        WorkerPost(worker=w, post=p, since=w.hire_date)
        for w, (_, posts, _) in zip(workers, plan, strict=True)
        for p in posts
    )
    WorkerPost.objects.bulk_create(
        WorkerPost(worker=w, post=Post.SOCIAL_WORKER, since=w.hire_date) for w, _ in departed
    )
    Departure.objects.bulk_create(d for _, d in departed)
    _qualifications(rng, workers, plan)
    progress.advance()

    social_only = [w for w, (_, posts, kind) in zip(workers, plan, strict=True) if kind == "social"]
    street_users = {u.street_id: u for u in User.objects.filter(role=Role.STREET)}
    secondments = _secondments(rng, social_only, street_users, bureau, today)
    progress.advance()

    evaluated = [w for w, (_, posts, _) in zip(workers, plan, strict=True) if Post.SOCIAL_WORKER in posts]
    round_, low = _evaluations(rng, evaluated, street_users, bureau, today)
    progress.advance(3)
    progress.finish()
    ctx.say(
        f"[staff] {len(workers)} 名社区工作者（委员 {MEMBERS}，社工 {SOCIAL_WORKERS}，兼任 {BOTH}），"
        f"{secondments} 条借调记录（借调中 {SECONDED}），{len(departed)} 条离岗记录，"
        f"{round_.year} 年度测评 {len(evaluated)} 名社工、{low} 条责任追究。"
    )


def _policies(today: date) -> None:
    """This year's policy and the retirement rules are reference data (staff/reference.py, installed before the
    seed: the policy as a draft from the report); the demo adds last year's adopted policy and adopts this
    year's draft as the bureau would on the 年度规则 page, so payroll works and the pages compare two years."""
    if not PayPolicy.objects.filter(year=today.year - 1).exists():
        PayPolicy.objects.create(
            year=today.year - 1,
            status=VersionStatus.ADOPTED,
            adopted_at=timezone.now(),
            **{
                **reference.REPORT_POLICY,
                "minimum_wage": reference.LAST_YEAR_MINIMUM_WAGE,
                "source_document": reference.POLICY_SOURCE,
            },
        )
    draft = PayPolicy.objects.filter(year=today.year, status=VersionStatus.DRAFT).first()
    adopted = PayPolicy.objects.filter(year=today.year, status=VersionStatus.ADOPTED).exists()
    bureau = User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    if draft is not None and not adopted and bureau is not None:
        # the bureau checked the report's figures and adopted them (demo data: no audit rows, as elsewhere)
        draft.source_document, draft.note = reference.POLICY_SOURCE, "已核对调研报告数额"
        draft.status, draft.adopted_at, draft.adopted_by = VersionStatus.ADOPTED, timezone.now(), bureau
        draft.full_clean()
        draft.save()


def _allocate(rng, targets: list[int], total: int, minimum: int) -> list[int]:
    """Start from the norm and move towards `total` one worker at a time: the gaps fall unevenly, as in life."""
    counts = list(targets)
    while sum(counts) > total:
        i = rng.choice([i for i, n in enumerate(counts) if n > minimum])
        counts[i] -= 1
    while sum(counts) < total:
        counts[rng.randrange(len(counts))] += 1
    return counts


def _member_posts(rng, n: int) -> list[list[str]]:
    if n == 0:
        return []
    if rng.random() < 0.5 or n == 1:  # 书记、主任“一肩挑”
        posts = [[Post.SECRETARY, Post.DIRECTOR]]
    else:
        posts = [[Post.SECRETARY], [Post.DIRECTOR]]
    if len(posts) < n and n >= 4:
        posts.append([rng.choice([Post.DEPUTY_DIRECTOR, Post.DEPUTY_SECRETARY])])
    while len(posts) < n:
        posts.append([Post.MEMBER])
    return posts


class _People:
    def __init__(self, rng, today: date):
        self.rng = rng
        self.today = today
        self.used: set[str] = set()

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def id_number(self, born: date, sex: str) -> str:
        while True:
            sequence = self.rng.randrange(0, 999)
            if (sequence % 2 == 1) != (sex == "M"):
                sequence = (sequence + 1) % 1000
            number = idnumbers.make(self.rng.choice(AREA_CODES), born, sequence)
            if number not in self.used:
                self.used.add(number)
                return number

    def worker(
        self, committee, kind: str, *, college: bool, born: date | None = None, sex: str | None = None
    ):
        rng = self.rng
        sex = sex or ("F" if rng.random() < 0.72 else "M")
        if born is None:
            ages = (34, 57) if kind == "member" else (23, 46)
            born = self.today - timedelta(days=rng.randint(ages[0] * 365, ages[1] * 365))
        earliest = max(born + timedelta(days=19 * 365), date(1992, 1, 1))
        latest = self.today - timedelta(days=120)
        hired = earliest + timedelta(days=rng.randint(0, max((latest - earliest).days, 0)))
        if college:
            education = rng.choices(["college", "bachelor", "postgraduate"], weights=[55, 40, 5])[0]
        else:
            education = rng.choice(["junior", "senior", "senior"])
        return Worker(
            name=self.name(),
            id_number=self.id_number(born, sex),
            sex=sex,
            birth_date=born,
            education=education,
            hire_date=hired,
            committee=committee,
        )


def _departed_workers(rng, people: _People, committees, today: date) -> list[tuple[Worker, Departure]]:
    reasons = [reason for reason, weight in RESIGNATION_REASONS for _ in range(weight)]
    departed = []
    windows = [(today - timedelta(days=360), today - timedelta(days=1), RESIGNED_LAST_YEAR)]
    for back, count in enumerate(RESIGNED_EARLIER, start=1):
        year = today.year - back
        windows.append((date(year, 1, 1), date(year, 12, 31), count))
    for start, end, count in windows:
        for _ in range(count):
            committee = rng.choice(committees)
            left = start + timedelta(days=rng.randint(0, (end - start).days))
            worker = people.worker(committee, "social", college=rng.random() < 0.7)
            if worker.hire_date >= left:
                worker.hire_date = left - timedelta(days=rng.randint(200, 2000))
            worker.status, worker.left_on = Worker.Status.RESIGNED, left
            departed.append(
                (
                    worker,
                    Departure(
                        worker=worker,
                        kind="resigned",
                        left_on=left,
                        reason=rng.choice(reasons),
                        committee=committee,
                    ),
                )
            )
    women = RetirementRule(
        sex="F", base_age=50, reform_from=date(1975, 1, 1), birth_months_per_step=2, max_delay_months=60
    )
    for i in range(RETIRED):
        committee = rng.choice(committees)
        born = date(today.year - 51 - i % 3, rng.randint(1, 12), rng.randint(1, 28))
        left = retirement.retirement_date(born, women)
        worker = people.worker(committee, "member", college=False, born=born, sex="F")
        worker.hire_date = min(worker.hire_date, left - timedelta(days=rng.randint(8, 25) * 365))
        worker.status, worker.left_on = Worker.Status.RETIRED, left
        departed.append(
            (
                worker,
                Departure(
                    worker=worker, kind="retired", left_on=left, reason="retirement", committee=committee
                ),
            )
        )
    return departed


def _qualifications(rng, workers, plan) -> None:
    qualifications = []
    for n, (worker, (_, posts, _)) in enumerate(zip(workers, plan, strict=True)):
        roll = rng.random()
        chance = 0.40 if Post.SOCIAL_WORKER in posts else 0.15
        if roll >= chance:
            continue
        level = Qualification.Level.SOCIAL_WORKER if roll < chance / 4 else Qualification.Level.ASSISTANT
        obtained = max(worker.hire_date, date(2009, 6, 1)) + timedelta(days=rng.randint(30, 900))
        obtained = min(obtained, timezone.localdate() - timedelta(days=30))
        prefix = "SW" if level == Qualification.Level.SOCIAL_WORKER else "ASW"
        qualifications.append(
            Qualification(
                worker=worker,
                level=level,
                certificate_number=f"{prefix}{obtained.year}{n:06d}",
                obtained_on=obtained,
            )
        )
    Qualification.objects.bulk_create(qualifications)


def _secondments(rng, social_only: list[Worker], street_users, bureau, today: date) -> int:
    """51 active secondments that went through every step, a few at each earlier step, some ended or rejected."""
    departments = list(Department.objects.filter(code__in=HOST_DEPARTMENTS).order_by("code"))
    pool = rng.sample(social_only, SECONDED + 14)
    active, in_progress = pool[:SECONDED], pool[SECONDED:]
    states = [
        "requested",
        "requested",
        "requested",
        "opinions_attached",
        "opinions_attached",
        "approved",
        "filed",
    ]
    states += ["ended"] * 4 + ["rejected"] * 3
    secondments, opinions = [], []
    now = timezone.now()
    for n, (worker, state) in enumerate(
        [(w, "active") for w in active] + list(zip(in_progress, states, strict=True))
    ):
        requester = street_users.get(worker.committee.street_id, bureau)
        to_street = rng.random() < 0.55 or not departments
        requested = today - timedelta(
            days=rng.randint(20, 900) if state in ("active", "ended") else rng.randint(2, 60)
        )
        s = Secondment(
            worker=worker,
            host_street=worker.committee.street if to_street else None,
            host_department=None if to_street else rng.choice(departments),
            reason=rng.choice(
                [
                    "协助街道开展人口普查",
                    "协助办理社保业务",
                    "参与创建文明城市工作",
                    "协助综治中心值班",
                    "协助城管专项整治",
                ]
            ),
            planned_start=requested + timedelta(days=30),
            requested_by=requester,
            state=state,
        )
        reached = ["requested", "opinions_attached", "approved", "filed", "active", "ended"]
        step = reached.index(state) if state in reached else rng.randint(0, 3)
        if step >= 1:
            opinions += [
                SecondmentOpinion(
                    secondment=s,
                    side="sending",
                    unit_name=worker.committee.name,
                    text="同意借调，社区工作已作安排。",
                    recorded_by=requester,
                ),
                SecondmentOpinion(
                    secondment=s,
                    side="receiving",
                    unit_name=s.host_name,
                    text="确因工作需要，申请借调。",
                    recorded_by=requester,
                ),
            ]
        elif state == "requested" and n % 2:
            opinions.append(
                SecondmentOpinion(
                    secondment=s,
                    side="sending",
                    unit_name=worker.committee.name,
                    text="同意借调。",
                    recorded_by=requester,
                )
            )
        if step >= 2:
            s.approved_on = requested + timedelta(days=10)
            s.approval_document = f"区政府借调批复〔{s.approved_on.year}〕{n + 1}号"
            s.approved_by = bureau
        if step >= 3 or state == "approved":
            s.filed_hr_at, s.filed_hr_reference = now - timedelta(days=1), f"人社备〔{today.year}〕{n + 1}号"
        if step >= 3:
            s.filed_civil_at, s.filed_civil_reference = (
                now - timedelta(days=1),
                f"民政备〔{today.year}〕{n + 1}号",
            )
        if step >= 4:
            s.started_on = s.approved_on + timedelta(days=20)
        if state == "active":
            worker.status = Worker.Status.SECONDED
        if state == "ended":
            s.ended_on = min(s.started_on + timedelta(days=rng.randint(90, 365)), today)
        if state == "rejected":
            s.rejected_in_state = reached[step]
            s.rejected_at = now
            s.rejected_reason = "借调理由不充分，社区人手不足。"
        secondments.append(s)
    Worker.objects.bulk_update(active, ["status"])
    Secondment.objects.bulk_create(secondments)
    SecondmentOpinion.objects.bulk_create(opinions)
    return len(secondments)


def _evaluations(rng, evaluated: list[Worker], street_users, bureau, today: date):
    round_ = EvaluationRound.objects.create(year=today.year - 1, threshold=Decimal("60"))
    weak = set(rng.sample(range(len(evaluated)), 7))
    scores = []
    for i, worker in enumerate(evaluated):
        recorder = street_users.get(worker.committee.street_id, bureau)
        centre = rng.randint(40, 58) if i in weak else rng.randint(72, 92)
        for r in range(rng.randint(3, 5)):
            values = {f: max(0, min(100, centre + rng.randint(-8, 8))) for f in SCORE_FIELDS}
            scores.append(
                EvaluationScore(
                    round=round_,
                    worker=worker,
                    representative=f"居民代表{r + 1}号",
                    recorded_by=recorder,
                    **values,
                )
            )
    EvaluationScore.objects.bulk_create(scores)
    records = accountability_candidates(round_)
    for record in records[:2]:
        record.status = AccountabilityRecord.Status.CLOSED
        record.follow_up = "街道已约谈本人，制定改进计划，三个月后复评合格。"
        record.closed_at = timezone.now()
    AccountabilityRecord.objects.bulk_create(records)
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at"])
    return round_, len(records)
