from community_admin.accounts.permissions import has_permission

# (label, url name, permission). Later capabilities add their entries here.
NAVIGATION = [
    ("首页", "home", "org.view"),
    ("人口信息", "residents:person-list", "residents.view"),
    ("证明", "certificates:list", "certificates.view"),
    ("用印登记", "certificates:seal-log", "certificates.seal_log"),
    ("证明统计", "certificates:statistics", "certificates.statistics"),
    ("证明事项清单", "certificates:type-list", "certificates.whitelist_view"),
    ("办公用房标准", "dashboards:office-norms", "org.view"),
    ("我的任务", "jobs:list", "jobs.view"),
    ("API 令牌", "accounts:token-list", "tokens.manage"),
    ("审计日志", "accounts:audit-list", "audit.view"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": [(label, name) for label, name, perm in NAVIGATION if has_permission(user, perm)]}
