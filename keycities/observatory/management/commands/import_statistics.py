import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.core.errors import DataFileError
from keycities.observatory import catalogue
from keycities.observatory.services import import_all, import_run, import_source


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--released {text!r} is not a date: give the publisher's release date as YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = (
        "Import official statistics. Without options: the areas, the catalogue (data/catalogue/) and every bundled "
        "file, skipping files already imported. With --source KEY --file PATH --released YYYY-MM-DD: a new vintage "
        "of a source in the catalogue. Each file is one transaction; claims are re-checked once, after the run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", action="append", metavar="KEY",
                            help="Import only this source (repeatable); see --list.")  # fmt: skip
        parser.add_argument("--file", type=Path, metavar="PATH",
                            help="A new vintage of --source: this file rather than the bundled one.")  # fmt: skip
        parser.add_argument("--released", metavar="YYYY-MM-DD", help="The date the publisher released --file.")
        parser.add_argument("--list", action="store_true", help="List the sources in the catalogue and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for s in catalogue.SOURCES:
                self.stdout.write(f"{s.key:28} {s.release_date}  {s.format:20} {s.path}")
            return
        say = self.stdout.write if options["verbosity"] > 0 else None
        keys, file, released = options["source"] or [], options["file"], options["released"]
        if (file or released) and len(keys) != 1:
            raise CommandError("--file and --released import one file: name its source once with --source KEY.")
        if file and not released:
            raise CommandError("Give --released YYYY-MM-DD, the date the publisher released the file.")
        if released and not file:
            raise CommandError("--released goes with --file PATH, the new vintage of the source.")
        try:
            sources = [catalogue.source(key) for key in keys]
        except KeyError as exc:
            known = ", ".join(s.key for s in catalogue.SOURCES)
            raise CommandError(f"There is no source {exc} in data/catalogue/sources.yaml. Sources: {known}.") from exc
        when = _date(released) if released else None
        if when and when > dt.date.today():
            raise CommandError(f"--released {when.isoformat()} is in the future.")
        try:
            if not sources:
                import_all(progress=say)
                return
            with import_run():  # the claims are re-checked once, after the last file
                for s in sources:
                    self.stdout.write(str(import_source(s, path=file, release_date=when, progress=say)))
        except DataFileError as exc:
            raise CommandError(f"Import refused, nothing was changed: {exc}") from exc
