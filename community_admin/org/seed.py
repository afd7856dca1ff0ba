"""Demo district, structure part: DESIGN.md section 3 (11 streets, 151 committees, 68 service centres …)."""

from datetime import date
from decimal import Decimal

from community_admin.core.progress import Progress
from community_admin.core.seeding import SeedContext
from community_admin.org.models import Committee, Department, Honour, ServiceCentre, Street
from community_admin.org.reference import DEPARTMENTS

STREETS = [
    "解放路",
    "人民路",
    "建设路",
    "和平路",
    "新华路",
    "胜利路",
    "光明路",
    "文化路",
    "幸福路",
    "东风路",
    "长江路",
]
# Committees per street: 151 in all.
COMMITTEES_PER_STREET = [15, 14, 14, 14, 13, 14, 14, 13, 14, 13, 13]
COMMITTEE_NAME_ROOTS = [
    "东苑",
    "西苑",
    "南苑",
    "北苑",
    "金桥",
    "银河",
    "翠园",
    "花园",
    "锦绣",
    "阳光",
    "春晖",
    "秋实",
    "丽景",
    "安居",
    "康乐",
    "和谐",
    "振兴",
    "新村",
    "朝阳",
    "滨河",
]
UNIT_HOSTS = [
    "机床厂",
    "纺织厂",
    "钢铁公司",
    "铁路",
    "电业局",
    "化肥厂",
    "制药厂",
    "造纸厂",
    "棉纺厂",
    "水泥厂",
    "汽车厂",
    "师范学院",
    "医学院",
    "煤矿",
    "电信局",
    "粮食局",
    "印刷厂",
    "玻璃厂",
    "轴承厂",
    "电缆厂",
    "发电厂",
    "啤酒厂",
    "橡胶厂",
]
KINDS = {"residential": 127, "unit": 23, "mixed": 1}
VILLAGE_CONVERTED = 8
VILLAGE_CONVERTED_ON = date(2011, 11, 18)
TARGET_HOUSEHOLDS = 226_500
TARGET_POPULATION = 580_000
TARGET_FLOATING = 200_000

STREET_CENTRES = 8
COMMITTEE_CENTRES = 60
CENTRES_OVER_1000 = 24
CENTRES_OVER_500 = 35  # including the 24 over 1,000 m²
BOUTIQUE = 26
DEMONSTRATION = 19

POLICE_STATIONS = 8  # each serves one or two streets


def run(ctx: SeedContext) -> None:
    if Street.objects.exists():
        ctx.say("[org] 演示城区的街道与社区已存在，跳过。")
        return
    rng = ctx.rng("org")
    progress = Progress("街道与社区", len(STREETS) + sum(COMMITTEES_PER_STREET), stream=ctx.stderr)

    streets = Street.objects.bulk_create(
        Street(code=f"{i:02d}", name=f"{name}街道") for i, name in enumerate(STREETS, start=1)
    )
    progress.advance(len(streets))

    slots = [
        (street, n)
        for street, count in zip(streets, COMMITTEES_PER_STREET, strict=True)
        for n in range(1, count + 1)
    ]
    kinds = ["residential"] * KINDS["residential"] + ["unit"] * KINDS["unit"] + ["mixed"] * KINDS["mixed"]
    rng.shuffle(kinds)
    residential_slots = [i for i, k in enumerate(kinds) if k == "residential"]
    village = set(rng.sample(residential_slots, VILLAGE_CONVERTED))
    households = _spread(rng, kinds, TARGET_HOUSEHOLDS)

    committees = []
    unit_hosts = iter(UNIT_HOSTS)
    used_names: set[tuple[int, str]] = set()
    for i, ((street, n), kind) in enumerate(zip(slots, kinds, strict=True)):
        name = _committee_name(rng, street, kind, i in village, unit_hosts, used_names)
        h = households[i]
        required = max(Decimal(300), Decimal(h) * Decimal("0.2"))
        # About 60% of committees meet the report's office norm; the rest fall short by up to half.
        factor = rng.uniform(1.0, 1.6) if rng.random() < 0.6 else rng.uniform(0.5, 0.98)
        committees.append(
            Committee(
                code=f"{street.code}{n:02d}",
                name=name,
                street=street,
                kind=kind,
                village_converted=i in village,
                village_converted_on=VILLAGE_CONVERTED_ON if i in village else None,
                party_organisation=f"{name}{'党委' if h >= 2500 else '党总支' if h >= 1200 else '党支部'}",
                office_area_m2=(required * Decimal(str(round(factor, 3)))).quantize(Decimal("1")),
                recorded_households=h,
            )
        )
        progress.advance()
    _spread_people(rng, committees)
    Committee.objects.bulk_create(committees)
    committees = list(Committee.objects.select_related("street").order_by("code"))
    progress.finish()

    centres = _service_centres(rng, streets, committees)
    departments = _departments(rng, streets)
    honours = _honours(streets, committees)
    ctx.say(
        f"[org] {len(streets)} 个街道，{len(committees)} 个社区，{centres} 个服务中心，"
        f"{departments} 个部门，{honours} 项荣誉。"
    )


