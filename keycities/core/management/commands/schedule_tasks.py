import signal
import time
from types import FrameType
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
        self.running = True
        if options["loop"]:
            # Stop between checks on Ctrl-C or a service manager's TERM (even when started in the background,
            # where a shell would have it ignore Ctrl-C).
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self.stop)
        while self.running:
            if options["loop"]:  # a long-running scheduler must not hold a stale connection between checks
                close_old_connections()
            for name, slot in enqueue_due():
                self.stdout.write(f"Enqueued {name} for {slot}")
            if not options["loop"]:
                return
            waited = 0.0
            while self.running and waited < options["interval"]:
                time.sleep(min(1.0, options["interval"] - waited))
                waited += 1.0

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
