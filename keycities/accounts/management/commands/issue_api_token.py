from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keycities.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user; the token is printed once and only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        _, key = ApiToken.issue(user, options["name"])
        self.stdout.write(key)
