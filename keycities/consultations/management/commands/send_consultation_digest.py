from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keycities.consultations.services import send_deadline_digest, send_due_reminders


class Command(BaseCommand):
    help = ("Email each lead place's officers the consultations they lead that close within --days days (default "
            "14) and are not yet submitted; with --remind, also remind member places that have not reviewed a "
            "response whose review deadline is within --remind-within days (default 3). The scheduler runs both "
            "daily as a task (manage.py schedule_tasks); this command runs them now.")  # fmt: skip

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="Closing within this many days.")
        parser.add_argument("--remind", action="store_true", help="Also send review reminders.")
        parser.add_argument("--remind-within", type=int, default=3, help="Review deadline within this many days.")

    def handle(self, *args: Any, **options: Any) -> None:
        digests = send_deadline_digest(days=options["days"])
        for d in digests:
            to = ", ".join(d.to) or "nobody: the place has no officers with an email address"
            self.stdout.write(f"{d.place.name}: {len(d.consultations)} consultation(s) closing soon; sent to {to}")
        reminded = send_due_reminders(within=options["remind_within"]) if options["remind"] else {}
        for c, places in reminded.items():
            self.stdout.write(f"Reminded {len(places)} place(s) to review the response to {c.title}")
        also = f" and reminders for {len(reminded)} response(s)" if options["remind"] else ""
        self.stdout.write(f"Sent {sum(1 for d in digests if d.to)} digest(s){also}.")
