import getpass
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from community_admin.accounts import services


class Command(BaseCommand):
    help = (
        "新建区民政局账户（新装系统的第一个账户）：create_bureau_user 用户名 --name 真实姓名；"
        "密码在提示时输入两次，或用 --password-env 变量名 从环境变量读取（不写在命令行里）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="使用者的真实姓名")
        parser.add_argument("--password-env", help="从这个环境变量读取密码（自动化安装时用）")

    def handle(self, *args, username: str, name: str, password_env: str | None, **options):
        translation.activate(settings.LANGUAGE_CODE)  # the password validators speak the site's language
        password = self._password(password_env)
        try:
            user = services.bureau_user_create(
                actor=None, username=username, full_name=name, password=password
            )
        except ValidationError as exc:
            messages = (
                [m for ms in exc.message_dict.values() for m in ms]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise CommandError("；".join(messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已新建区民政局账户 {user.username}（{user.first_name}）。"))

    def _password(self, variable: str | None) -> str:
        if variable:
            value = os.environ.get(variable)
            if not value:
                raise CommandError(f"环境变量 {variable} 未设置或为空。")
            return value
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再输入一次：") or not first:
            raise CommandError("两次输入的密码不一致（或为空）。")
        return first
