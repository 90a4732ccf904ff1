from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "keycities.claims"
    label = "claims"
    verbose_name = "Claims register"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import work as my_work
        from keycities.observatory.signals import release_imported

        from . import models, services, work

        release_imported.connect(services.on_release_imported, dispatch_uid="claims-reevaluate")
        for model in (models.Document, models.Reading, models.Claim):
            auditlog.register(model)
        my_work.register(provider=work.sections, nav=work.NAV)
