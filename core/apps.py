from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The site's own pages and plumbing: home, health, error pages, the headers every response
    gets, the database-outage answer and the task backend. No models."""

    name = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from core import checks  # noqa: F401 - registers the deploy checks
