from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from keycities.proposals.services import erase_expired


class Command(BaseCommand):
    help = ("Erase the personal data of proposals closed more than PROPOSAL_RETENTION_DAYS ago (keeping them "
            "anonymised). Run daily, e.g. from cron or a systemd timer.")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        count = erase_expired()
        self.stdout.write(f"Erased personal data from {count} proposal(s) closed over "
                          f"{settings.PROPOSAL_RETENTION_DAYS} days ago.")  # fmt: skip
