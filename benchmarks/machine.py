"""What the figures were measured on."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

from . import loadgen


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe(load_before: float | None = None) -> dict[str, str]:
    """The machine, the software, and how busy the machine was (other processes skew the figures)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": _cpu_model(),
        "cores": f"{os.cpu_count()} ({usable} usable by this process)",
        "RAM": _ram(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "Django": _version("Django"),
        "django-ninja": _version("django-ninja"),
        "gunicorn": _version("gunicorn"),
        "openpyxl": _version("openpyxl"),
        "DuckDB": _version("duckdb"),
        "Datasette": _version("datasette"),
        "wrk": loadgen.wrk_version(),
        "load average (1 min)": (f"{load_before:.2f} at the start, " if load_before is not None else "")
        + f"{os.getloadavg()[0]:.2f} at the end (each benchmark adds its own)",
    }
