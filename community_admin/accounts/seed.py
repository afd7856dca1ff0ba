"""Demo district, accounts part: `bureau`, `street-<code>`, `committee-<code>` and department accounts,
all with the one demo password (hashed once)."""

from django.contrib.auth.hashers import make_password

from community_admin.accounts.models import Role, User
from community_admin.core.seeding import SeedContext
from community_admin.org.models import Committee, Department, Street


def run(ctx: SeedContext) -> None:
    password = make_password(ctx.password)
    existing = set(User.objects.values_list("username", flat=True))
    users = [User(username="bureau", first_name="区民政局", role=Role.BUREAU)]
    users += [
        User(username=f"street-{s.code}", first_name=s.name, role=Role.STREET, street=s)
        for s in Street.objects.order_by("code")
    ]
    committees = list(Committee.objects.select_related("street").order_by("code"))
    users += [
        User(username=f"committee-{c.code}", first_name=c.name, role=Role.COMMITTEE, committee=c)
        for c in committees
    ]
    users += [
        User(username=f"dept-{d.code}", first_name=d.name, role=Role.DEPARTMENT, department=d)
        for d in Department.objects.order_by("code")
    ]
    new = [u for u in users if u.username not in existing]
    for user in new:
        user.password = password
    User.objects.bulk_create(new)
    ctx.say(f"[accounts] 新建 {len(new)} 个演示账号（已有 {len(users) - len(new)} 个）。")

    ctx.logins.append(("bureau", "区民政局（全区）"))
    by_street: dict[str, list[str]] = {}
    for c in committees:
        by_street.setdefault(c.street.code, []).append(c.code)
    for street in Street.objects.order_by("code"):
        codes = by_street.get(street.code, [])
        ctx.logins.append((f"street-{street.code}", f"{street.name}（{len(codes)} 个社区）"))
        if codes:
            ctx.logins.append(
                (f"committee-{codes[0]}", f"… 至 committee-{codes[-1]}：{street.name}各社区居委会")
            )
    ctx.logins.append(("dept-<部门代码>", "部门账号，如 dept-PS01（派出所）、dept-RS（区人社局）"))
