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
import time
from pathlib import Path

from .api_load import HUB_PATH, UNIQUE
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

    # Each request with its own value of a parameter the Hub ignores, as the benchmark's "uncached" figure: the
    # same address again and again would profile the page cache.
    heading(f"Profile: GET {HUB_PATH}&{UNIQUE}=<unique> x {requests}, in-process (every request builds its page)")
    client = Client()
    assert client.get(f"{HUB_PATH}&{UNIQUE}=first").status_code == 200
    profile = cProfile.Profile()
    began = time.process_time()
    profile.enable()
    for i in range(requests):
        client.get(f"{HUB_PATH}&{UNIQUE}={i}")
    profile.disable()
    profiled = (time.process_time() - began) * 1000 / requests
    _print(profile, top)
    began_plain = time.process_time()
    for i in range(requests):
        client.get(f"{HUB_PATH}&{UNIQUE}=again-{i}")
    plain = (time.process_time() - began_plain) * 1000 / requests
    say(f"CPU a request: {plain:.2f} ms without the profiler ({profiled:.2f} ms with it)")
