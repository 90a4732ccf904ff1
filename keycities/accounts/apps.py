from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keycities.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keycities.core import erasure

        from . import services
        from .models import User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        # Accounts first (INSTALLED_APPS order): other apps' finders use the accounts found.
        erasure.register(finder=services.find_person, eraser=("accounts", services.erase_for_person),
                         exporter=services.export_for_person)  # fmt: skip
