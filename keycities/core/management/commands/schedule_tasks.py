import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from keycities.core.schedule import enqueue_due, periodic_tasks


class Command(BaseCommand):
    help = ("Enqueue the periodic tasks that are due (PERIODIC_TASKS): once, e.g. from cron every five minutes, "
            "or every minute with --loop. A slot is enqueued once however many schedulers run.")  # fmt: skip

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running, checking every --interval seconds.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between checks with --loop.")
        parser.add_argument("--list", action="store_true", help="List the periodic tasks and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for p in periodic_tasks():
                when = f"daily at {p.at:%H:%M}" if p.every == "day" else "hourly"
                self.stdout.write(f"{p.name:28} {when:16} {p.task}")
            return
        while True:
            close_old_connections()
            for name, slot in enqueue_due():
                self.stdout.write(f"Enqueued {name} for {slot}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
