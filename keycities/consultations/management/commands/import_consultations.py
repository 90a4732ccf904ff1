from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.consultations.services import CsvFileError, import_csv


class Command(BaseCommand):
    help = "Add the consultations in a CSV file to the register. All or nothing: a file with any error changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            with path.open("rb") as f:
                added, skipped = import_csv(f, path.name, by=None)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc}") from exc
        except CsvFileError as exc:
            raise CommandError("Nothing was imported.\n" + "\n".join(str(e) for e in exc.errors)) from exc
        self.stdout.write(f"Imported {len(added)} consultation(s); {skipped} already in the register.")
