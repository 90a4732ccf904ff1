from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keycities.core"
    label = "core"
    verbose_name = "Core"
