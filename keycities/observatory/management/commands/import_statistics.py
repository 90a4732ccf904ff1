from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.core.errors import DataFileError
from keycities.observatory import catalogue
from keycities.observatory.services import import_all, import_source


class Command(BaseCommand):
    help = "Import the bundled official statistics (areas, indicators, every release). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", action="append", help="Import only this source (repeatable).")
        parser.add_argument("--list", action="store_true", help="List the bundled sources and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for s in catalogue.SOURCES:
                self.stdout.write(f"{s.key:28} {s.path}")
            return
        say = self.stdout.write if options["verbosity"] > 0 else None
        try:
            if options["source"]:
                for key in options["source"]:
                    self.stdout.write(str(import_source(catalogue.source(key), progress=say)))
            else:
                import_all(progress=say)
        except DataFileError as exc:
            raise CommandError(f"Import refused, nothing was changed: {exc}") from exc
        except KeyError as exc:
            raise CommandError(f"No bundled source {exc}; see --list.") from exc
