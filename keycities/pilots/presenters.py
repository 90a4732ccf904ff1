"""What a pilot's pages and API show of an evaluation: the headline in plain words (saying when the result is not
distinguishable from the placebos), the caveats, the reason for a refusal, the charts (treated vs synthetic, the
gap against the placebos' range) and the tables. Plain functions of the stored result; no database."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from keycities.core.charts import Chart, format_value, line_chart

CSV_PARTS = ("estimates", "weights", "placebos", "series")


def amount(value: float, unit: str) -> str:
    """A difference in the indicator's unit: percentage points for rates."""
    if unit == "%":
        return _("%(n)s percentage points") % {"n": f"{abs(value):.1f}"}
    return format_value(abs(value), unit)


def refusal_reason(refusal: dict[str, Any]) -> str:
    code, p = refusal.get("code", ""), refusal.get("params", {})
    reasons = {
        "no-indicator": lambda: _("The indicator is not in the observatory."),
        "no-data": lambda: _(
            "There are no figures for the place on this indicator (medians and other figures that "
            "cannot be combined have no figure for a place made of several areas)."
        ),
        "after-last-data": lambda: (
            _(
                "The intervention (%(year)s) is after the last year with figures (%(last)s): "
                "there is nothing after it to evaluate yet."
            )
            % p
        ),
        "too-few-pre-periods": lambda: (
            _(
                "Only %(count)s years of figures before the intervention; a synthetic "
                "control needs at least %(needed)s to be fitted honestly."
            )
            % p
        ),
        "no-donors": lambda: (
            _(
                "Only %(count)s comparator local authorities have figures for every year from "
                "%(first)s to %(last)s; at least %(needed)s are needed."
            )
            % p
        ),
        "outside-hull": lambda: (
            _(
                "%(place)s is outside the range of the comparators in %(outside)s of %(years)s "
                "years before the intervention: no weighted average of them can reproduce it, "
                "so a synthetic control would extrapolate."
            )
            % p
        ),
    }
    return reasons[code]() if code in reasons else _("The evaluation was refused.")


def headline(result: dict[str, Any], indicator: str) -> str:
    unit, est = result["unit"], result["estimate"]
    n = len(result["placebos"])
    as_large = round(result["p"] * (n + 1)) - 1
    words = {
        "year": result["first_post"],
        "indicator": indicator,
        "place": result["treated"]["name"],
        "amount": amount(est, unit),
        "low": _signed(result["low"], unit),
        "high": _signed(result["high"], unit),
        "k": as_large,
        "n": n,
        "p": f"{result['p']:.2f}",
        "level": round(100 * (1 - result["alpha"])),
    }
    if abs(est) < 1e-12:
        said = _("From %(year)s, %(indicator)s in %(place)s was the same as its synthetic control on average.") % words
    elif est > 0:
        said = (
            _("From %(year)s, %(indicator)s in %(place)s was %(amount)s higher than its synthetic control on average.")
            % words
        )
    else:
        said = (
            _("From %(year)s, %(indicator)s in %(place)s was %(amount)s lower than its synthetic control on average.")
            % words
        )
    if not result["distinguishable"]:
        said += (
            " "
            + _(
                "This is not distinguishable from the placebos: %(k)s of %(n)s comparator places showed a "
                "gap at least as large (p = %(p)s; %(level)s%% interval %(low)s to %(high)s)."
            )
            % words
        )
    else:
        said += (
            " "
            + _(
                "Only %(k)s of %(n)s comparator places showed a gap at least as large (p = %(p)s; "
                "%(level)s%% interval %(low)s to %(high)s)."
            )
            % words
        )
        if result["expected"] and np.sign(est) != result["expected"]:
            said += " " + _("This is the opposite of the change the pilot hoped for.")
    return said


def _signed(value: float, unit: str) -> str:
    text = f"{value:.1f}" if unit == "%" else format_value(abs(value), unit)
    return ("−" + text.lstrip("-")) if value < 0 and not text.startswith("-") else text.replace("-", "−")


