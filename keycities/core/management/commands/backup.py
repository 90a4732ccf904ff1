from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.core.backup import BackupError, backup, default_output


class Command(BaseCommand):
    help = ("Back up the database and every uploaded file together into one archive (default "
            "var/backups/keycities-<date>-<time>.tar). Restore it with `manage.py restore`.")  # fmt: skip

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Where to write the archive.")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or default_output()
        try:
            manifest = backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        size = sum(f["size"] for f in manifest["files"])
        self.stdout.write(f"Backed up the {manifest['database']} database and {len(manifest['files'])} file(s) "
                          f"({size:,} bytes) to {output}")  # fmt: skip
        for m in manifest["missing"]:
            self.stderr.write(f"Missing before the backup: {m['name']} ({m['model']} {m['pk']})")
