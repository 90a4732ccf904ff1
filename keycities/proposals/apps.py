from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "keycities.proposals"
    label = "proposals"
    verbose_name = "Work with us: proposals"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import erasure
        from keycities.core import work as my_work

        from . import models, services, work

        auditlog.register(models.Proposal, exclude_fields=["token_hash", "embedding", "submission_key"],
                          m2m_fields={"work_areas"})  # fmt: skip
        auditlog.register(models.Event)
        auditlog.register(models.Attachment)
        erasure.register(finder=services.find_person, eraser=("proposals", services.erase_for_person),
                         exporter=services.export_for_person)  # fmt: skip
        my_work.register(provider=work.sections, nav=work.NAV)