def caveats(result: dict[str, Any], sources: dict[str, Any]) -> list[str]:
    unit = result["unit"]
    out = [
        _(
            "The figures are annual: %(year)s is counted as after the intervention even if the pilot started part-way "
            "through it, which can only make an effect look smaller."
        )
        % {"year": result["first_post"]},
        _(
            "Other policies and events at the same time in %(place)s, and effects spilling over into the comparator "
            "places, would be counted as the pilot’s effect."
        )
        % {"place": result["treated"]["name"]},
    ]
    if result["pre_periods"] < 10:
        out.append(
            _("Only %(n)s years before the intervention: the synthetic control is fitted on few points.")
            % {"n": result["pre_periods"]}
        )
    spread = float(np.std([g for g in result["treated_series"][: result["pre_periods"]]])) or 1.0
    if result["pre_rmspe"] > 0.5 * spread:
        out.append(
            _(
                "The synthetic control follows %(place)s only loosely before the intervention (root mean "
                "squared error %(rmspe)s): read the estimate with care."
            )
            % {"place": result["treated"]["name"], "rmspe": amount(result["pre_rmspe"], unit)}
        )
    in_time = result.get("in_time")
    if in_time and in_time["p"] <= result["alpha"]:
        out.append(
            _(
                "Moved back to %(year)s, when nothing had happened yet, the same method also finds a gap "
                "distinguishable from the placebos (%(amount)s): the estimate may reflect something that began "
                "before the pilot."
            )
            % {"year": in_time["year"], "amount": amount(in_time["effect"], unit)}
        )
    did = result["did"]
    out.append(
        _(
            "Difference-in-differences against the same comparators gives %(est)s (%(level)s%% interval "
            "%(low)s to %(high)s with standard errors clustered by place; %(plow)s to %(phigh)s from its "
            "placebos). With a single treated place, clustered standard errors understate the uncertainty: "
            "the placebo interval is the one to read."
        )
        % {
            "est": _signed(did["estimate"], unit),
            "low": _signed(did["low"], unit),
            "high": _signed(did["high"], unit),
            "plow": _signed(did["placebo_low"], unit),
            "phigh": _signed(did["placebo_high"], unit),
            "level": round(100 * (1 - result["alpha"])),
        }
    )
    for text in sources.get("breaks", []):
        out.append(_("Break in the place’s series: %(text)s") % {"text": text})
    return out


def charts(result: dict[str, Any], indicator: str) -> tuple[Chart, Chart]:
    unit, periods, name = result["unit"], result["periods"], result["treated"]["name"]
    synthetic = _("Synthetic %(place)s") % {"place": name}
    path = line_chart(
        _("%(indicator)s: %(place)s and its synthetic control") % {"indicator": indicator, "place": name},
        {
            name: list(zip(periods, result["treated_series"], strict=True)),
            synthetic: list(zip(periods, result["synthetic"], strict=True)),
        },
        unit=unit,
        highlight=name,
    )
    gaps = np.array([p["gap"] for p in result["placebos"]]) if result["placebos"] else np.zeros((1, len(periods)))
    low, high = np.quantile(gaps, [0.05, 0.95], axis=0)
    gap_unit = "score" if unit == "%" else unit
    gap = line_chart(
        _("Gap between %(place)s and its synthetic control, with the placebos’ middle 90%%") % {"place": name},
        {
            _("Gap"): list(zip(periods, result["gap"], strict=True)),
            _("Placebos, 5th percentile"): list(zip(periods, low.tolist(), strict=True)),
            _("Placebos, 95th percentile"): list(zip(periods, high.tolist(), strict=True)),
        },
        unit=gap_unit,
        highlight=_("Gap"),
        y_title=_("Percentage points") if unit == "%" else None,
    )
    return path, gap


def weight_rows(result: dict[str, Any], minimum: float = 0.001) -> list[dict[str, Any]]:
    return [{**w, "share": f"{100 * w['weight']:.1f}%"} for w in result["weights"] if w["weight"] >= minimum]


def estimate_rows(result: dict[str, Any]) -> list[list[Any]]:
    did = result["did"]
    in_time = result.get("in_time") or {}
    return [
        ["synthetic_control", result["estimate"], result["low"], result["high"], result["p"]],
        ["synthetic_control_rmspe_ratio", result["ratio"], "", "", result["ratio_p"]],
        ["pre_period_rmspe", result["pre_rmspe"], "", "", ""],
        ["did_clustered", did["estimate"], did["low"], did["high"], did["p"]],
        ["did_placebo", did["estimate"], did["placebo_low"], did["placebo_high"], did["placebo_p"]],
        [f"placebo_in_time_{in_time.get('year', '')}", in_time.get("effect", ""), "", "", in_time.get("p", "")],
    ]


def csv_table(result: dict[str, Any], part: str) -> tuple[list[str], list[list[Any]]]:
    """One part of the result as a CSV table (header, rows)."""
    if part == "weights":
        return ["code", "name", "weight"], [[w["code"], w["name"], w["weight"]] for w in result["weights"]]
    if part == "placebos":
        return (
            ["code", "name", "effect", "pre_rmspe", "post_rmspe"],
            [[p["code"], p["name"], p["effect"], p["pre_rmspe"], p["post_rmspe"]] for p in result["placebos"]],
        )
    if part == "series":
        return (
            ["period", "treated", "synthetic", "gap"],
            [
                list(r)
                for r in zip(
                    result["periods"], result["treated_series"], result["synthetic"], result["gap"], strict=True
                )
            ],
        )
    return ["estimate", "value", "low", "high", "p"], estimate_rows(result)
