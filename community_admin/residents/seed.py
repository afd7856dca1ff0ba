"""Demo district, registry part. Full scale fills every committee to its recorded figures (about 226,500
households, 580,000 resident and 200,000 floating people); small scale a few households per committee."""

from datetime import date, timedelta

from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.core import idnumbers
from community_admin.core.progress import Progress
from community_admin.core.seeding import SeedContext, bulk_insert
from community_admin.org.models import Committee
from community_admin.residents.models import Household, Person, PersonEvent

# The demo district's own area codes (one city's districts), and where its floating people come from.
HOME_AREAS = ["370202", "370202", "370202", "370203", "370211", "370212", "370213"]
FLOATING_AREAS = [
    "371302",
    "371312",
    "370883",
    "371402",
    "410102",
    "410323",
    "341102",
    "342201",
    "320321",
    "211002",
    "230102",
    "370781",
    "370282",
    "372925",
    "511023",
    "130182",
    "140106",
    "220182",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国红玉梅文斌宇浩凯鹏辉颖佳欣怡晨阳雪琳婷倩"
    "子涵梓轩诗雨思彤嘉怡俊杰志强海燕丹丹晓东春梅秋菊冬雪立新永红德胜"
)
SMALL_HOUSEHOLDS = 5
FLOATING_HOUSEHOLD_SHARE = 0.15
# Most street offices have confirmed their committees' registries complete; these are still being entered
# (at full scale filled to part of their recorded figures), so both states are seen.
INCOMPLETE_COMMITTEES = 14
INCOMPLETE_SHARE = (0.55, 0.95)
COMPLETED_DAYS_AGO = (20, 200)


def run(ctx: SeedContext) -> None:
    if Household.objects.exists():
        ctx.say("[residents] 户籍台账已有数据，跳过。")
        return
    rng = ctx.rng("residents")
    committees = list(Committee.objects.order_by("code"))
    incomplete = _still_entering(ctx, committees)
    gen = _Generator(rng, today=timezone.localdate())
    progress = Progress("户籍台账", len(committees), stream=ctx.stderr)
    household_id, person_id = 1, 1
    households, persons, events = [], [], []
    for committee in committees:
        if ctx.scale == "full":
            share = incomplete.get(committee.pk, 1.0)
            target_h, target_r, target_f = (
                round(committee.recorded_households * share),
                round(committee.recorded_population * share),
                round(committee.recorded_floating * share),
            )
        else:
            target_h, target_r, target_f = SMALL_HOUSEHOLDS, 12, 3
        h_rows, p_rows, e_rows = gen.committee(
            committee, target_h, target_r, target_f, household_id, person_id
        )
        household_id += len(h_rows)
        person_id += len(p_rows)
        households += h_rows
        persons += p_rows
        events += e_rows
        progress.advance()
    progress.finish()
    now = timezone.now()
    bulk_insert(
        Household, ["id", *HOUSEHOLD_FIELDS, "created_at", "updated_at"], (r + (now, now) for r in households)
    )
    bulk_insert(Person, ["id", *PERSON_FIELDS, "created_at", "updated_at"], (r + (now, now) for r in persons))
    bulk_insert(PersonEvent, [*EVENT_FIELDS, "created_at"], (r + (now,) for r in events))
    active = sum(1 for p in persons if p[PERSON_FIELDS.index("status") + 1] in Person.ACTIVE_STATUSES)
    marked = _mark_complete(ctx, [c for c in committees if c.pk not in incomplete])
    ctx.say(
        f"[residents] {len(households)} 户，{active} 名在册人员（另有迁出、死亡 {len(persons) - active} 人）；"
        f"{marked} 个社区的人口登记已由街道确认完整，{len(committees) - marked} 个尚在录入。"
    )


def _still_entering(ctx: SeedContext, committees: list[Committee]) -> dict[int, float]:
    """The committees whose registry is not yet complete, with the share of their recorded figures entered
    (a generator of its own, so the rest of the registry is the same as without it)."""
    rng = ctx.rng("residents.completeness")
    chosen = rng.sample(committees, min(INCOMPLETE_COMMITTEES, len(committees)))
    return {c.pk: rng.uniform(*INCOMPLETE_SHARE) for c in chosen}


