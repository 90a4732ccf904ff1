"""Benchmarks of the Hub, run with `make bench` (`python -m benchmarks`).

Speed is measured, not asserted: each benchmark prints its figure, a baseline
measured in the same run, and the ratio of the two, and the run overwrites
docs/benchmarks.md with the results and a description of the machine.

- `importing`: `services.import_all()` into an empty SQLite database against
  DuckDB / openpyxl reading the same files and plain `sqlite3` writing the
  same rows (`baseline`).
- `api_load`: GET /api/v1/data under gunicorn against Datasette serving the
  same rows, both under the same load (`loadgen`: wrk, or a Python fallback).
- `profiling` (`--profile`): where the Hub's time goes, with cProfile.
"""
