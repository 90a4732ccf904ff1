"""`python -m benchmarks --profile`: where the Hub's time goes, with cProfile.

Profiles `import_all()` on a fresh database, then the data endpoint called
in-process (Django's test client, through every middleware) many times. The
profiler slows Python-heavy code more than C code, so read the shares, not the
seconds. Prints only; docs/benchmarks.md is not rewritten.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from pathlib import Path

from .api_load import HUB_PATH
from .common import heading, migrate, say, setup_django


def _print(profile: cProfile.Profile, top: int) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        say(f"-- top {top} by {order}")
        say("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def run(workdir: Path, *, requests: int = 200, top: int = 30) -> None:
    db = workdir / "profile.sqlite3"
    migrate(db)
    setup_django(db)
    from django.test import Client

    from keycities.observatory import services

    heading("Profile: services.import_all()")
    profile = cProfile.Profile()
    profile.enable()
    services.import_all()
    profile.disable()
    _print(profile, top)

    heading(f"Profile: GET {HUB_PATH} x {requests}, in-process")
    client = Client()
    assert client.get(HUB_PATH).status_code == 200
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(HUB_PATH)
    profile.disable()
    _print(profile, top)