def _mark_complete(ctx: SeedContext, committees: list[Committee]) -> int:
    """Each street's clerk has confirmed these registries complete, some weeks or months ago: written as
    history (no audit rows), like the rest of the demo. Without the street's account, nothing is marked."""
    rng = ctx.rng("residents.completeness.when")
    clerks = {u.street_id: u for u in User.objects.filter(role=Role.STREET).order_by("pk")}
    now = timezone.now()
    marked = []
    for committee in committees:
        clerk = clerks.get(committee.street_id)
        if clerk is None:
            continue
        committee.registry_complete_by = clerk
        committee.registry_complete_at = now - timedelta(
            days=rng.randint(*COMPLETED_DAYS_AGO), hours=rng.randint(0, 8)
        )
        marked.append(committee)
    Committee.objects.bulk_update(marked, ["registry_complete_at", "registry_complete_by"], batch_size=500)
    return len(marked)


HOUSEHOLD_FIELDS = ["committee_id", "number", "building", "unit", "room", "housing_type", "kind"]
PERSON_FIELDS = [
    "household_id",
    "committee_id",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relationship",
    "phone",
    "status",
    "residence_permit_number",
    "disability_certificate",
    "disability_level",
    "minimum_allowance",
    "veteran",
    "party_member",
    "registered_unemployed",
    "marital_status",
]
EVENT_FIELDS = ["person_id", "kind", "happened_on", "from_committee_id", "from_household_id", "note"]


