"""Every command line in README.md is run by a test. The production path ("Deploying on PostgreSQL",
"Backups", `make run`) is run as written by `.ci/deploy-check`, and `make test` by `.ci/run`; the commands
an operator runs by hand are run here too, so that a wrong argument fails `make test` at once."""

from __future__ import annotations

import importlib.util
import io
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from keycities.accounts.models import Role, User

ROOT = Path(settings.BASE_DIR)
_spec = importlib.util.spec_from_file_location("readme_commands", ROOT / "scripts" / "readme_commands.py")
readme = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(readme)  # type: ignore[union-attr]

RUN_AS_WRITTEN_BY_DEPLOY_CHECK = {"Deploying on PostgreSQL", "Backups"}


def manage_args(line: str, **placeholders: str) -> tuple[dict[str, str], list[str]]:
    """The environment assignments before the command, and the arguments after `manage.py`."""
    words = shlex.split(line.split("&&")[-1])
    env = dict(w.split("=", 1) for w in words[: words.index(next(w for w in words if "=" not in w))])
    args = words[words.index("manage.py") + 1 :]
    return env, [placeholders.get(a, a) for a in args]


def test_every_command_line_is_run_by_a_test() -> None:
    lines = readme.command_lines()
    assert len(lines) > 20
    for section, line in lines:
        if section == "Two commands":
            assert line in {"make run", "make test"} or "manage.py createsuperuser" in line, line
        else:
            assert section in RUN_AS_WRITTEN_BY_DEPLOY_CHECK, f"{line!r} in {section!r} is run by no test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    deploy = (ROOT / ".ci" / "deploy-check").read_text(encoding="utf-8")
    assert "make test" in ci and ".ci/deploy-check" in ci
    for section in ("Deploying", "Backups", "Two commands"):
        assert f'readme "{section}"' in deploy


@pytest.mark.django_db
def test_the_commands_an_operator_runs_by_hand(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    (create,) = [line for _, line in readme.command_lines() if "createsuperuser" in line]
    env, args = manage_args(create)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    call_command(*args, stdout=io.StringIO())
    user = User.objects.get(username="you")
    assert user.role == Role.SECRETARIAT and user.check_password(env["DJANGO_SUPERUSER_PASSWORD"])

    by_hand = [line for line in readme.section_lines("Deploying") + readme.section_lines("Backups")
               if "manage.py" in line and any(job in line for job in (
                   "erase_expired_proposals", "send_consultation_digest", "issue_api_token", "schedule_tasks",
                   "check_files", "import_statistics --source")) and "--loop" not in line]  # fmt: skip
    assert len(by_hand) == 6
    for line in by_hand:
        _, args = manage_args(line, USERNAME="you")
        out = io.StringIO()
        call_command(*args, stdout=out)
        assert out.getvalue().strip(), line
