"""Demo district, accounts part: the units' demo logins `bureau`, `street-<code>`, `committee-<code>` and the
department accounts (their 姓名 is the unit's name), and beside them the people who work there, one account
each (issue 16): two or three named clerks per committee (`committee-<code>-1` …: 社区书记, 主任, 社工), one or
two per street office (`street-<code>-1` …). All share the one demo password, hashed once."""

from django.contrib.auth.hashers import make_password

from community_admin.accounts.models import Role, User
from community_admin.core.seeding import SeedContext
from community_admin.org.models import Committee, Department, Street

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江"
GIVEN = "敏静丽娟艳芳娜秀英华慧婷雪琳颖欣悦晨伟强磊军洋勇杰涛明超刚平辉鹏浩宇建国志红玉兰凤霞梅燕萍玲"
# (post) of a committee's clerks in order: the secretary (often also the director), the director, a social worker.
COMMITTEE_POSTS = (("社区书记、主任", "社工", "社工"), ("社区书记", "主任", "社工"))
STREET_POSTS = ("社区建设办公室主任", "社区建设办公室科员")


def _name(rng) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _unit_logins(streets, committees) -> list[User]:
    users = [User(username="bureau", first_name="区民政局", role=Role.BUREAU)]
    users += [
        User(username=f"street-{s.code}", first_name=s.name, role=Role.STREET, street=s) for s in streets
    ]
    users += [
        User(username=f"committee-{c.code}", first_name=c.name, role=Role.COMMITTEE, committee=c)
        for c in committees
    ]
    users += [
        User(username=f"dept-{d.code}", first_name=d.name, role=Role.DEPARTMENT, department=d)
        for d in Department.objects.order_by("code")
    ]
    return users


def _named_clerks(rng, streets, committees) -> list[User]:
    users = []
    for street in streets:
        for i, post in enumerate(STREET_POSTS[: rng.choice((1, 2))], start=1):
            users.append(
                User(
                    username=f"street-{street.code}-{i}",
                    first_name=_name(rng),
                    post=post,
                    phone=f"0571-8{rng.randrange(1000000, 9999999)}",
                    role=Role.STREET,
                    street=street,
                )
            )
    for committee in committees:
        posts = rng.choice(COMMITTEE_POSTS)[: rng.choice((2, 3))]
        for i, post in enumerate(posts, start=1):
            users.append(
                User(
                    username=f"committee-{committee.code}-{i}",
                    first_name=_name(rng),
                    post=post,
                    phone=f"13{rng.randrange(100000000, 999999999)}",
                    role=Role.COMMITTEE,
                    committee=committee,
                )
            )
    return users


def run(ctx: SeedContext) -> None:
    password = make_password(ctx.password)
    existing = set(User.objects.values_list("username", flat=True))
    streets = list(Street.objects.order_by("code"))
    committees = list(Committee.objects.select_related("street").order_by("code"))
    units = _unit_logins(streets, committees)
    clerks = _named_clerks(ctx.rng("accounts"), streets, committees)
    users = units + clerks  # the units' logins first: seeds that take a committee's last account get a person
    new = [u for u in users if u.username not in existing]
    new_clerks = sum(1 for u in clerks if u.username not in existing)
    for user in new:
        user.password = password
    User.objects.bulk_create(new)
    ctx.say(
        f"[accounts] 新建 {len(new)} 个演示账号（其中 {new_clerks} 个实名工作人员账号；"
        f"已有 {len(users) - len(new)} 个）。"
    )
    _logins(ctx, streets, committees, clerks)


def _logins(ctx: SeedContext, streets, committees, clerks: list[User]) -> None:
    ctx.logins.append(("bureau", "区民政局（全区）"))
    by_street: dict[str, list[str]] = {}
    for c in committees:
        by_street.setdefault(c.street.code, []).append(c.code)
    for street in streets:
        codes = by_street.get(street.code, [])
        ctx.logins.append((f"street-{street.code}", f"{street.name}（{len(codes)} 个社区）"))
        if codes:
            ctx.logins.append(
                (f"committee-{codes[0]}", f"… 至 committee-{codes[-1]}：{street.name}各社区居委会")
            )
    ctx.logins.append(("dept-<部门代码>", "部门账号，如 dept-PS01（派出所）、dept-RS（区人社局）"))
    named = {u.username: u for u in clerks}
    for username in (
        (f"street-{streets[0].code}-1", f"committee-{committees[0].code}-1") if committees else ()
    ):
        person = named[username]
        unit = person.committee.name if person.committee else person.street.name
        ctx.logins.append((username, f"实名账号：{person.first_name}（{unit}，{person.post}）"))
    if committees:
        ctx.logins.append(
            (
                "committee-<代码>-1…3",
                "每个社区居委会 2～3 名实名工作人员，每个街道 street-<代码>-1…2，密码同上",
            )
        )