class _Generator:
    def __init__(self, rng, *, today: date):
        self.rng = rng
        self.today = today
        self.next_sequence: dict[tuple[str, date, int], int] = {}

    def name(self) -> str:
        given = self.rng.choice(GIVEN) + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")
        return self.rng.choice(SURNAMES) + given

    def id_number(self, area: str, born: date, male: bool) -> str:
        key = (area, born, male)
        sequence = self.next_sequence.get(key, self.rng.randrange(1, 400) * 2 + (1 if male else 0))
        self.next_sequence[key] = sequence + 2
        return idnumbers.make(area, born, sequence % 1000)

    def birth(self, age: int) -> date:
        return self.today - timedelta(days=age * 365 + self.rng.randrange(365))

    def committee(self, committee, target_h, target_r, target_f, household_id, person_id):
        rng = self.rng
        floating_h = round(target_h * FLOATING_HOUSEHOLD_SHARE) if target_f else 0
        resident_h = max(target_h - floating_h, 1)
        sizes = self._split(target_r, resident_h, low=1, high=6)
        floating_sizes = (
            self._split(min(target_f, floating_h * 3), floating_h, low=1, high=4) if floating_h else []
        )
        lodgers = target_f - sum(floating_sizes)
        households, persons, events = [], [], []
        buildings = max(target_h // 48, 1)
        for index, size in enumerate(sizes + floating_sizes):
            floating = index >= len(sizes)
            hid = household_id + index
            number = f"{committee.code}{index + 1:05d}"
            building = f"{index % buildings + 1}号楼"
            unit, room = (
                str(index // buildings % 4 + 1),
                f"{index // (buildings * 4) % 12 + 1}0{index % 2 + 1}",
            )
            housing = (
                "rented"
                if floating
                else rng.choices(["owned", "public", "unit", "rented"], [70, 12, 10, 8])[0]
            )
            kind = "floating" if floating else ("registered" if rng.random() < 0.85 else "resident")
            households.append((hid, committee.pk, number, building, unit, room, housing, kind))
            members = self._household_members(size, floating, kind)
            poor = not floating and rng.random() < 0.02
            for relationship, age, male, status in members:
                persons.append(
                    self._person(
                        person_id + len(persons), hid, committee.pk, relationship, age, male, status, poor
                    )
                )
        # Floating people lodging with resident households, as tenants registered at the address.
        for _ in range(lodgers):
            hid = household_id + rng.randrange(len(sizes))
            persons.append(
                self._person(
                    person_id + len(persons),
                    hid,
                    committee.pk,
                    "other",
                    rng.randint(18, 55),
                    rng.random() < 0.55,
                    "floating",
                    False,
                )
            )
        # About one in a hundred former residents moved out and one in two hundred died: records stay.
        for _ in range(max(target_r // 100, 1)):
            hid = household_id + rng.randrange(len(sizes))
            pid = person_id + len(persons)
            gone, age = (
                ("deceased", rng.randint(60, 98))
                if rng.random() < 0.33
                else ("moved_out", rng.randint(18, 70))
            )
            persons.append(
                self._person(pid, hid, committee.pk, "other", age, rng.random() < 0.5, gone, False)
            )
            kind = "death" if gone == "deceased" else "move_out"
            happened = self.today - timedelta(days=rng.randrange(1, 720))
            note = (
                ""
                if gone == "deceased"
                else rng.choice(["迁往外省", "迁往本市其他区", "随子女迁出", "购房迁出"])
            )
            events.append((pid, kind, happened, committee.pk, hid, note))
        return households, persons, events

    def _split(self, total: int, parts: int, *, low: int, high: int) -> list[int]:
        """`parts` household sizes between low and high summing to `total` (as near as the bounds allow)."""
        if parts <= 0:
            return []
        sizes = [low] * parts
        remaining = total - low * parts
        order = list(range(parts))
        while remaining > 0:
            self.rng.shuffle(order)
            grew = False
            for i in order:
                if remaining <= 0:
                    break
                if sizes[i] < high:
                    step = min(remaining, self.rng.randint(1, 2), high - sizes[i])
                    sizes[i] += step
                    remaining -= step
                    grew = True
            if not grew:
                break
        return sizes

    def _household_members(self, size: int, floating: bool, kind: str):
        rng = self.rng
        status = "floating" if floating else ("registered" if kind == "registered" else "resident")
        head_age = rng.randint(22, 45) if floating else rng.randint(28, 88)
        head_male = rng.random() < 0.62
        members = [("head", head_age, head_male, status)]
        if size >= 2:
            members.append(("spouse", max(head_age + rng.randint(-5, 5), 20), not head_male, status))
        for _ in range(size - len(members)):
            if head_age > 70 and rng.random() < 0.5:
                members.append(("child", head_age - rng.randint(24, 34), rng.random() < 0.5, status))
            elif head_age > 50 and rng.random() < 0.3:
                members.append(
                    ("grandchild", max(head_age - rng.randint(48, 60), 0), rng.random() < 0.5, status)
                )
            elif head_age < 50 and rng.random() < 0.25:
                members.append(
                    ("parent", min(head_age + rng.randint(24, 32), 98), rng.random() < 0.45, status)
                )
            else:
                members.append(("child", max(head_age - rng.randint(22, 36), 0), rng.random() < 0.5, status))
        return members

    def _person(self, pid, hid, committee_id, relationship, age, male, status, poor):
        rng = self.rng
        born = self.birth(age)
        area = rng.choice(FLOATING_AREAS if status == "floating" else HOME_AREAS)
        number = self.id_number(area, born, male)
        adult = age >= 18
        disabled = rng.random() < 0.05
        level = rng.choices([1, 2, 3, 4], [10, 20, 35, 35])[0] if disabled else None
        marital = ""
        if adult:
            marital = rng.choices(
                ["single", "married", "divorced", "widowed"],
                [15 if age < 30 else 4, 78, 6, 10 if age > 70 else 1],
            )[0]
        if relationship in ("head", "spouse") and adult:
            marital = "married" if relationship == "spouse" or rng.random() < 0.8 else marital
        return (
            pid,
            hid,
            committee_id,
            self.name(),
            number,
            "M" if male else "F",
            born,
            relationship,
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if adult and rng.random() < 0.85 else "",
            status,
            f"3702{rng.randrange(10**10):010d}" if status == "floating" and rng.random() < 0.6 else "",
            f"{number}{rng.randint(1, 7)}{level}" if disabled else "",
            level,
            poor,
            male and age >= 35 and rng.random() < 0.04,
            adult and rng.random() < 0.08,
            18 <= age < 60 and status != "floating" and rng.random() < 0.03,
            marital,
        )
