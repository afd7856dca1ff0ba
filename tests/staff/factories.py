"""Staff test data, made through the services so every object is one the system could have made."""

import itertools
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community_admin.core import idnumbers
from community_admin.staff import services
from community_admin.staff.models import (
    EvaluationRound,
    PayPolicy,
    Post,
    RetirementRule,
    RetirementRuleSet,
    VersionStatus,
    Worker,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
_sequence = itertools.count(1)


def id_number(*, born: date = date(1985, 3, 14), sex: str = "F") -> str:
    n = next(_sequence) * 2 % 1000
    return idnumbers.make("410105", born, n + (1 if sex == "M" else 0))


def make_worker(
    actor,
    committee,
    *,
    posts=(Post.SOCIAL_WORKER,),
    born=date(1985, 3, 14),
    sex="F",
    hire_date=date(2010, 5, 1),
    education=Worker.Education.BACHELOR,
    name=None,
) -> Worker:
    return services.worker_create(
        actor=actor,
        committee=committee,
        name=name or f"工作者{next(_sequence)}",
        id_number=id_number(born=born, sex=sex),
        education=education,
        hire_date=hire_date,
        posts=list(posts),
    )


def make_policy(year: int, *, status=VersionStatus.ADOPTED, **overrides) -> PayPolicy:
    """Made directly (not through the services): a test may need a year outside the drafting window."""
    values = {
        "base_monthly": Decimal("1500.00"),
        "insured_monthly": Decimal("2300.00"),
        "head_allowance": Decimal("300.00"),
        "deputy_allowance": Decimal("100.00"),
        "social_worker_allowance": Decimal("200.00"),
        "assistant_allowance": Decimal("100.00"),
        "honour_service_years": 20,
        "honour_amount": Decimal("2000.00"),
        "minimum_wage": Decimal("1700.00"),
        "source_document": "测试",
        **overrides,
    }
    adopted = status != VersionStatus.DRAFT
    return PayPolicy.objects.create(
        year=year, status=status, adopted_at=timezone.now() if adopted else None, **values
    )


RULES = {
    "M": {"name": "男职工", "base_age": 60, "reform_from": date(1965, 1, 1), "birth_months_per_step": 4},
    "F": {"name": "女职工", "base_age": 50, "reform_from": date(1975, 1, 1), "birth_months_per_step": 2},
}


def make_retirement_rules(year: int, *, status=VersionStatus.ADOPTED, version: int = 1, **overrides):
    """A year's rules (the 2025 reform: men from 60 by one month in four, women from 50 by one in two)."""
    adopted = status != VersionStatus.DRAFT
    rule_set = RetirementRuleSet.objects.create(
        year=year,
        version=version,
        status=status,
        adopted_at=timezone.now() if adopted else None,
        superseded_at=timezone.now() if status == VersionStatus.SUPERSEDED else None,
        source_document="测试",
    )
    for sex, rule in RULES.items():
        values = {"max_delay_months": 36 if sex == "M" else 60, "service_years": 20, **rule}
        values.update(overrides.get(sex, {}))
        RetirementRule.objects.create(rule_set=rule_set, sex=sex, **values)
    return rule_set


def png(name="opinion.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_secondment(actor, worker, *, street=None):
    return services.secondment_request(
        actor=actor,
        worker=worker,
        reason="协助街道人口普查",
        planned_start=date(2025, 3, 1),
        host_street=street or worker.committee.street,
    )


def seconded_through_every_step(actor, worker, *, started_on=date(2025, 4, 1)):
    s = make_secondment(actor, worker)
    services.secondment_attach_opinion(actor=actor, secondment=s, side="sending", text="同意。")
    services.secondment_attach_opinion(actor=actor, secondment=s, side="receiving", upload=png())
    services.secondment_approve(
        actor=actor, secondment=s, approval_document="区政府批复〔2025〕1号", approved_on=date(2025, 3, 20)
    )
    services.secondment_file(actor=actor, secondment=s, registry="hr", reference="人社备1号")
    services.secondment_file(actor=actor, secondment=s, registry="civil", reference="民政备1号")
    return services.secondment_activate(actor=actor, secondment=s, started_on=started_on)


class StaffObjects:
    """Per committee of the world: a social worker, a requested secondment with a scanned opinion, a payroll,
    and an accountability record."""

    def __init__(self, world):
        actor = world.bureau
        make_policy(2025)
        round_ = EvaluationRound.objects.create(year=2024)
        self.workers, self.secondments, self.opinions, self.payrolls, self.records = {}, {}, {}, {}, {}
        for key in ("a1", "a2", "b1"):
            committee = getattr(world, f"committee_{key}")
            worker = make_worker(actor, committee)
            secondment = make_secondment(actor, worker)
            opinion = services.secondment_attach_opinion(
                actor=actor, secondment=secondment, side="sending", upload=png()
            )
            services.evaluation_score_record(
                actor=actor,
                round=round_,
                worker=worker,
                representative="代表甲",
                scores=dict.fromkeys(("morality", "ability", "diligence", "performance", "integrity"), 40),
            )
            self.workers[key] = worker
            self.secondments[key] = secondment
            self.opinions[key] = opinion
            self.payrolls[key] = services.payroll_compute(
                actor=actor, committee=committee, year=2025, month=6
            )
        for record in services.evaluation_round_close(actor=actor, round=round_):
            key = next(k for k, w in self.workers.items() if w.pk == record.worker_id)
            self.records[key] = record


def staff_objects(world) -> StaffObjects:
    if not hasattr(world, "_staff_objects"):
        world._staff_objects = StaffObjects(world)
    return world._staff_objects


class PolicyObjects:
    """The yearly rules the route matrix needs: 2025 adopted (the staff objects' pay policy and a rule set),
    2026 drafts of both (the bureau's alone: out of the other roles' scope)."""

    def __init__(self, world):
        staff = staff_objects(world)
        self.pay_adopted = PayPolicy.objects.get(year=2025, status=VersionStatus.ADOPTED)
        self.pay_draft = make_policy(2026, status=VersionStatus.DRAFT, minimum_wage=Decimal("1950.00"))
        self.rules_adopted = make_retirement_rules(2025)
        self.rules_draft = make_retirement_rules(2026, status=VersionStatus.DRAFT)
        self.staff = staff


def policy_objects(world) -> PolicyObjects:
    if not hasattr(world, "_policy_objects"):
        world._policy_objects = PolicyObjects(world)
    return world._policy_objects
