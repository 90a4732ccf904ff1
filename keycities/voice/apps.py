from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "keycities.voice"
    label = "voice"
    verbose_name = "Residents' voice: surveys"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import erasure

        from . import models, services

        auditlog.register(models.Survey, m2m_fields={"places", "work_areas"})
        auditlog.register(models.Question)
        auditlog.register(models.Option)
        auditlog.register(models.Theme)
        # Responses are personal data: their creation is logged without their contents (which the eraser removes).
        auditlog.register(models.Response, include_fields=["survey", "place", "submitted_at"])
        erasure.register(finder=services.find_person, eraser=("voice", services.erase_for_person),
                         exporter=services.export_for_person)  # fmt: skip

        from . import search

        search.register_sources()  # published results in the Hub's search and the library
