"""Demo district, ledgers part: the report's catalogue, and plausible entries in the manual books of every
committee (this year's periods so far; last year's closed). Derived books need no seed: they read the registry."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.core.seeding import SeedContext
from community_admin.ledgers import periods, services
from community_admin.ledgers.fields import clean_fields
from community_admin.ledgers.models import LedgerBook, LedgerEntry, LedgerEntryRevision, LedgerPeriod
from community_admin.org.models import Committee
from community_admin.residents.models import Person

WORDS = {
    "topic": ["学习党的二十大精神", "基层治理专题学习", "党员承诺践诺", "主题党日"],
    "activity": ["清理楼道杂物", "关爱空巢老人", "文明交通劝导", "义务理发", "垃圾分类宣传"],
    "title": ["邻里节", "广场舞展演", "读书分享会", "重阳敬老活动", "消夏晚会"],
    "parties": ["王某与李某", "张某与物业公司", "刘某家庭", "赵某与陈某"],
    "area": ["1至6号楼", "沿街商铺", "小区北门一带", "背街小巷"],
    "location": ["3号楼宣传栏", "小区东门", "菜市场周边", "公交站台"],
    "address": ["2号楼1单元302", "5号楼3单元101", "沿街12号", "8号楼2单元501"],
    "landlord": ["孙某", "周某", "吴某", "郑某"],
    "business": ["便民超市", "小吃店", "五金店", "理发店", "药店"],
    "reason": ["突发重病", "火灾受损", "意外事故"],
    "item": ["灵活就业社保补贴", "公益性岗位补贴"],
    "illness": ["恶性肿瘤", "尿毒症", "白血病"],
    "employer": ["区环卫所", "物业公司", "连锁超市"],
    "course": ["育婴员", "电工", "家政服务"],
    "school": ["区实验小学", "区第一中学"],
    "team": ["夕阳红合唱团", "太极拳队", "广场舞队"],
    "theme": ["防范电信诈骗", "急救常识", "节能减排"],
    "work": ["清理卫生死角", "灭蚊灭鼠", "绿化带保洁"],
    "household": ["1号楼101", "2号楼302", "6号楼501"],
    "hazards": ["灭火器过期", "电线私拉乱接", ""],
    "hazard": ["楼道堆放杂物", "电动车楼内充电"],
    "place": ["山东潍坊", "河南郑州", "本市其他区"],
}


def run(ctx: SeedContext) -> None:
    categories, books = services.catalogue_install()
    ctx.say(f"[ledgers] 台账目录：新建 {categories} 类、{books} 本。")
    if LedgerEntry.objects.exists():
        ctx.say("[ledgers] 台账条目已存在，跳过。")
        return
    rng = ctx.rng("ledgers")
    clock = ctx.rng("ledgers.written")  # its own stream: the entries stay what they were before it existed
    today = timezone.localdate()
    committees = list(Committee.objects.order_by("code"))
    if ctx.scale == "small":
        committees = committees[:3]
    manual = list(LedgerBook.objects.filter(source=LedgerBook.Source.MANUAL, active=True))
    actors = {u.committee_id: u for u in User.objects.filter(role=Role.COMMITTEE, committee__in=committees)}
    people = _people_by_committee(committees)
    entries = []
    written = []  # when each entry was written: within its period, never after today
    closed = []
    for committee in committees:
        actor = actors.get(committee.pk)
        if actor is None:
            continue
        for book in rng.sample(manual, k=min(len(manual), 30 if ctx.scale == "full" else 12)):
            for key in _keys(book, today, 3 if ctx.scale == "full" else 2):
                period = LedgerPeriod.objects.create(book=book, committee=committee, key=key)
                for _ in range(rng.randint(1, 4)):
                    data = _data(rng, book, key, today, people.get(committee.pk, []))
                    if data is not None:
                        _check(book, data, today)
                        entries.append(LedgerEntry(period=period, data=data, created_by=actor))
                start = periods.start_of(book.period, key)
                written.extend(_written_at(clock, start, today) for _ in range(len(entries) - len(written)))
                if start and start.year < today.year:
                    closed.append(period.pk)
    created = LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    for entry, moment in zip(created, written, strict=True):
        entry.created_at = moment
    # bulk_create stamps every row "now"; the administrative load counter reads when entries were written.
    LedgerEntry.objects.bulk_update(created, ["created_at"], batch_size=2000)
    LedgerEntryRevision.objects.bulk_create(
        [
            LedgerEntryRevision(
                entry=e,
                action=LedgerEntryRevision.Action.CREATE,
                data=e.data,
                changed=sorted(e.data),
                actor=e.created_by,
            )
            for e in created
        ],
        batch_size=2000,
    )
    LedgerPeriod.objects.filter(pk__in=closed).update(closed=True, closed_at=timezone.now())
    ctx.say(
        f"[ledgers] {len(committees)} 个社区的手工台账：{len(created)} 条，{len(closed)} 个往年期间已关账。"
    )


def _written_at(rng, start: date | None, today: date) -> datetime:
    first = start or today - timedelta(days=364)
    day = first + timedelta(days=rng.randint(0, max(0, min(27, (today - first).days))))
    moment = datetime.combine(
        day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=timezone.get_current_timezone()
    )
    now = timezone.now()
    return moment if moment < now else now - timedelta(minutes=rng.randint(1, 120))


def _check(book: LedgerBook, data: dict, today: date) -> None:
    """Seeded entries pass the same column checks as typed ones (they are bulk-written, not typed)."""
    _, errors = clean_fields(book, data, today=today)
    if errors:
        raise ValueError(f"seed data for {book.code} fails its columns: {errors}")


def _people_by_committee(committees) -> dict[int, list[int]]:
    people: dict[int, list[int]] = {}
    for committee in committees:
        people[committee.pk] = list(
            Person.objects.filter(committee=committee, status__in=Person.ACTIVE_STATUSES)
            .order_by("id")
            .values_list("pk", flat=True)[:200]
        )
    return people


def _keys(book: LedgerBook, today: date, count: int) -> list[str]:
    if book.period == LedgerBook.Period.NONE:
        return [""]
    return periods.recent_keys(book.period, today, count)


def _data(rng, book: LedgerBook, key: str, today: date, people: list[int]) -> dict | None:
    start = periods.start_of(book.period, key) or today.replace(month=1, day=1)
    data = {}
    for column in book.columns:
        kind, name = column["type"], column["key"]
        if kind == "person":
            if not people:
                return None  # no registry here yet: a book that names people stays empty
            data[name] = rng.choice(people)
        elif kind == "date":
            data[name] = min(start + timedelta(days=rng.randint(0, 27)), today).isoformat()
        elif kind == "number":
            data[name] = rng.choice([1, 2, 3, 5, 8, 12, 20, 35, 50, 120, 300, 500, 800])
        elif kind == "choice":
            data[name] = rng.choice(column["choices"])
        else:
            data[name] = rng.choice(WORDS.get(name, ["见附件"]))
    return data
