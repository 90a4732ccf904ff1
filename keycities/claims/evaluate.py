"""Evaluate a claim's structured check against the observatory's data.

Pure reads: this module computes a `Result`; `services.evaluate_claim` stores
it. Everything it reads comes through the observatory's public functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from keycities.core.charts import format_value
from keycities.network.models import Place
from keycities.observatory import queries
from keycities.observatory.aggregation import AggregationError, GroupFigure, Store, area_figure, group_figure
from keycities.observatory.models import Indicator, Release

from .models import Claim, Comparison, Reading, Verdict


@dataclass
class Result:
    verdict: str
    summary: str
    figure: float | None = None
    comparator: float | None = None
    period: int | None = None
    releases: list[Release] = field(default_factory=list)
    working: dict[str, Any] = field(default_factory=dict)

    @property
    def signature(self) -> str:
        return ",".join(str(r.pk) for r in sorted(self.releases, key=lambda r: r.pk))


def reading_holds(reading: Reading, value: float, target: float, *, percentage: bool = False,
                  fmt: Callable[[float], str] | None = None) -> tuple[bool, str]:  # fmt: skip
    """Whether `value` satisfies the reading of `target`, and the test as a sentence."""
    _n = fmt or _number
    rule, Rule = reading.rule, Reading.Rule
    if rule == Rule.UP_TO_BELOW:
        low = target * (1 - (reading.tolerance_percent or 0) / 100)
        return low <= value <= target, f"between {_n(low)} and {_n(target)}"
    if rule == Rule.ABOVE:
        return value > target, f"more than {_n(target)}"
    if rule == Rule.AT_LEAST:
        return value >= target, f"at least {_n(target)}"
    if rule == Rule.EQUAL:
        return value == target, f"exactly {_n(target)}"
    # WITHIN: percentage points for percentages where given, otherwise a relative tolerance.
    if percentage and reading.tolerance_points is not None:
        width = reading.tolerance_points
        points = "percentage point" if width == 1 else "percentage points"
        return abs(value - target) <= width, f"within {_number(width)} {points} of {_number(target)}%"
    width = abs(target) * (reading.tolerance_percent or 0) / 100
    return abs(value - target) <= width, f"within {_number(reading.tolerance_percent or 0)}% of {_n(target)}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _choose(claim: Claim, ind: Indicator, store: Store) -> tuple[int, Release | None]:
    """The period and release a claim is checked on: its dataset's newest release if it names one."""
    source = queries.source_indicator(ind)
    periods = store.periods(source)
    if claim.dataset_id:
        periods = [p for p in periods if any(r.dataset_id == claim.dataset_id for r in store.releases(source, p))]
    if claim.period is not None:
        if claim.period not in periods:
            raise AggregationError(f"There are no figures for {ind.name} in {claim.period}"
                                   + (f" in {claim.dataset}." if claim.dataset_id else "."))  # fmt: skip
        period = claim.period
    elif periods:
        period = periods[-1]
    else:
        raise AggregationError(f"There are no figures for {ind.name}" +
                               (f" in {claim.dataset}." if claim.dataset_id else "."))  # fmt: skip
    release = None
    if claim.dataset_id:
        release = next(r for r in store.releases(source, period) if r.dataset_id == claim.dataset_id)
    return period, release


def _group_working(fig: GroupFigure) -> dict[str, Any]:
    unit = fig.indicator.unit
    return {
        "group": fig.group_name,
        "membership_date": fig.as_of.isoformat(),
        "indicator": fig.indicator.name,
        "unit": unit,
        "period": fig.period,
        "method": fig.method,
        "figure": fig.value,
        "figure_text": format_value(fig.value, unit) if fig.value is not None else "no group figure",
        "members": [
            {
                "name": m.name,
                "areas": m.areas,
                "value": m.value,
                "value_text": format_value(m.value, unit),
                "note": m.note,
            }
            for m in fig.members
        ],
        "missing": [{"name": m.name, "reason": m.reason} for m in fig.missing],
    }


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def _missing_note(fig: GroupFigure) -> str:
    """Which membership and geography the figure used, and who is missing."""
    n = len(fig.members) + len(fig.missing)
    note = (f" Membership: the {n} members on {fig.as_of:%-d %B %Y}, {len(fig.members)} included; geography: "
            f"{fig.releases[0].dataset.geography}.")  # fmt: skip
    if fig.missing:
        note += f" Not included: {', '.join(m.name for m in fig.missing)} (see the working)."
    return note


