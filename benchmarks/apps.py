from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class BenchmarksConfig(AppConfig):
    name = "benchmarks"
    verbose_name = "Market data"

    def ready(self) -> None:
        from core.stamps import drop_before_migrate, recreate_after_migrate

        # Once per migrate (sender: this app), around every migration run: see core/stamps.py.
        pre_migrate.connect(drop_before_migrate, sender=self, dispatch_uid="stamp-triggers-drop")
        post_migrate.connect(
            recreate_after_migrate, sender=self, dispatch_uid="stamp-triggers-recreate"
        )
