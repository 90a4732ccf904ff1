"""Write the search index again from every registered source (one transaction). `make run` runs it on start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from keycities.library import index


class Command(BaseCommand):
    help = "Rebuild the search index from every registered source."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", action="append", default=[], help="Only this source (repeatable).")
        parser.add_argument("--embed", action="store_true", help="Store each entry's sentence embedding too.")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = index.rebuild(options["source"], embed=options["embed"])
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n}")
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} entries."))