def evaluate(claim: Claim, store: Store | None = None) -> Result:
    store = store or Store()
    if claim.comparison == Comparison.NOT_CHECKABLE:
        return Result(Verdict.CANNOT_CHECK, claim.not_checkable_reason,
                      working={"reason": claim.not_checkable_reason})  # fmt: skip
    reading = claim.reading
    assert reading is not None
    reading_text = {"word": reading.word, "explanation": reading.explanation}

    if claim.comparison == Comparison.MEMBER_COUNT:
        members = list(Place.objects.members_of(claim.group, claim.membership_date).order_by("name"))
        count = float(len(members))
        ok, test = reading_holds(reading, count, claim.target or 0)
        return Result(
            Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD,
            f"{claim.group.name} had {len(members)} members on {claim.membership_date:%-d %B %Y}; the claim needs "
            f"{test}.", figure=count,
            working={"reading": reading_text, "test": test, "group": claim.group.name,
                     "membership_date": claim.membership_date.isoformat(), "members": [p.name for p in members]},
        )  # fmt: skip

    ind = claim.indicator
    assert ind is not None
    try:
        period, release = _choose(claim, ind, store)
        if claim.comparison == Comparison.RANK:
            return _rank(claim, ind, period, release, reading, store)
        fig = group_figure(claim.group, ind, period, as_of=claim.membership_date, release=release, store=store)
    except AggregationError as exc:
        return Result(Verdict.CANNOT_CHECK, str(exc), working={"reason": str(exc), "reading": reading_text})
    working = _group_working(fig) | {"reading": reading_text}
    if fig.value is None:
        return Result(Verdict.CANNOT_CHECK, f"{ind.name} cannot be combined into a group figure.",
                      period=period, releases=fig.releases, working=working)  # fmt: skip
    unit = ind.unit
    figure_text = format_value(fig.value, unit)

    if claim.comparison == Comparison.NUMBER:
        ok, test = reading_holds(reading, fig.value, claim.target or 0, fmt=lambda v: format_value(v, unit))
        working["test"] = f"{figure_text} is {'' if ok else 'not '}{test}"
        summary = (f"{_possessive(fig.group_name)} {ind.name} in {ind.label_period(period)} was {figure_text}; "
                   f"“{reading.word} {format_value(claim.target, unit)}” needs {test}.")  # fmt: skip
        return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), fig.value,
                      claim.target, period, fig.releases, working)  # fmt: skip

    if claim.comparison in {Comparison.SHARE_OF_UK, Comparison.AREA}:
        name = "United Kingdom" if claim.comparison == Comparison.SHARE_OF_UK else claim.comparator_area
        if name not in queries.COMPARATOR_AREAS:
            return Result(Verdict.CANNOT_CHECK, f"The Hub has no comparator called {name!r}.", working=working)
        other = area_figure(name, ind, period, fig.releases[0], store)
        if other is None or other.value is None:
            return Result(Verdict.CANNOT_CHECK, f"{fig.releases[0]} has no figure for {name} to compare with.",
                          fig.value, None, period, fig.releases, working)  # fmt: skip
        working["comparator"] = {"name": name, "value": other.value, "value_text": format_value(other.value, unit),
                                 "how": other.method}  # fmt: skip
        if claim.comparison == Comparison.AREA:
            ok, test = reading_holds(reading, fig.value, other.value, fmt=lambda v: format_value(v, unit))
            working["test"] = f"{figure_text} is {'' if ok else 'not '}{test}"
            summary = (f"{_possessive(fig.group_name)} {ind.name} in {ind.label_period(period)} was {figure_text}; "
                       f"{_possessive(name)} was {format_value(other.value, unit)} ({other.method}).")  # fmt: skip
            return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), fig.value,
                          other.value, period, fig.releases, working)  # fmt: skip
        share = 100 * fig.value / other.value
        ok, test = reading_holds(reading, share, claim.target or 0, percentage=True)
        working["share"] = share
        working["test"] = f"{share:.1f}% is {'' if ok else 'not '}{test}"
        summary = (f"{_possessive(fig.group_name)} {ind.name} in {ind.label_period(period)} was {figure_text}, "
                   f"{share:.1f}% of the UK's {format_value(other.value, unit)} ({other.method}); “{reading.word} "
                   f"{_number(claim.target or 0)}%” needs {test}.")  # fmt: skip
        return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), share,
                      claim.target, period, fig.releases, working)  # fmt: skip
    raise ValueError(f"Unknown comparison {claim.comparison!r}")


def _rank(claim: Claim, ind: Indicator, period: int, release: Release | None, reading: Reading,
          store: Store) -> Result:  # fmt: skip
    rows, releases = queries.area_values(ind, period, store, release=release)
    ranked = [r for r in rows if r.rank is not None]
    top = claim.rank_within or 0
    members = {
        a.area_code: p.name
        for p in Place.objects.members_of(claim.group, claim.membership_date).prefetch_related("areas")
        for a in p.areas.all()
        if a.relation == "covers"
    }
    inside = [r for r in ranked if r.rank is not None and r.rank <= top and r.code in members]
    places = sorted({members[r.code] for r in inside})
    ok, test = reading_holds(reading, float(len(places)), claim.target or 0)
    working = {
        "reading": {"word": reading.word, "explanation": reading.explanation},
        "indicator": ind.name, "unit": ind.unit, "period": period, "group": claim.group.name,
        "membership_date": claim.membership_date.isoformat(), "ranked_areas": len(ranked), "top": top,
        "top_areas": [{"rank": r.rank, "name": r.name, "code": r.code, "value": r.value,
                       "value_text": format_value(r.value, ind.unit), "member": members.get(r.code, "")}
                      for r in ranked[:top]],
        "test": f"{len(places)} members is {'' if ok else 'not '}{test}",
    }  # fmt: skip
    summary = (f"{len(places)} {claim.group.name} member{'s' if len(places) != 1 else ''} "
               f"({', '.join(places) or 'none'}) {'are' if len(places) != 1 else 'is'} among the top {top} of "
               f"{len(ranked)} local authorities by {ind.name} in {ind.label_period(period)}; the claim "
               f"needs {test}.")  # fmt: skip
    return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary, float(len(places)), claim.target,
                  period, releases, working)  # fmt: skip
