from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from community_admin.accounts.models import User
from community_admin.core import idnumbers
from community_admin.staff import selectors
from community_admin.staff.models import Departure, EvaluationRound, Secondment, SecondmentOpinion, Worker

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_district", scale="small", seed=7, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_small_demo_district_reproduces_the_report_staff_figures():
    seed()
    bureau = User.objects.get(username="bureau")
    figures = selectors.staff_figures(selectors.visible_workers(bureau))
    assert figures.workers == 799
    assert figures.members == 455
    assert figures.social_workers == 349
    assert figures.both == 5
    assert figures.members + figures.social_workers - figures.both == figures.workers
    assert figures.college_or_above == 541
    assert figures.seconded == 51

    active = Secondment.objects.filter(state="active")
    assert active.count() == 51
    assert set(active.values_list("worker__status", flat=True)) == {"seconded"}
    # Every active secondment went through every step.
    for s in active.prefetch_related("opinions"):
        assert {o.side for o in s.opinions.all()} == set(SecondmentOpinion.Side.values)
        assert s.approval_document and s.approved_on and s.filed_hr_at and s.filed_civil_at and s.started_on
        assert s.worker.posts.filter(post="social_worker").exists()

    year_ago = timezone.localdate() - timedelta(days=365)
    assert Departure.objects.filter(kind="resigned", left_on__gte=year_ago).count() >= 30
    round_ = EvaluationRound.objects.get(year=timezone.localdate().year - 1)
    evaluated = {r.worker.pk for r in selectors.evaluation_results(bureau, round=round_)}
    assert len(evaluated) == 349
    for number in Worker.objects.values_list("id_number", flat=True):
        assert idnumbers.parse(number).value == number


def test_staffing_gaps_count_the_seconded_as_absent_in_the_demo():
    seed()
    bureau = User.objects.get(username="bureau")
    from community_admin.accounts.scoping import visible_committees

    rows = selectors.staffing_gaps(visible_committees(bureau))
    district = selectors.staffing_totals(rows)
    assert district.committees == 151
    assert district.members_present == 455
    assert district.social_workers_present == 349 - 51
    assert district.seconded == 51
    assert district.social_workers_gap >= district.social_workers_required - 298


def test_running_the_staff_seed_again_is_safe():
    seed()
    output = seed()
    assert Worker.objects.filter(status__in=Worker.CURRENT).count() == 799
    assert "[staff] 社区工作者已存在，跳过。" in output
