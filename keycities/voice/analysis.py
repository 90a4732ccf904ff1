"""The statistics of survey results, without the database: intervals, suppression, raking weights, the design
effect, and how far respondents resemble the population.

- Proportions have Wilson score intervals (95%). Weighted proportions use the same interval on Kish's effective
  sample size of the respondents answering (the usual approximation for a weighted sample).
- A count below `MIN_CELL` (10) is suppressed: neither it nor its percentage is shown (a count of 0 is shown).
- Raking (iterative proportional fitting) to the population's margins by age band and by sex, with weightipy's
  `Rim` (docs/adr/0034-residents-voice.md says why this library), weights trimmed at `CAP` times the mean weight
  inside the iterations. A margin category with no respondents cannot be weighted up: it is left out, the
  other categories of that margin are rescaled to the whole, and the report says so plainly.
- Kish's design effect from weighting: deff = n * sum(w^2) / (sum w)^2, effective sample size n / deff.
"""

from __future__ import annotations

import contextlib
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Z95 = 1.959963984540054
MIN_CELL = 10  # counts below this are suppressed
CAP = 5.0  # weights are trimmed at this multiple of the mean weight
MIN_GROUP = 10  # fewer respondents than this in a group of the population: weighting cannot make up for it
UNDER = 0.5  # a group whose share of respondents is below half its share of residents is under-represented


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k successes in n trials (k and n may be weighted, effective counts)."""
    if n <= 0:
        return (0.0, 1.0)
    p = min(max(k / n, 0.0), 1.0)
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def kish(weights: Sequence[float]) -> tuple[float, float]:
    """(design effect, effective sample size) of a set of weights."""
    n = len(weights)
    total = sum(weights)
    squares = sum(w * w for w in weights)
    if n == 0 or total <= 0 or squares <= 0:
        return (1.0, float(n))
    deff = n * squares / (total * total)
    return (deff, n / deff)


def suppressed(count: int) -> bool:
    return 0 < count < MIN_CELL


@dataclass(frozen=True)
class Share:
    """One category's share of the respondents who answered: unweighted and weighted, with intervals."""

    count: int
    base: int
    percent: float | None  # None when suppressed
    low: float | None
    high: float | None
    weighted_percent: float | None = None
    weighted_low: float | None = None
    weighted_high: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.percent is None


def share(count: int, base: int, *, weighted: float | None = None, weighted_base: float | None = None,
          effective_base: float | None = None) -> Share:  # fmt: skip
    """A category's share, suppressed (count below MIN_CELL, or a base below MIN_CELL) as a whole."""
    if suppressed(count) or base < MIN_CELL:
        return Share(count, base, None, None, None)
    low, high = wilson(count, base)
    out = Share(count, base, 100 * count / base, 100 * low, 100 * high)
    if weighted is not None and weighted_base and effective_base:
        p = weighted / weighted_base
        wlow, whigh = wilson(p * effective_base, effective_base)
        out = Share(count, base, out.percent, out.low, out.high, 100 * p, 100 * wlow, 100 * whigh)
    return out


@dataclass
class Raking:
    weights: list[float]  # one per respondent given, mean 1 over those weighted; 0 for those left out
    deff: float
    effective_n: float
    trimmed: int  # respondents whose weight reached the cap
    empty: list[tuple[str, str]] = field(default_factory=list)  # (variable, category) with no respondents
    achieved: dict[str, dict[str, float]] = field(default_factory=dict)  # weighted shares after raking, 0..1


def rake(rows: Sequence[Mapping[str, str]], margins: Mapping[str, Mapping[str, float]], *,
         cap: float | None = CAP) -> Raking:  # fmt: skip
    """Raking weights for `rows` (each with a category for every variable in `margins`) to the population's
    margins (counts or shares per category). Rows with a category not in the margins get weight 0."""
    import pandas as pd
    import weightipy

    variables = list(margins)
    keep = [i for i, r in enumerate(rows) if all(r.get(v) in margins[v] for v in variables)]
    weights = [0.0] * len(rows)
    if not keep:
        return Raking(weights, 1.0, 0.0, 0, [(v, c) for v in variables for c in margins[v]])
    present = {v: {rows[i][v] for i in keep} for v in variables}
    empty = [(v, c) for v in variables for c in margins[v] if c not in present[v] and margins[v][c] > 0]
    targets = []
    for v in variables:
        total = sum(x for c, x in margins[v].items() if c in present[v])
        targets.append({v: {c: 100 * x / total for c, x in margins[v].items() if c in present[v]}})
    frame = pd.DataFrame({v: [rows[i][v] for i in keep] for v in variables})
    scheme = weightipy.Rim("voice", cap=cap or 0, max_iterations=1000)
    scheme.set_targets(targets)
    with contextlib.redirect_stdout(io.StringIO()):  # the library prints its convergence messages
        result = weightipy.weight(frame, scheme)
    values = [float(x) for x in result.tolist()]
    mean = sum(values) / len(values)
    values = [x / mean for x in values]
    for index, value in zip(keep, values, strict=True):
        weights[index] = value
    deff, effective = kish(values)
    trimmed = sum(1 for x in values if cap and x >= cap - 1e-3)
    achieved = {v: {c: sum(w for r, w in zip([rows[i] for i in keep], values, strict=True) if r[v] == c) / len(values)
                    for c in margins[v]} for v in variables}  # fmt: skip
    return Raking(weights, deff, effective, trimmed, empty, achieved)


@dataclass(frozen=True)
class GroupCompare:
    """One group of the population (an age band, a sex, or both) against the respondents."""

    key: tuple[str, ...]
    respondents: int
    respondent_share: float  # 0..1 of respondents with the demographics
    population: int
    population_share: float
    weighted_share: float | None

    @property
    def ratio(self) -> float | None:
        return self.respondent_share / self.population_share if self.population_share else None

    @property
    def cannot_fix(self) -> bool:
        """Too few respondents for weighting to stand for the group: none, fewer than MIN_GROUP, or so few that
        the trimmed weights cannot bring it to its share of the population."""
        if self.population_share <= 0:
            return False
        if self.respondents < MIN_GROUP:
            return True
        return self.weighted_share is not None and self.weighted_share < self.population_share - 0.02

    @property
    def under(self) -> bool:
        return self.ratio is not None and self.ratio < UNDER


def compare(rows: Sequence[Mapping[str, str]], weights: Sequence[float], population: Mapping[Any, int],
            variables: Sequence[str]) -> list[GroupCompare]:  # fmt: skip
    """Respondents against the population for each group keyed by `variables` (population keyed the same way)."""
    total_pop = sum(population.values())
    counted = [(r, w) for r, w in zip(rows, weights, strict=True) if all(r.get(v) for v in variables)]
    known = [(r, w) for r, w in counted if tuple(r[v] for v in variables) in population]
    n = len(known)
    total_w = sum(w for _, w in known)
    out = []
    for key, pop in population.items():
        mine = [w for r, w in known if tuple(r[v] for v in variables) == key]
        out.append(GroupCompare(key, len(mine), len(mine) / n if n else 0.0, pop, pop / total_pop if total_pop else 0,
                                sum(mine) / total_w if total_w else None))  # fmt: skip
    return out
