from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.core.backup import BackupError, missing_files, restore


class Command(BaseCommand):
    help = ("Replace the database and the uploaded files with those in a backup made by `manage.py backup`, "
            "then check that every file the database refers to is there.")  # fmt: skip

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"No backup at {archive}")
        if not options["no_input"]:
            answer = input(f"This replaces the database and the files with {archive}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest = restore(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(f"Restored the database and {len(manifest['files'])} file(s) from {archive} "
                          f"(made {manifest['created_at']}).")  # fmt: skip
        missing = missing_files()
        for m in missing:
            self.stderr.write(f"Missing: {m.name} ({m.model} {m.pk})")
        if missing:
            raise CommandError(f"{len(missing)} file(s) the database refers to are missing.")
