"""System checks of how the site is deployed (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache_configured(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production keeps market data, a person's offers and drawn charts in the shared cache, so
    every worker and host reuses what one of them computed; without REDIS_URL each worker keeps
    its own copy in memory and computes it again."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return []
    return [
        checks.Warning(
            "REDIS_URL is not set: each worker keeps its own cache in memory instead of sharing one.",
            hint="Set REDIS_URL (redis://host:6379/0), as the README's Production section shows.",
            id="core.W001",
        )
    ]
