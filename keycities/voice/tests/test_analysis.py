"""The statistics, checked against values worked by hand and an independent raking written here."""

from __future__ import annotations

import itertools
import random

import pytest

from keycities.voice import analysis


def test_wilson_matches_the_published_formula() -> None:
    low, high = analysis.wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)  # Wilson (1927); Newcombe (1998) table I
    assert analysis.wilson(0, 20)[0] == 0.0 and analysis.wilson(0, 0) == (0.0, 1.0)


def test_kish_design_effect() -> None:
    assert analysis.kish([1, 1, 1, 1]) == (1.0, 4.0)
    deff, n_eff = analysis.kish([1, 3])
    assert deff == pytest.approx(2 * 10 / 16) and n_eff == pytest.approx(2 / deff)


def test_small_cells_are_suppressed() -> None:
    assert analysis.share(9, 100).suppressed and analysis.share(9, 100).percent is None
    assert not analysis.share(0, 100).suppressed
    assert analysis.share(10, 100).percent == 10.0
    assert analysis.share(10, 9).suppressed  # a base under 10 hides everything


def ipf(rows: list[dict[str, str]], margins: dict[str, dict[str, float]], rounds: int = 500) -> list[float]:
    """Raking written out: scale each margin in turn until the weights settle (mean 1)."""
    w = [1.0] * len(rows)
    for _ in range(rounds):
        for variable, targets in margins.items():
            total = sum(targets.values())
            for category, target in targets.items():
                members = [i for i, r in enumerate(rows) if r[variable] == category]
                have = sum(w[i] for i in members)
                for i in members:
                    w[i] *= (target / total * len(rows)) / have
    return w


def test_raking_reproduces_the_margins_and_an_independent_implementation() -> None:
    rng = random.Random(4)  # noqa: S311 (a test sample, not a secret)
    ages, sexes = ["16-24", "25-34", "35-49", "50-64", "65-74", "75+"], ["female", "male"]
    # An older, female-heavy sample against a younger population.
    rows = [{"age_band": rng.choices(ages, [1, 2, 3, 4, 5, 5])[0], "sex": rng.choices(sexes, [2, 1])[0]}
            for _ in range(400)]  # fmt: skip
    margins = {"age_band": dict(zip(ages, [53055, 50028, 66104, 57372, 26050, 24266], strict=True)),
               "sex": {"female": 139916, "male": 136959}}  # fmt: skip
    result = analysis.rake(rows, margins, cap=None)
    expected = ipf(rows, margins)
    assert max(abs(a - b) for a, b in zip(result.weights, expected, strict=True)) < 1e-3
    for variable, targets in margins.items():
        total = sum(targets.values())
        for category, target in targets.items():
            assert result.achieved[variable][category] == pytest.approx(target / total, abs=1e-4)
    deff, n_eff = analysis.kish(result.weights)
    assert result.deff == pytest.approx(deff) and result.effective_n == pytest.approx(n_eff) and deff > 1


def test_trimming_caps_weights_and_an_empty_group_is_reported() -> None:
    rows = [{"age_band": "16-24", "sex": "male"}] * 2 + [{"age_band": "65-74", "sex": "female"}] * 98
    rows += [{"age_band": "65-74", "sex": "male"}] * 30 + [{"age_band": "16-24", "sex": "female"}] * 3
    margins = {"age_band": {"16-24": 50, "65-74": 50, "75+": 10}, "sex": {"female": 50, "male": 50}}
    result = analysis.rake(rows, margins, cap=5)
    assert max(result.weights) <= 5 + 1e-3 and result.trimmed > 0
    assert result.empty == [("age_band", "75+")]
    groups = analysis.compare(rows, result.weights, {("16-24",): 50, ("65-74",): 50, ("75+",): 10}, ["age_band"])
    young = next(g for g in groups if g.key == ("16-24",))
    old = next(g for g in groups if g.key == ("75+",))
    assert young.cannot_fix and young.under  # 5 respondents for 45% of residents
    assert old.respondents == 0 and old.cannot_fix


def test_rows_without_demographics_get_no_weight() -> None:
    combos = list(itertools.product(["16-24", "25-34"], ["female", "male"])) * 5
    rows = [{"age_band": a, "sex": s} for a, s in combos] + [{"age_band": "", "sex": "male"}]
    result = analysis.rake(rows, {"age_band": {"16-24": 1, "25-34": 1}, "sex": {"female": 1, "male": 1}})
    assert result.weights[-1] == 0.0 and sum(result.weights) == pytest.approx(20)
