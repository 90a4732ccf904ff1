from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.core.errors import DataFileError
from keycities.network.services import load_network


class Command(BaseCommand):
    help = "Load the member registry from data/network.yaml (creates what is missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(settings.BASE_DIR / "data" / "network.yaml"))
        parser.add_argument("--update", action="store_true", help="Overwrite the registry with the file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = load_network(Path(options["path"]), update=options["update"])
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in created.items())
        self.stdout.write(f"Registry loaded from {options['path']}: created {summary}.")
