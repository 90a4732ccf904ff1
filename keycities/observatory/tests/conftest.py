"""Small real extracts of four bundled files (tests/data/README.md), loaded once
per test session by `keycities.tests.fixtures.django_db_setup`."""

from __future__ import annotations

from pathlib import Path

from keycities.observatory import catalogue
from keycities.observatory.importers.base import Source

DATA = Path(__file__).parent / "data"

EXTRACTS = {
    "els-population": "population-extract.json",
    "els-employment": "employment-extract.csv",
    "els-pay": "pay-extract.csv",
    "els-gdp-per-head": "gdp-per-head-extract.csv",
}


def extract_source(key: str) -> tuple[Source, Path]:
    return catalogue.source(key), DATA / EXTRACTS[key]
