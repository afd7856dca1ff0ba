from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from community_admin.accounts.models import Role, User
from community_admin.dashboards.reports import documents
from community_admin.dashboards.reports.figures import clean_year

ERR_OUT_EXTENSION = "输出文件：请以 .pdf 或 .xlsx 结尾，或用 --format 指定格式（收到“{name}”）。"
ERR_OUT_UNWRITABLE = "输出文件：无法写入 {path}（{reason}）。"
ERR_NO_USER = "没有启用的账号 {username}"
ACTOR_NAME = "manage.py survey_report"


def district_reader() -> User:
    """The district as the bureau sees it, for a command run by the system's operator: a bureau-role user
    that is never saved (the selectors ask only for its role)."""
    return User(username=ACTOR_NAME, role=Role.BUREAU)


class Command(BaseCommand):
    # Reads only, like export_committees: the audited path is the bureau's download (a job: job.start, job.done,
    # and the download itself).
    help = "生成某年度的社区工作调研报告（PDF 或 Excel），数据实时计算；与区局概况页的下载为同一报告。"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="报告年度，如 2026")
        parser.add_argument("--out", required=True, type=Path, help="输出文件（.pdf 或 .xlsx）")
        parser.add_argument(
            "--format", choices=sorted(documents.FORMATS), default=None, help="不指定时按 --out 的扩展名"
        )
        parser.add_argument("--as", dest="username", default="", help="按该账号的可见范围生成（默认：全区）")

    def handle(self, *args, year: str, out: Path, format: str | None, username: str, **options):
        try:
            year = clean_year(year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.message_dict["year"])) from None
        fmt = format or out.suffix.lower().lstrip(".")
        if fmt not in documents.FORMATS:
            raise CommandError(ERR_OUT_EXTENSION.format(name=out.name))
        self._check_writable(out)
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(ERR_NO_USER.format(username=username))
        else:
            user = district_reader()
        report = documents.survey_report(year=year, user=user, fmt=fmt)
        report.write(out)
        self.stdout.write(f"已生成 {out}（{year}年，{out.stat().st_size:,} 字节）")

    @staticmethod
    def _check_writable(out: Path) -> None:
        # Before the work, not after it: a typo in the folder should not cost the whole report.
        try:
            with open(out, "ab"):
                pass
        except OSError as exc:
            raise CommandError(ERR_OUT_UNWRITABLE.format(path=out, reason=exc.strerror or exc)) from None
