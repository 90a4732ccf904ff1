from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "keycities.proposals"
    label = "proposals"
    verbose_name = "Work with us: proposals"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Proposal, exclude_fields=["token_hash", "embedding"], m2m_fields={"work_areas"})
        auditlog.register(models.Event)
        auditlog.register(models.Attachment)
