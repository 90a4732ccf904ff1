from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "keycities.observatory"
    label = "observatory"
    verbose_name = "Evidence observatory"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Releases are audited one row per import (who, when, which file); the
        # observations they hold are bulk-loaded and identified by their release.
        for model in (models.Release, models.Indicator, models.Dataset):
            auditlog.register(model)
        # An uploaded release: who uploaded it, who published or discarded it, when (the preview is not kept).
        auditlog.register(models.ReleaseUpload, exclude_fields=["diff", "progress"])
