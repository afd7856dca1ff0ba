from django.core.management.base import BaseCommand

from community_admin.jobs import services


class Command(BaseCommand):
    help = "删除超过保留期（JOBS_RESULT_TTL_HOURS）的后台任务结果文件。定时任务 jobs.cleanup_results 每小时做同样的事。"

    def handle(self, *args, **options):
        removed = services.job_cleanup_results()
        self.stdout.write(f"已清理 {removed} 个过期结果文件。")
