from django.core.management.base import BaseCommand

from community_admin.jobs import services


class Command(BaseCommand):
    help = "把失去心跳的进行中任务标记为失败，并重新投递排队过久的任务。定时任务 jobs.sweep_stale 每分钟做同样的事。"

    def handle(self, *args, **options):
        failed, requeued = services.job_sweep_stale()
        self.stdout.write(f"失去心跳而失败：{failed}；重新投递：{requeued}。")
