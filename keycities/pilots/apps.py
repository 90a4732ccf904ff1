from django.apps import AppConfig


class PilotsConfig(AppConfig):
    name = "keycities.pilots"
    label = "pilots"
    verbose_name = "Pilots and test beds"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Pilot, m2m_fields={"places", "partners", "documents"})
        auditlog.register(models.Milestone)
        auditlog.register(models.Outcome)
        # The result is large and never edited; its creation, state and comparators are what the log needs.
        auditlog.register(models.Evaluation, exclude_fields=["result", "sources", "done", "total"])
