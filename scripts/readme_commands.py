"""The command lines in README.md, for the tests and CI that run every one of them.

`python scripts/readme_commands.py SECTION` prints the command lines of the README's section whose
heading starts with SECTION (e.g. "Deploying"), one a line; with no argument, every command line with
its section. A command line is a non-empty line in a fenced code block; a cron line ("m h dom mon dow
command") counts as its command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
CRON = re.compile(r"^(\S+\s+){5}(?P<command>.+)$")


def command_lines(readme: Path = README) -> list[tuple[str, str]]:
    """(section heading, command line) for every command line in the README, in order."""
    found: list[tuple[str, str]] = []
    section, fenced = "", False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            if line.startswith("## "):
                section = line[3:].strip()
            continue
        text = line.strip()
        if not text or text.startswith("#") or text.startswith("location "):
            continue  # blank, a comment, or the nginx example (configuration, not a command)
        cron = CRON.match(text)
        if cron and re.match(r"^[\d*/,-]+$", text.split()[0]):
            text = cron.group("command").replace("\\%", "%")
        found.append((section, text))
    return found


def section_lines(prefix: str, readme: Path = README) -> list[str]:
    return [line for section, line in command_lines(readme) if section.startswith(prefix)]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print("\n".join(section_lines(sys.argv[1])))
    else:
        print("\n".join(f"{section}\t{line}" for section, line in command_lines()))
