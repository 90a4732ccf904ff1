from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keycities.core.errors import DataFileError
from keycities.voice.services import import_population


class Command(BaseCommand):
    help = ("Load the Census 2021 population of every member place by age band and sex (residents' voice: the "
            "margins survey responses are weighted to). Skips an unchanged set of files; a bad file changes "
            "nothing.")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded, cells = import_population()
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Population: {'loaded' if loaded else 'unchanged'}, {cells} cells (age band x sex x place).")
