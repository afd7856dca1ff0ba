from django.core.management.base import BaseCommand, CommandError

from community_admin.accounts.models import Role, User
from community_admin.org.models import Committee
from community_admin.residents import services


class Command(BaseCommand):
    help = "从 Excel 导入人口（全部或全不）：python manage.py import_residents FILE.xlsx --committee CODE [--dry-run]"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--committee", required=True, help="社区代码")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument(
            "--as", dest="username", default="", help="记入审计日志的经办账号（默认：该社区的账号）"
        )

    def handle(self, *args, file: str, committee: str, dry_run: bool, username: str, **options):
        target = Committee.objects.filter(code=committee).first()
        if target is None:
            raise CommandError(f"社区代码不存在：{committee}")
        actor = (
            User.objects.filter(username=username).first()
            if username
            else User.objects.filter(role=Role.COMMITTEE, committee=target).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("没有可记入审计日志的经办账号：请用 --as 指定。")
        try:
            with open(file, "rb") as handle:
                result = services.residents_import(
                    actor=actor,
                    committee=target,
                    file=handle,
                    file_name=file.rsplit("/", 1)[-1],
                    dry_run=dry_run,
                )
        except OSError as exc:
            raise CommandError(f"无法打开文件：{exc}") from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"未导入：{len(result.errors)} 处错误，文件中的数据均未写入。")
        if dry_run:
            self.stdout.write(f"校验通过：{len(result.rows)} 行均可导入（--dry-run，未写入）。")
        else:
            self.stdout.write(
                f"已导入到{target.name}：{result.created_persons} 人，新建 {result.created_households} 户。"
            )
