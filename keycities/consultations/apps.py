from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "keycities.consultations"
    label = "consultations"
    verbose_name = "Consultation responses"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import work as my_work

        from . import models, work

        auditlog.register(models.Consultation, m2m_fields={"work_areas"})
        for model in (models.Document, models.Section, models.Version, models.Evidence, models.Comment,
                      models.Review, models.Ask, models.AskUpdate, models.Event):  # fmt: skip
            auditlog.register(model)
        my_work.register(provider=work.sections, nav=work.NAV)
        from . import search

        search.register_sources()  # responses and asks in the Hub's search and the library
