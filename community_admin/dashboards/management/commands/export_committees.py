from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community_admin.accounts import scoping
from community_admin.accounts.models import User
from community_admin.dashboards.exporters import CommitteeExporter


class Command(BaseCommand):
    help = (
        "把某个账号可见的社区居委会导出为 Excel（与后台任务“导出社区居委会名册”同一导出器，终端显示进度条）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="按该账号的可见范围导出")
        parser.add_argument("--street", default="", help="只导出该街道（代码）")

    def handle(self, *args, output: Path, username: str, street: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有账号 {username}")
        committees = scoping.visible_committees(user).select_related("street")
        if street:
            committees = committees.filter(street__code=street)
        rows = CommitteeExporter(committees).write(output)  # the terminal bar: core.progress.Progress
        self.stdout.write(f"已导出 {rows} 个社区到 {output}")
