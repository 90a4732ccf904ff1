from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keycities.core.backup import missing_files


class Command(BaseCommand):
    help = "Check that every uploaded file the database refers to is in the file store; exit 1 if any is missing."

    def handle(self, *args: Any, **options: Any) -> None:
        missing = missing_files()
        for m in missing:
            self.stderr.write(f"Missing: {m.name} ({m.model} {m.pk})")
        if missing:
            raise CommandError(f"{len(missing)} file(s) the database refers to are missing.")
        self.stdout.write("Every file the database refers to is in the file store.")
