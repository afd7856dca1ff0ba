"""The page menu (a template context processor). It names every app's pages, so it lives in the layer that
wires them all, not in accounts."""

from community_admin.accounts.permissions import has_permission

# The menu, in groups (a group with one visible entry shows as a plain link): (group, [(label, url name, permission)]).
NAVIGATION_GROUPS = [
    (
        "概况",
        [
            ("首页", "home", "org.view"),
            ("全区概况", "dashboards:district", "dashboards.district"),
            ("办公用房标准", "dashboards:office-norms", "org.view"),
        ],
    ),
    ("人口信息", [("人口信息", "residents:person-list", "residents.view")]),
    (
        "证明",
        [
            ("证明", "certificates:list", "certificates.view"),
            ("用印登记", "certificates:seal-log", "certificates.seal_log"),
            ("证明统计", "certificates:statistics", "certificates.statistics"),
            ("证明事项清单", "certificates:type-list", "certificates.whitelist_view"),
        ],
    ),
    ("台账", [("台账", "ledgers:book-list", "ledgers.view")]),
    (
        "服务居民",
        [
            ("走访与服务", "services:visit-list", "services.view"),
            ("服务与行政平衡", "services:balance", "services.view"),
        ],
    ),
    (
        "社区工作者",
        [
            ("社区工作者", "staff:worker-list", "staff.view"),
            ("人员配备", "staff:staffing", "staff.view"),
            ("借调", "staff:secondment-list", "staff.view"),
            ("工资", "staff:payroll-list", "staff.pay.view"),
            ("年度规则", "staff:policy-list", "staff.policy.view"),
            ("测评", "staff:evaluation", "staff.view"),
            ("离职与退休", "staff:turnover", "staff.view"),
        ],
    ),
    (
        "事项准入",
        [
            ("事项准入清单", "tasks:item-list", "tasks.catalogue.view"),
            ("任务收件箱", "tasks:inbox", "tasks.inbox"),
            ("任务工作量", "tasks:workload", "tasks.workload"),
        ],
    ),
    (
        "经费",
        [
            ("经费政策", "funding:policy-list", "funding.view"),
            ("经费测算", "funding:run-list", "funding.view"),
            ("经费拨付", "funding:disbursement-list", "funding.view"),
            ("经费支出", "funding:expenditure-list", "funding.view"),
            ("经费审计", "funding:audit", "funding.audit"),
        ],
    ),
    (
        "系统",
        [
            ("我的任务", "jobs:list", "jobs.view"),
            ("账号管理", "accounts:user-list", "accounts.manage"),
            ("API 令牌", "accounts:token-list", "tokens.manage"),
            ("审计日志", "accounts:audit-list", "audit.view"),
        ],
    ),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    groups = []
    for group, items in NAVIGATION_GROUPS:
        visible = [(label, name) for label, name, perm in items if has_permission(user, perm)]
        if visible:
            groups.append((group, visible))
    return {"nav_items": [item for _, items in groups for item in items], "nav_groups": groups}