def _spread(rng, kinds: list[str], total: int) -> list[int]:
    """Household counts: unit-based committees small, residential ones spread widely; summing to `total`."""
    raw = []
    for kind in kinds:
        if kind == "unit":
            raw.append(rng.uniform(300, 1100))
        else:
            raw.append(rng.lognormvariate(7.35, 0.38))
    scale = total / sum(raw)
    counts = [max(120, round(x * scale)) for x in raw]
    counts[counts.index(max(counts))] += total - sum(counts)
    return counts


def _spread_people(rng, committees: list[Committee]) -> None:
    weights = [c.recorded_households * rng.uniform(0.85, 1.15) for c in committees]
    floating_weights = [c.recorded_households * rng.uniform(0.3, 1.7) for c in committees]
    for target, field, ws in (
        (TARGET_POPULATION, "recorded_population", weights),
        (TARGET_FLOATING, "recorded_floating", floating_weights),
    ):
        scale = target / sum(ws)
        values = [round(w * scale) for w in ws]
        values[0] += target - sum(values)
        for committee, value in zip(committees, values, strict=True):
            setattr(committee, field, value)


def _committee_name(rng, street, kind, village, unit_hosts, used) -> str:
    if kind == "unit":
        base = f"{next(unit_hosts)}家属委员会"
    elif village:
        base = f"{rng.choice(['王庄', '李家', '张村', '刘营', '赵庄', '马家', '孙村', '周庄', '吴家', '郑村'])}社区居委会"
    else:
        suffix = "社区居委会" if kind == "residential" else "混合社区居委会"
        base = f"{street.name[:-2]}{rng.choice(COMMITTEE_NAME_ROOTS)}{suffix}"
    name, n = base, 1
    while (street.pk, name) in used:
        n += 1
        name = base.replace("社区", f"{n}号社区", 1) if "社区" in base else f"{base}{n}"
    used.add((street.pk, name))
    return name


def _service_centres(rng, streets, committees) -> int:
    street_owners = rng.sample(streets, STREET_CENTRES)
    committee_owners = rng.sample(committees, COMMITTEE_CENTRES)
    # Sizes: 24 over 1,000 m² (all street centres among them), 11 more over 500, the rest smaller.
    street_sizes = [rng.randint(1200, 3000) for _ in street_owners]
    committee_sizes = (
        [rng.randint(1000, 1800) for _ in range(CENTRES_OVER_1000 - STREET_CENTRES)]
        + [rng.randint(500, 999) for _ in range(CENTRES_OVER_500 - CENTRES_OVER_1000)]
        + [rng.randint(150, 499) for _ in range(COMMITTEE_CENTRES - (CENTRES_OVER_500 - STREET_CENTRES))]
    )
    centres = [
        ServiceCentre(name=f"{s.name}社区服务中心", level="street", street=s, area_m2=Decimal(size))
        for s, size in zip(street_owners, street_sizes, strict=True)
    ] + [
        ServiceCentre(
            name=f"{c.name.replace('居委会', '').replace('委员会', '')}服务中心",
            level="committee",
            street=c.street,
            committee=c,
            area_m2=Decimal(size),
        )
        for c, size in zip(committee_owners, committee_sizes, strict=True)
    ]
    # Boutique centres are the larger ones; the first 19 of them passed the city's demonstration acceptance.
    by_size = sorted(centres, key=lambda c: -c.area_m2)
    for rank, centre in enumerate(by_size[:BOUTIQUE]):
        centre.boutique = True
        if rank < DEMONSTRATION:
            centre.demonstration_passed = True
            centre.demonstration_year = 2010 + rank % 6
    ServiceCentre.objects.bulk_create(centres)
    return len(centres)


def _departments(rng, streets) -> int:
    # The district's bureaus come with the reference data (org/reference.py); the police stations are demo data.
    district = Department.objects.filter(code__in=[code for code, _, _ in DEPARTMENTS]).count()
    stations = Department.objects.bulk_create(
        Department(code=f"PS{i:02d}", name=f"{STREETS[i - 1]}派出所", kind="police")
        for i in range(1, POLICE_STATIONS + 1)
    )
    # Eight stations for eleven streets: the first three serve two streets each.
    for i, station in enumerate(stations):
        served = [streets[i]] + ([streets[POLICE_STATIONS + i]] if POLICE_STATIONS + i < len(streets) else [])
        station.streets.set(served)
    return district + len(stations)


def _honours(streets, committees) -> int:
    first_residential = [c for c in committees if c.kind == "residential" and not c.village_converted]
    honours = [
        Honour(title="全国和谐社区建设示范城区", level="national", year=2012, awarded_by="民政部"),
        Honour(title="全省和谐社区建设示范城区", level="provincial", year=2010, awarded_by="省民政厅"),
        Honour(
            title="全省和谐社区建设示范街道",
            level="provincial",
            year=2010,
            awarded_by="省民政厅",
            street=streets[0],
        ),
        Honour(
            title="全省和谐社区建设示范社区",
            level="provincial",
            year=2010,
            awarded_by="省民政厅",
            committee=first_residential[0],
        ),
        Honour(
            title="全国和谐社区建设示范社区",
            level="national",
            year=2013,
            awarded_by="民政部",
            committee=first_residential[1],
        ),
    ]
    Honour.objects.bulk_create(honours)
    return len(honours)
