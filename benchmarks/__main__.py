"""`python -m benchmarks` (`make bench`): run the benchmarks and rewrite docs/benchmarks.md."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from .common import ROOT, BenchmarkError, heading, say

DOC = ROOT / "docs" / "benchmarks.md"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("which", nargs="?", default="all",
                   choices=["all", "import", "api", "pages", "suggest", "submissions", "mywork", "briefings", "voice",
                            "pilots", "search", "engagement"],
                   help="which benchmark to run (default: all; the last five only when named)")  # fmt: skip
    p.add_argument("--connections", type=int, default=16, help="concurrent connections under load (16)")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring (3)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds of measured load per server (15)")
    p.add_argument("--rounds", type=int, default=3, help="alternating rounds the measured load is split into (3)")
    p.add_argument("--page-duration", type=float, default=8.0, help="seconds of measured load per page (8)")
    p.add_argument("--submissions", type=int, default=200, help="proposals sent at the same moment (200)")
    p.add_argument("--keep", action="store_true", help="keep the temporary databases and server logs")
    p.add_argument("--no-write", action="store_true", help=f"do not rewrite {DOC.relative_to(ROOT)}")
    p.add_argument("--profile", action="store_true", help="profile the Hub's import and data endpoint instead")
    p.add_argument("--seed", type=int, default=1, help="the pilots benchmark's sample of cases (1)")
    args = p.parse_args(argv)
    if not (1 <= args.connections <= 256 and 0 <= args.warmup <= 30 and 1 <= args.duration <= 60
            and 1 <= args.rounds <= 10 and args.duration / args.rounds >= 1
            and 1 <= args.submissions <= 1000):  # fmt: skip
        p.error("keep --connections within 1-256, --warmup within 0-30 s, --duration within 1-60 s and "
                "--rounds within 1-10, with at least 1 s per round")  # fmt: skip
    return args


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop the servers


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.which == "pilots":
        from . import pilots  # first: it limits BLAS to one thread before numpy is imported

        args.no_write = True  # docs/benchmarks.md does not hold the pilots' figures: they are printed
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="keycities-bench-", dir="/tmp"))
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    if load_before > 0.5 * (os.cpu_count() or 1):
        say(f"note: the machine is busy before the benchmarks start (load average {load_before:.2f} on "
            f"{os.cpu_count()} cores); other work skews the figures: compare runs made on a quiet machine")  # fmt: skip
    try:
        if args.profile:
            from . import profiling

            profiling.run(workdir)
            return 0

        from . import api_load, importing, machine, report

        hub_db = workdir / "hub.sqlite3"
        imported = api = pages = submitted = None
        if args.which in ("all", "import"):
            imported = importing.run(workdir)
        if args.which in ("all", "api"):
            if imported is None:
                say("Preparing a database with every bundled file imported (not timed) ...")
                importing.prepare_database(hub_db)
            api = api_load.run(workdir, hub_db, connections=args.connections, warmup=args.warmup,
                               duration=args.duration, rounds=args.rounds)  # fmt: skip
        if args.which in ("all", "pages"):
            from . import pages as pages_bench

            if not hub_db.exists():
                say("Preparing a database with every bundled file imported (not timed) ...")
                importing.prepare_database(hub_db)
            pages = pages_bench.run(workdir, hub_db, warmup=min(args.warmup, 3.0), duration=args.page_duration)
        if args.which in ("all", "suggest"):
            from . import suggest as suggest_bench

            heading("Work-area suggester")
            for line in suggest_bench.run():
                say(line)
        if args.which == "pilots":  # run on its own: it sets Django up on the imported database
            from . import pilots

            if not hub_db.exists():
                say("Preparing a database with every bundled file imported (not timed) ...")
                importing.prepare_database(hub_db)
            pilots.run(hub_db, seed=args.seed)
        if args.which == "briefings":  # run on its own: it sets Django up on the imported database
            from . import briefings

            if not hub_db.exists():
                say("Preparing a database with every bundled file imported (not timed) ...")
                importing.prepare_database(hub_db)
            briefings.run(hub_db)
        if args.which == "voice":  # run on its own: it sets Django up for the Census files
            from . import voice

            voice.run(workdir, args.submissions if args.submissions != 200 else 1000)
            return 0
        if args.which == "search":  # run on its own: it prepares its own databases (SQLite and PostgreSQL)
            from . import search as search_bench

            search_bench.run()
            return 0
        if args.which == "engagement":  # run on its own: it generates 200,000 interactions per database
            from . import engagement

            engagement.run(workdir)  # printed only: docs/benchmarks.md does not hold it yet
        if args.which in ("all", "submissions"):
            from . import submissions

            submitted = submissions.run(workdir, args.submissions)
        if args.which in ("all", "mywork"):
            from . import mywork

            mywork.run(workdir)  # printed only: docs/benchmarks.md does not hold it yet
        described = machine.describe(load_before)
        heading("Machine")
        for k, v in described.items():
            say(f"{k:21} {v}")
        if not args.no_write:
            report.write(DOC, described, imported, api, submitted, pages)
            say(f"\nwrote {DOC.relative_to(ROOT)} ({time.monotonic() - started:.0f} s in all)")
        return 0
    except BenchmarkError as exc:
        print(f"\nBENCHMARK FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
