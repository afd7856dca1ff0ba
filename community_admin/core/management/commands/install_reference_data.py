from django.core.management.base import BaseCommand

from community_admin.core.reference_data import install_all


class Command(BaseCommand):
    help = (
        "安装或更新参考数据（证明事项清单与民发〔2020〕20号清单、办公用房标准、区级部门、台账目录、准入清单、"
        "本年度薪酬政策与退休规则）：可重复运行，每次升级后运行；不建演示数据。"
    )

    def handle(self, *args, **options):
        parts = install_all(lambda message: self.stdout.write(message))
        self.stdout.write(self.style.SUCCESS(f"参考数据已就绪（{len(parts)} 部分：{'、'.join(parts)}）。"))
