"""The evaluation of one pilot outcome: synthetic control (pysyncon), difference-in-differences with standard errors
clustered by place (linearmodels), placebos in space and in time, and the refusals. Pure: a `Panel` in, a plain
dict out (stored as the evaluation's result and rendered by the presenters); no database. ADR 0035.

The estimate is the mean gap between the treated place and its synthetic control over the post-period. Its
interval and p-value come from the same statistic computed for every donor as if it had been treated (placebo in
space): the p-value is the share of places (donors and the treated place) whose absolute gap is at least the treated
place's, and the interval inverts that test for a constant additive effect (the gaps that the placebo distribution
would not call unusual). Abadie's ratio of post- to pre-period RMSPE is reported beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MIN_PRE_PERIODS = 5  # fewer and a synthetic control's pre-period fit means little
MIN_DONORS = 9  # the fewest with which a placebo test at 10% can reject: 1 / (9 + 1)
ALPHA = 0.10  # the intervals are 90% intervals; "distinguishable from placebos" means p <= 0.10
MAX_OUTSIDE_SHARE = 0.5  # refuse when the treated place is outside the donors' range in more pre-periods than this
DEFAULT_COMPARATORS = 30


class Refusal(Exception):
    """The evaluation cannot be done honestly: a stable `code` and the figures its reason names (the sentence, in
    the reader's language, is `presenters.refusal_reason`)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass
class Panel:
    """Annual values: the treated unit and donors, each a period -> value mapping (missing periods absent)."""

    treated: str
    treated_name: str
    series: dict[str, dict[int, float]]
    names: dict[str, str] = field(default_factory=dict)
    unit: str = ""


@dataclass
class Fit:
    weights: np.ndarray
    synthetic: np.ndarray
    gap: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    effect: float


def synth_fit(y: np.ndarray, Y: np.ndarray, pre: np.ndarray) -> Fit:
    """Synthetic control weights fitted on the pre-period outcomes (pysyncon's Synth, every pre-period year as a
    predictor with equal importance), applied to the whole series."""
    import pandas as pd
    from pysyncon import Synth

    cols = [f"d{i}" for i in range(Y.shape[1])]
    Z0 = pd.DataFrame(Y[pre], columns=cols)
    Z1 = pd.Series(y[pre], name="treated")
    model = Synth()
    model.fit(X0=Z0, X1=Z1, Z0=Z0, Z1=Z1, custom_V=np.ones(int(pre.sum())))
    weights = np.clip(np.asarray(model.W, dtype=float), 0, None)
    weights = weights / weights.sum()
    synthetic = Y @ weights
    gap = y - synthetic
    post = ~pre
    return Fit(weights, synthetic, gap, _rms(gap[pre]), _rms(gap[post]), float(gap[post].mean()))


def _rms(values: np.ndarray) -> float:
    return float(math.sqrt(float(np.mean(values**2)))) if len(values) else 0.0


def placebo_p(effect: float, placebo_effects: np.ndarray) -> float:
    """The treated place's rank among itself and its placebos by absolute gap, as a p-value."""
    return float((1 + np.sum(np.abs(placebo_effects) >= abs(effect) - 1e-12)) / (len(placebo_effects) + 1))


def placebo_interval(effect: float, placebo_effects: np.ndarray, alpha: float = ALPHA) -> tuple[float, float]:
    """The effects the placebo test above would not reject at level alpha (the test inverted for a constant
    additive effect): effect ± the (m+1)-th largest absolute placebo gap, m = floor(alpha (n+1) - 1). So the
    interval leaves out 0 exactly when p <= alpha. With too few placebos to ever reject, it is unbounded."""
    ranked = np.sort(np.abs(placebo_effects))[::-1]
    m = math.floor(alpha * (len(ranked) + 1) - 1 + 1e-9)
    if m < 0 or m >= len(ranked):
        return -math.inf, math.inf
    return float(effect - ranked[m]), float(effect + ranked[m])


def did_clustered(
    y: np.ndarray,
    Y: np.ndarray,
    pre: np.ndarray,
    periods: list[int],
    alpha: float = ALPHA,
) -> dict[str, Any]:
    """Two-way fixed-effects difference-in-differences of the treated place against the comparators (linearmodels'
    PanelOLS, standard errors clustered by place)."""
    import pandas as pd
    from linearmodels.panel import PanelOLS

    units = ["treated", *[f"d{i}" for i in range(Y.shape[1])]]
    values = np.column_stack([y, Y])
    rows = [
        (u, p, values[t, j], 1.0 if (j == 0 and not pre[t]) else 0.0)
        for j, u in enumerate(units)
        for t, p in enumerate(periods)
    ]
    frame = pd.DataFrame(rows, columns=["unit", "period", "y", "treated_post"]).set_index(["unit", "period"])
    result = PanelOLS(frame["y"], frame[["treated_post"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    lo, hi = result.conf_int(level=1 - alpha).loc["treated_post"].tolist()
    return {
        "estimate": float(result.params["treated_post"]),
        "se": float(result.std_errors["treated_post"]),
        "low": float(lo),
        "high": float(hi),
        "p": float(result.pvalues["treated_post"]),
    }


def did_placebo(values: np.ndarray, pre: np.ndarray) -> np.ndarray:
    """The difference-in-differences estimate for every column treated in turn against the others (the two-way
    fixed-effects estimate with one treated unit in a balanced panel)."""
    change = values[~pre].mean(axis=0) - values[pre].mean(axis=0)
    n = values.shape[1]
    return np.array([change[j] - (change.sum() - change[j]) / (n - 1) for j in range(n)])


def window(panel: Panel, candidates: list[str]) -> list[int]:
    """The treated place's years that at least half of the candidate comparators also have (a year published for
    only some areas, such as a newer release's extract, is left out rather than the comparators without it)."""
    treated = panel.series.get(panel.treated, {})
    others = [panel.series.get(c, {}) for c in candidates if c != panel.treated]
    return [p for p in sorted(treated) if others and 2 * sum(1 for o in others if p in o) >= len(others)]


def check(panel: Panel, first_post: int, comparators: list[str]) -> tuple[list[int], np.ndarray, np.ndarray, list[str]]:
    """The balanced window (every period the treated place has), the treated series, the donors' matrix and the
    donors kept; a Refusal when the evaluation cannot be done honestly."""
    treated = panel.series.get(panel.treated, {})
    if not treated:
        raise Refusal("no-data")
    periods = window(panel, comparators) or sorted(treated)
    if first_post > periods[-1]:
        raise Refusal("after-last-data", year=first_post, last=periods[-1])
    pre_count = sum(1 for p in periods if p < first_post)
    if pre_count < MIN_PRE_PERIODS:
        raise Refusal("too-few-pre-periods", count=pre_count, needed=MIN_PRE_PERIODS)
    donors = [c for c in comparators if c != panel.treated and all(p in panel.series.get(c, {}) for p in periods)]
    if len(donors) < MIN_DONORS:
        raise Refusal("no-donors", count=len(donors), needed=MIN_DONORS, first=periods[0], last=periods[-1])
    y = np.array([treated[p] for p in periods], dtype=float)
    Y = np.array([[panel.series[c][p] for c in donors] for p in periods], dtype=float)
    pre = np.array([p < first_post for p in periods])
    outside = np.sum((y[pre] > Y[pre].max(axis=1)) | (y[pre] < Y[pre].min(axis=1)))
    if outside > MAX_OUTSIDE_SHARE * pre.sum():
        raise Refusal("outside-hull", place=panel.treated_name, outside=int(outside), years=int(pre.sum()))
    return periods, y, Y, donors


def similar(panel: Panel, first_post: int, exclude: set[str], k: int = DEFAULT_COMPARATORS) -> list[str]:
    """The default comparators: the k local authorities whose pre-period path is nearest the treated place's
    (root mean squared difference over the pre-period years, among those with every year)."""
    treated = panel.series.get(panel.treated, {})
    years = window(panel, [c for c in panel.series if c not in exclude])
    pre_years = [p for p in years if p < first_post]
    if not pre_years:
        return []
    target = np.array([treated[p] for p in pre_years])
    scored = []
    for code, values in panel.series.items():
        if code == panel.treated or code in exclude or not all(p in values for p in years):
            continue
        scored.append((float(np.sqrt(np.mean((np.array([values[p] for p in pre_years]) - target) ** 2))), code))
    return [code for _, code in sorted(scored)[:k]]


def evaluate(
    panel: Panel,
    first_post: int,
    comparators: list[str],
    *,
    expected: int = 0,
    alpha: float = ALPHA,
    progress: Any = None,
    in_time: bool = True,
) -> dict[str, Any]:
    """Everything the page, the API and the benchmark show, as plain data. `expected` is +1 (an increase is the
    hoped-for effect), -1 (a decrease) or 0; `progress(done, total)` is called as the placebos are fitted;
    `in_time=False` leaves out the placebo in time (the benchmark, which does not read it)."""
    periods, y, Y, donors = check(panel, first_post, comparators)
    pre = np.array([p < first_post for p in periods])
    n = len(donors)
    total = 2 * n + 2
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        if progress:
            progress(step, total)

    fit = synth_fit(y, Y, pre)
    tick()
    placebos = []
    for j in range(n):
        others = np.delete(Y, j, axis=1)
        placebos.append(synth_fit(Y[:, j], others, pre))
        tick()
    effects = np.array([f.effect for f in placebos])
    ratios = np.array([f.post_rmspe / f.pre_rmspe if f.pre_rmspe else math.inf for f in placebos])
    ratio = fit.post_rmspe / fit.pre_rmspe if fit.pre_rmspe else math.inf
    p = placebo_p(fit.effect, effects)
    low, high = placebo_interval(fit.effect, effects, alpha)
    ratio_p = float((1 + np.sum(ratios >= ratio)) / (n + 1))

    # Placebo in time: the same method with the intervention moved back, on the years before the real one.
    backdated: dict[str, Any] | None = None
    pre_years = [p for p in periods if p < first_post]
    shift = max(2, len(pre_years) // 2)
    if in_time and len(pre_years) - shift >= 3:
        fake = pre_years[-shift]
        keep = np.array([p < first_post for p in periods])
        fake_pre = np.array([p < fake for p in periods])[keep]
        tf = synth_fit(y[keep], Y[keep], fake_pre)
        time_effects = np.array(
            [synth_fit(Y[keep][:, j], np.delete(Y[keep], j, axis=1), fake_pre).effect for j in range(n)]
        )
        tick()
        backdated = {
            "year": fake,
            "effect": tf.effect,
            "p": placebo_p(tf.effect, time_effects),
            "pre_rmspe": tf.pre_rmspe,
        }
    else:
        tick()

    did = did_clustered(y, Y, pre, periods, alpha)
    did_placebos = did_placebo(Y, pre)
    did["placebo_p"] = placebo_p(did["estimate"], did_placebos)
    did["placebo_low"], did["placebo_high"] = placebo_interval(did["estimate"], did_placebos, alpha)
    step = total - 1
    tick()

    distinguishable = p <= alpha
    return {
        "treated": {"code": panel.treated, "name": panel.treated_name},
        "unit": panel.unit,
        "first_post": first_post,
        "periods": periods,
        "alpha": alpha,
        "expected": expected,
        "treated_series": y.tolist(),
        "synthetic": fit.synthetic.tolist(),
        "gap": fit.gap.tolist(),
        "weights": sorted(
            (
                {"code": c, "name": panel.names.get(c, c), "weight": float(w)}
                for c, w in zip(donors, fit.weights, strict=True)
            ),
            key=lambda r: -r["weight"],
        ),
        "estimate": fit.effect,
        "low": low,
        "high": high,
        "p": p,
        "pre_rmspe": fit.pre_rmspe,
        "post_rmspe": fit.post_rmspe,
        "ratio": ratio if math.isfinite(ratio) else None,
        "ratio_p": ratio_p,
        "pre_periods": int(pre.sum()),
        "post_periods": int((~pre).sum()),
        "distinguishable": distinguishable,
        "placebos": [
            {
                "code": c,
                "name": panel.names.get(c, c),
                "effect": f.effect,
                "pre_rmspe": f.pre_rmspe,
                "post_rmspe": f.post_rmspe,
                "gap": f.gap.tolist(),
            }
            for c, f in zip(donors, placebos, strict=True)
        ],
        "in_time": backdated,
        "did": did,
    }
