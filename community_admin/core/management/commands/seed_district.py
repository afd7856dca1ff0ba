import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from community_admin.core.reference_data import install_all
from community_admin.core.seeding import SeedContext, seed_parts


class Command(BaseCommand):
    help = "建立演示城区（确定性）：--scale full 复现调研报告的全部数字，small 只保留组织与人员数字。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["full", "small"], default="full")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, scale: str, seed: int, **options):
        ctx = SeedContext(
            scale=scale, seed=seed, stdout=self.stdout, stderr=self.stderr, password=settings.DEMO_PASSWORD
        )
        started = time.monotonic()
        install_all(ctx.say)  # what a district installs without the demo; the parts below add only demo data
        for label, part in seed_parts():
            part_started = time.monotonic()
            with transaction.atomic():
                part.run(ctx)
            ctx.say(f"[{label}] {time.monotonic() - part_started:.1f} s")
        ctx.say(f"演示城区已就绪（{scale}，seed={seed}），用时 {time.monotonic() - started:.1f} s。")
        self._print_logins(ctx)

    def _print_logins(self, ctx: SeedContext) -> None:
        ctx.say("")
        ctx.say(f"演示账号（密码均为 {ctx.password}）：")
        for username, what in ctx.logins:
            ctx.say(f"  {username:<22} {what}")
