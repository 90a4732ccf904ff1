from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "keycities.network"
    label = "network"
    verbose_name = "Member registry"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Place,
            models.PlaceArea,
            models.Group,
            models.Membership,
            models.WorkArea,
            models.WorkAreaLead,
        ):
            auditlog.register(model)
