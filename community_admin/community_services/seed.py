"""Demo district, services part: a year of home visits, activities, volunteers and community organisations.

Each committee gets its own 'service effort' (skewed low) so the balance differs across committees: visits reach
12–40% of its households in the year (some repeat visits), activities, volunteers and organisations scale with the same
effort. Full scale is about 70,000 visits; small scale a handful of rows per committee."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.community_services.models import (
    Activity,
    CommunityOrganisation,
    OrganisationMember,
    OrganisationSupport,
    Visit,
    Volunteer,
    VolunteerHours,
)
from community_admin.core.progress import Progress
from community_admin.core.seeding import SeedContext, bulk_insert
from community_admin.org.models import Committee
from community_admin.residents.models import Household, Person

NEEDS = [
    "希望增加老年助餐服务",
    "楼道灯损坏，请协调物业维修",
    "咨询低保申请条件",
    "子女入学政策咨询",
    "独居老人，希望定期探望",
    "反映小区停车难",
    "咨询医保报销手续",
    "希望社区开办书法班",
    "家中老人行动不便，需要上门服务",
    "邻里噪音纠纷",
    "",
    "",
    "",
]
FOLLOW_UPS = [
    "协调物业维修",
    "上门讲解政策并帮助准备材料",
    "联系街道助餐点",
    "下周再次探望",
    "转介司法所调解",
]
ACTIVITY_TITLES = {
    "culture": ["广场舞展演", "红歌合唱会", "书画作品展", "乒乓球友谊赛"],
    "education": ["家庭教育讲座", "防范电信诈骗讲座", "法律知识讲座"],
    "science": ["科普宣传日", "垃圾分类宣传", "防灾减灾知识宣传"],
    "care": ["关爱空巢老人上门服务", "困难家庭慰问", "助残服务日"],
    "festival": ["端午包粽子", "中秋邻里联欢", "重阳敬老宴", "春节写春联"],
    "consultation": ["居民议事会", "楼院协商会"],
    "volunteer": ["志愿清洁家园", "学雷锋志愿服务"],
    "health": ["健康义诊", "免费测血压血糖"],
}
PLACES = ["社区活动室", "社区广场", "社区服务中心多功能厅", "小区中心花园", "社区党群服务中心"]
ORG_NAMES = [
    ("culture", "夕阳红舞蹈队"),
    ("culture", "银龄合唱团"),
    ("elderly", "老年协会"),
    ("volunteer", "红马甲志愿服务队"),
    ("mutual_aid", "邻里互助会"),
    ("mediation", "和事佬调解室"),
    ("charity", "爱心帮扶社"),
    ("culture", "书画研习社"),
]
SKILLS = ["", "", "理发", "维修家电", "法律咨询", "医疗护理", "文艺", "心理疏导", "电脑"]


def run(ctx: SeedContext) -> None:
    if Visit.objects.exists() or Activity.objects.exists():
        ctx.say("[services] 社区服务已有数据，跳过。")
        return
    rng = ctx.rng("services")
    today = timezone.localdate()
    start = today - timedelta(days=364)
    full = ctx.scale == "full"
    committees = list(Committee.objects.order_by("code"))
    visitors = dict(
        User.objects.filter(role=Role.COMMITTEE).order_by("id").values_list("committee_id", "id").distinct()
    )
    households: dict[int, list[int]] = {}
    for hid, cid in (
        Household.objects.order_by("id").values_list("id", "committee_id").iterator(chunk_size=50_000)
    ):
        households.setdefault(cid, []).append(hid)
    adults: dict[int, list[int]] = {}
    adult_born = today - timedelta(days=18 * 365)
    for pid, cid in (
        Person.objects.filter(status__in=Person.ACTIVE_STATUSES, birth_date__lte=adult_born)
        .order_by("id")
        .values_list("id", "committee_id")
        .iterator(chunk_size=50_000)
    ):
        adults.setdefault(cid, []).append(pid)

    now = timezone.now()
    visits, activities, volunteers, hours, orgs, members, supports = [], [], [], [], [], [], []
    activity_id = org_id = volunteer_id = 1
    progress = Progress("社区服务", len(committees), stream=ctx.stderr)
    for committee in committees:
        progress.advance()
        visitor = visitors.get(committee.pk)
        homes = households.get(committee.pk, [])
        people = adults.get(committee.pk, [])
        if visitor is None or not homes:
            continue
        # This committee's share of time left for residents. Squared, so that low effort is common: the report's
        # "一多三少" committees, buried in administration, show up on the balance (about one in eight is flagged at full scale).
        effort = rng.uniform(0.25, 1.0) ** 2
        day = lambda: start + timedelta(days=rng.randrange(365))  # noqa: E731

        # Home visits: reaching 10–40% of households, a fifth of them visited again.
        reach = max(1, round(len(homes) * (0.10 + 0.30 * effort))) if full else rng.randint(1, len(homes))
        reached = rng.sample(homes, min(reach, len(homes)))
        for hid in reached + rng.sample(reached, len(reached) // 5):
            visited_on = day()
            follow_up, due, done = "", None, None
            if rng.random() < 0.15:
                follow_up = rng.choice(FOLLOW_UPS)
                due = visited_on + timedelta(days=rng.choice([3, 7, 14, 30]))
                if due < today and rng.random() < 0.8:
                    done = min(due, today)
            visits.append(
                (
                    committee.pk,
                    hid,
                    visited_on,
                    visitor,
                    rng.choice(["", "", "楼长", "网格员", "社区民警"]),
                    rng.choices([p for p, _ in Visit.Purpose.choices], [30, 20, 12, 6, 12, 6, 8, 6])[0],
                    rng.choice(NEEDS),
                    follow_up,
                    due,
                    done,
                    "已办结" if done else "",
                    now,
                    now,
                )
            )

        # Community organisations, their members, and the committee's support.
        residents = committee.recorded_population + committee.recorded_floating
        org_count = max(1, round(2 + 6 * effort)) if full else 1
        committee_orgs = []
        for kind, name in rng.sample(ORG_NAMES, org_count):
            founded = today - timedelta(days=rng.randrange(365, 365 * 12))
            orgs.append((org_id, committee.pk, name, kind, founded, rng.random() < 0.7, "", now, now))
            committee_orgs.append((org_id, name))
            for rank, pid in enumerate(
                rng.sample(people, min(len(people), rng.randint(5, 20) if full else 2))
            ):
                members.append(
                    (org_id, pid, "leader" if rank == 0 else "member", founded + timedelta(days=rank))
                )
            for _ in range(rng.randint(0, round(6 * effort)) if full else 1):
                kind_s = rng.choice([k for k, _ in OrganisationSupport.Kind.choices])
                amount = Decimal(rng.choice([500, 800, 1000, 2000])) if kind_s == "funding" else None
                supports.append(
                    (
                        org_id,
                        committee.pk,
                        day(),
                        kind_s,
                        f"{name}：{OrganisationSupport.Kind(kind_s).label}",
                        amount,
                        visitor,
                        now,
                        now,
                    )
                )
            org_id += 1

        # Volunteers: 0.5–2% of residents.
        committee_volunteers = []
        count = round(residents * (0.005 + 0.015 * effort)) if full else 2
        for pid in rng.sample(people, min(len(people), count)):
            volunteers.append((volunteer_id, pid, committee.pk, day(), rng.choice(SKILLS), now, now))
            committee_volunteers.append(volunteer_id)
            volunteer_id += 1

        # Activities: 2–10 per 1,000 residents a year, with volunteers serving at them.
        count = max(2, round(residents / 1000 * (2 + 8 * effort))) if full else 2
        for _ in range(count):
            kind = rng.choice(list(ACTIVITY_TITLES))
            held_on = day()
            organisation = rng.choice(committee_orgs) if committee_orgs and rng.random() < 0.3 else None
            activities.append(
                (
                    activity_id,
                    committee.pk,
                    rng.choice(ACTIVITY_TITLES[kind]),
                    kind,
                    held_on,
                    rng.choice(PLACES),
                    organisation[1] if organisation else committee.name,
                    organisation[0] if organisation else None,
                    rng.randint(15, 120),
                    visitor,
                    now,
                    now,
                )
            )
            for vid in rng.sample(committee_volunteers, min(len(committee_volunteers), rng.randint(0, 6))):
                hours.append(
                    (
                        vid,
                        activity_id,
                        committee.pk,
                        held_on,
                        Decimal(rng.choice([1.5, 2, 2.5, 3, 4])),
                        visitor,
                        now,
                        now,
                    )
                )
            activity_id += 1
    progress.finish()

    stamps = ["created_at", "updated_at"]
    bulk_insert(
        Visit,
        [
            "committee_id",
            "household_id",
            "visited_on",
            "visitor_id",
            "companion",
            "purpose",
            "needs",
            "follow_up",
            "follow_up_due",
            "follow_up_done_on",
            "follow_up_note",
            *stamps,
        ],
        visits,
    )
    bulk_insert(
        CommunityOrganisation,
        ["id", "committee_id", "name", "kind", "founded_on", "filed", "description", *stamps],
        orgs,
    )
    bulk_insert(OrganisationMember, ["organisation_id", "person_id", "role", "joined_on"], members)
    bulk_insert(
        OrganisationSupport,
        [
            "organisation_id",
            "committee_id",
            "given_on",
            "kind",
            "description",
            "amount",
            "recorded_by_id",
            *stamps,
        ],
        supports,
    )
    bulk_insert(
        Volunteer, ["id", "person_id", "committee_id", "registered_on", "skills", *stamps], volunteers
    )
    bulk_insert(
        Activity,
        [
            "id",
            "committee_id",
            "title",
            "kind",
            "held_on",
            "place",
            "organiser",
            "organisation_id",
            "participant_count",
            "created_by_id",
            *stamps,
        ],
        activities,
    )
    bulk_insert(
        VolunteerHours,
        ["volunteer_id", "activity_id", "committee_id", "served_on", "hours", "recorded_by_id", *stamps],
        hours,
    )
    ctx.say(
        f"[services] {len(visits)} 次走访，{len(activities)} 场活动，{len(volunteers)} 名志愿者"
        f"（{len(hours)} 条服务时长），{len(orgs)} 个社会组织（{len(members)} 名成员，{len(supports)} 次扶持）。"
    )
