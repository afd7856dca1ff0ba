"""What the pages call the audit log's actions on accounts and logins (the log keeps the codes)."""

ACTION_LABELS = {
    "user.create": "新建账号",
    "user.update": "修改账号信息",
    "user.deactivate": "停用账号",
    "user.reactivate": "重新启用账号",
    "user.password_reset": "重置密码",
    "user.unlock": "解除登录锁定",
    "user.password_change": "本人修改密码",
    "auth.login": "登录",
    "auth.logout": "退出",
    "auth.login_failed": "登录失败",
    "auth.locked_out": "登录被锁定",
    "access.denied": "越权访问被拒绝",
    "access.out_of_scope": "访问范围外的对象被拒绝",
    "token.create": "新建 API 令牌",
    "token.revoke": "撤销 API 令牌",
    "token.rotate": "轮换 API 令牌",
}


def labelled(rows):
    """The rows with `action_label`: the Chinese name where there is one, else the code."""
    rows = list(rows)
    for row in rows:
        row.action_label = ACTION_LABELS.get(row.action, row.action)
    return rows
