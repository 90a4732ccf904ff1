"""Load generation against a server on the loopback: wrk when installed, otherwise a Python fallback.

Every run is bounded: a fixed duration, a fixed number of connections, and
only 127.0.0.1. wrk (Debian's package: `apt-get install wrk`) reports its
latency distribution through a Lua `done()` hook; the Python fallback (threads
with keep-alive `http.client` connections) is less efficient and competes with
the servers for the CPU, so its figures are labelled and not comparable with
wrk's.
"""

from __future__ import annotations

import http.client
import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .common import BenchmarkError

WRK_MISSING = (
    "wrk is not installed: the API benchmark falls back to a slower Python load generator whose figures are not "
    "comparable with wrk's. Install it with `apt-get install wrk` (Debian's package) and run `make bench` again."
)

# wrk calls done() once at the end; latencies are in microseconds.
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d "
    .. "p50_us=%d p95_us=%d p99_us=%d mean_us=%.1f max_us=%d\\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
end
"""
# With `unique`: every request gets its own query string (&<param>=<run>-<thread>-<n>), to defeat a cache.
WRK_UNIQUE = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
init = function(args)
  run, n = args[1], 0
end
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&" .. param .. "=" .. run .. "-" .. tid .. "-" .. n)
end
"""

MAX_SECONDS = 120  # no single load run may last longer, whatever is asked
MAX_REQUESTS_PER_CONNECTION = 200_000  # a bound on the Python fallback's loop


@dataclass
class LoadResult:
    tool: str
    seconds: float
    requests: int
    errors: int  # non-2xx responses, socket errors, timeouts
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def combine(rounds: list[LoadResult]) -> LoadResult:
    """Rounds of the same load as one result: requests and time add up; the latency percentiles are the median
    of the rounds' (a percentile of the whole cannot be rebuilt from wrk's summaries)."""

    def median(values: list[float]) -> float:
        ordered = sorted(values)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2

    requests = sum(r.requests for r in rounds)
    return LoadResult(
        rounds[0].tool, sum(r.seconds for r in rounds), requests, sum(r.errors for r in rounds),
        median([r.p50_ms for r in rounds]), median([r.p95_ms for r in rounds]), median([r.p99_ms for r in rounds]),
        sum(r.mean_ms * r.requests for r in rounds) / requests if requests else 0.0, max(r.max_ms for r in rounds),
    )  # fmt: skip


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk_version() -> str:
    path = wrk_path()
    if path is None:
        return "not installed"
    out = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10, check=False)
    first = (out.stdout or out.stderr).splitlines()
    return first[0].split(" Copyright")[0] if first else "unknown"


def _check_url(url: str) -> None:
    if urlsplit(url).hostname != "127.0.0.1":
        raise BenchmarkError(f"load is only ever sent to 127.0.0.1, not {url}")


_runs = itertools.count(1)


def run(url: str, *, connections: int, seconds: float, unique: str | None = None) -> LoadResult:
    """Load `url` with `connections` concurrent connections for `seconds`. With `unique`, each request adds
    its own value of that query parameter (`url` must already have a query string)."""
    _check_url(url)
    seconds = min(seconds, MAX_SECONDS)
    if unique is not None and (not unique.isidentifier() or "?" not in url):
        raise BenchmarkError(f"cannot make the requests to {url} unique with the parameter {unique!r}")
    nonce = f"{os.getpid()}x{next(_runs)}"
    if wrk_path() is not None:
        return _wrk(url, connections, seconds, unique, nonce)
    return _python(url, connections, seconds, unique, nonce)


def _wrk(url: str, connections: int, seconds: float, unique: str | None, nonce: str) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_DONE + (f'param = "{unique}"\n' + WRK_UNIQUE if unique else ""))
        script = Path(f.name)
    try:
        whole = max(1, round(seconds))
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{whole}s", "--timeout", "10s", "-s", str(script), url,
             "--", nonce],
            capture_output=True, text=True, timeout=whole + 30, check=False,
        )  # fmt: skip
    finally:
        script.unlink(missing_ok=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH ")), None)
    if out.returncode != 0 or line is None:
        raise BenchmarkError(f"wrk failed (exit {out.returncode}): {out.stderr.strip() or out.stdout.strip()}")
    f = {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    errors = int(f["connect"] + f["read"] + f["write"] + f["status"] + f["timeout"])
    return LoadResult("wrk", f["duration_us"] / 1e6, int(f["requests"]), errors, f["p50_us"] / 1e3,
                      f["p95_us"] / 1e3, f["p99_us"] / 1e3, f["mean_us"] / 1e3, f["max_us"] / 1e3)  # fmt: skip


def _percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def _python(url: str, connections: int, seconds: float, unique: str | None, nonce: str) -> LoadResult:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start = time.monotonic()
    deadline = start + seconds

    def worker(i: int) -> None:
        conn: http.client.HTTPConnection | None = None
        for n in range(MAX_REQUESTS_PER_CONNECTION):
            if time.monotonic() >= deadline:
                break
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=10)
            began = time.perf_counter()
            try:
                conn.request("GET", f"{target}&{unique}={nonce}-{i}-{n}" if unique else target)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = None
                continue
            latencies[i].append(time.perf_counter() - began)
            if not 200 <= response.status < 300:
                errors[i] += 1
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 30)
    elapsed = time.monotonic() - start
    ordered = sorted(x * 1000 for per in latencies for x in per)
    mean = sum(ordered) / len(ordered) if ordered else 0.0
    p50, p95, p99 = (_percentile(ordered, p) for p in (50, 95, 99))
    worst = ordered[-1] if ordered else 0.0
    return LoadResult("python (fallback)", elapsed, len(ordered), sum(errors), p50, p95, p99, mean, worst)
