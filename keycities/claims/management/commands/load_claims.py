from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.claims.services import evaluate_all, load_claims
from keycities.core.errors import DataFileError


class Command(BaseCommand):
    help = "Load the seeded claims (data/claims.yaml; creates what is missing) and evaluate every claim."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(settings.BASE_DIR / "data" / "claims.yaml"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = load_claims(Path(options["path"]))
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        evaluations = evaluate_all()
        verdicts = ", ".join(f"{e.claim.headline}: {e.get_verdict_display()}" for e in evaluations)
        self.stdout.write(f"Claims: {created} created; {verdicts}.")
