"""Load constituencies (ONS ward lookup, Centre for Cities figures), MPs, the Key Cities APPG's officers and
departments and Ministers (IfG) from data/. Idempotent: `make run` runs it on every start."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keycities.core.errors import DataFileError
from keycities.engagement.services import load_engagement


class Command(BaseCommand):
    help = "Load MPs, constituencies and their overlap with local authorities, the APPG and Ministers."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_engagement()
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Engagement: {report}")
