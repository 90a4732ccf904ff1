from django.apps import AppConfig


class BriefingsConfig(AppConfig):
    name = "keycities.briefings"
    label = "briefings"
    verbose_name = "Briefing packs"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Pack, models.Section, models.Issue, models.Batch):
            auditlog.register(model)

        from . import search

        search.register_sources()  # issued packs in the Hub's search and the library
