"""Evaluate a claim's structured check against the observatory's data.

Pure reads: this module computes a `Result`; `services.evaluate_claim` stores
it. Everything it reads comes through the observatory's public functions.

Every claim is judged twice (docs/adr/0026-releases-without-code.md):

- **on the latest data**: the newest release of the claim's dataset, its latest period (or the claim's);
- **on the data available when it was published**: only the releases published on or before the claim's
  document's date (`VintageStore`). Where no bundled release is that old, the period is the latest one that
  had been published by then, reckoned from the publisher's lag in the oldest bundled release, and the
  figures come from the oldest bundled release that holds it; the working says so.

A verdict that would flip within the rounding of the published figures is *marginal*. A rank cut-off counts
every area tied at it, and says so. Ranks use the rate as published; growth for "fastest growing" is judged
over the claim's windows (e.g. 5 and 10 years) from the published chained volume levels, never one year.
The working names every substitution (an area standing for a member under another name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from keycities.core.bilingual import is_welsh, localised_text, marked_text
from keycities.core.charts import format_value
from keycities.network.models import Place, PlaceArea
from keycities.observatory import queries
from keycities.observatory.aggregation import AggregationError, GroupFigure, Store, area_figure, group_figure
from keycities.observatory.models import Aggregation, Area, Indicator, Release, geography_text

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
    marginal: bool = False
    as_published: Result | None = None  # the same check on the data available when the claim was published

    @property
    def signature(self) -> str:
        ids = ",".join(str(r.pk) for r in sorted(self.releases, key=lambda r: r.pk))
        if self.as_published is None:
            return ids
        return f"{ids}|{self.as_published.signature}"

    def stored(self) -> dict[str, Any]:
        """What an Evaluation keeps of a result (the as-published one is kept whole, as JSON)."""
        return {
            "verdict": self.verdict, "figure": self.figure, "comparator": self.comparator, "period": self.period,
            "summary": self.summary, "working": self.working, "marginal": self.marginal,
            "releases": [release_record(r) for r in self.releases],
        }  # fmt: skip


def release_record(r: Release) -> dict[str, Any]:
    return {"id": r.pk, "dataset": r.dataset.slug, "title": r.dataset.title, "publisher": r.dataset.publisher,
            "release_date": r.release_date.isoformat(), "licence": r.dataset.licence}  # fmt: skip


class VintageStore(Store):
    """The observatory's data as it stood on a date: only the releases published on or before it."""

    def __init__(self, on: dt.date) -> None:
        super().__init__()
        self.on = on

    def releases(self, indicator: Indicator, period: int) -> list[Release]:
        return [r for r in super().releases(indicator, period) if r.release_date <= self.on]

    def periods(self, indicator: Indicator) -> list[int]:
        return [p for p in super().periods(indicator) if self.releases(indicator, p)]


# --------------------------------------------------------------------------- readings and rounding


def reading_holds(reading: Reading, value: float, target: float, *, percentage: bool = False,
                  fmt: Callable[[float], str] | None = None) -> tuple[bool, str]:  # fmt: skip
    """Whether `value` satisfies the reading of `target`, and the test as a sentence."""
    _n = fmt or _number
    rule, Rule = reading.rule, Reading.Rule
    if rule == Rule.UP_TO_BELOW:
        low = target * (1 - (reading.tolerance_percent or 0) / 100)
        return low <= value <= target, _("between %(low)s and %(high)s") % {"low": _n(low), "high": _n(target)}
    if rule == Rule.ABOVE:
        return value > target, _("more than %(target)s") % {"target": _n(target)}
    if rule == Rule.AT_LEAST:
        return value >= target, _("at least %(target)s") % {"target": _n(target)}
    if rule == Rule.EQUAL:
        return value == target, _("exactly %(target)s") % {"target": _n(target)}
    # WITHIN: percentage points for percentages where given, otherwise a relative tolerance.
    if percentage and reading.tolerance_points is not None:
        width = reading.tolerance_points
        args = {"width": _number(width), "target": _number(target)}
        test = (_("within %(width)s percentage point of %(target)s%%") if width == 1
                else _("within %(width)s percentage points of %(target)s%%")) % args  # fmt: skip
        return abs(value - target) <= width, test
    width = abs(target) * (reading.tolerance_percent or 0) / 100
    return abs(value - target) <= width, _("within %(width)s%% of %(target)s") % {
        "width": _number(reading.tolerance_percent or 0), "target": _n(target)}  # fmt: skip


def _minus(text: str) -> str:
    """A minus sign, not a hyphen, before a negative number."""
    return text.replace("-", "−", 1) if text.startswith(("-", "£-")) else text


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def rounding_unit(values: list[float]) -> float:
    """The step the published values are rounded to: 1 for whole numbers, 0.1 for one decimal place..."""
    decimals = 0
    for v in values:
        text = f"{v:.6f}".rstrip("0")
        decimals = max(decimals, len(text.split(".")[1]) if "." in text else 0)
    return 10.0**-decimals


def flips(holds: Callable[[float], bool], value: float, uncertainty: float) -> bool:
    """Whether the verdict would differ anywhere within ±uncertainty of the value (checked at both ends and at
    the reading's edges, which is where it can change)."""
    ok = holds(value)
    return any(holds(v) != ok for v in (value - uncertainty, value + uncertainty))


def _rounding_text(uncertainty: float, n: int, unit: float, fmt: Callable[[float], str]) -> str:
    return ngettext("±%(uncertainty)s: the %(n)s published figure it adds up is each rounded to %(unit)s",
                    "±%(uncertainty)s: the %(n)s published figures it adds up are each rounded to %(unit)s", n) % {
        "uncertainty": fmt(uncertainty), "n": n, "unit": _number(unit)}  # fmt: skip


# The comparators' names as they read inside a sentence ("y Deyrnas Unedig", "yr Alban").
COMPARATOR_NAMES = {
    "United Kingdom": pgettext_lazy("comparator in a sentence", "United Kingdom"),
    "England": pgettext_lazy("comparator in a sentence", "England"),
    "Wales": pgettext_lazy("comparator in a sentence", "Wales"),
    "Scotland": pgettext_lazy("comparator in a sentence", "Scotland"),
}


def comparator_name(name: str) -> str:
    return str(COMPARATOR_NAMES.get(name, name))


def _day(day: dt.date) -> str:
    """A date in the active language: "30 June 2018", "30 Mehefin 2018"."""
    return formats.date_format(day, "j F Y")


def _name(ind: Indicator) -> str:
    """The indicator's name in the active language (its Welsh name on Welsh pages where there is one)."""
    return localised_text(ind, "name")


def _test(figure: str, ok: bool, test: str) -> str:
    """The working's test: "6,839,250 is not between 5,400,000 and 6,000,000"."""
    return (_("%(figure)s is %(test)s") if ok else _("%(figure)s is not %(test)s")) % {"figure": figure, "test": test}


# --------------------------------------------------------------------------- which data


def _dataset_ok(claim: Claim) -> Callable[[Release], bool]:
    return lambda r: not claim.dataset_id or r.dataset_id == claim.dataset_id


def _choose(claim: Claim, ind: Indicator, store: Store) -> tuple[int, Release | None]:
    """The period and release a claim is checked on: its dataset's newest release if it names one."""
    source = queries.source_indicator(ind)
    ok = _dataset_ok(claim)
    periods = [p for p in store.periods(source) if any(ok(r) for r in store.releases(source, p))]
    if claim.period is not None:
        if claim.period not in periods:
            raise AggregationError(
                (_("There are no figures for %(indicator)s in %(period)s in %(dataset)s.") if claim.dataset_id
                 else _("There are no figures for %(indicator)s in %(period)s.")) % {
                    "indicator": _name(ind), "period": claim.period, "dataset": claim.dataset})  # fmt: skip
        period = claim.period
    elif periods:
        period = periods[-1]
    else:
        raise AggregationError((_("There are no figures for %(indicator)s in %(dataset)s.") if claim.dataset_id
                                else _("There are no figures for %(indicator)s.")) % {
            "indicator": _name(ind), "dataset": claim.dataset})  # fmt: skip
    release = None
    if claim.dataset_id:
        release = next(r for r in store.releases(source, period) if ok(r))
    return period, release


def period_end(ind: Indicator, year: int) -> dt.date:
    """The last day a period's figure is about: mid-year estimates end on 30 June, ASHE in April."""
    if ind.period_label.startswith("mid-"):
        return dt.date(year, 6, 30)
    if ind.period_label.startswith("April"):
        return dt.date(year, 4, 30)
    return dt.date(year, 12, 31)


def _months(days: int) -> int:
    return round(days / 30.44)


def _period_then(claim: Claim, ind: Indicator, store: Store, on: dt.date) -> tuple[int, Release, str]:
    """When no bundled release is as old as the claim: the period that had been published by `on`, reckoned
    from the publisher's lag in the oldest bundled release, and the oldest release that holds it."""
    source = queries.source_indicator(ind)
    ok = _dataset_ok(claim)
    held = {p: [r for r in store.releases(source, p) if ok(r)] for p in store.periods(source)}
    held = {p: rs for p, rs in held.items() if rs}
    if not held:
        raise AggregationError(_("There are no figures for %(indicator)s.") % {"indicator": _name(ind)})
    first = min((r for rs in held.values() for r in rs), key=lambda r: (r.release_date, r.pk))
    last = max(p for p, rs in held.items() if first in rs)
    lag = first.release_date - period_end(ind, last)
    when = _day(on)
    if claim.period is not None:
        period = claim.period
        if period not in held:
            raise AggregationError(_("There are no figures for %(indicator)s in %(period)s.") % {
                "indicator": _name(ind), "period": period})  # fmt: skip
        how = _("the claim's own period, %(period)s") % {"period": ind.label_period(period)}
    else:
        then = [p for p in held if period_end(ind, p) + lag <= on]
        if not then:
            raise AggregationError(
                _("No bundled release of %(dataset)s is as old as %(date)s, and the bundled figures begin with "
                  "%(first)s, later than anything published by then.") % {
                    "dataset": first.dataset.title_text, "date": when,
                    "first": ind.label_period(min(held))})  # fmt: skip
        period = max(then)
        how = ngettext(
            "%(period)s, the latest period published by then, reckoned from the oldest bundled release (%(date)s), "
            "which came %(months)s month after the end of %(last)s",
            "%(period)s, the latest period published by then, reckoned from the oldest bundled release (%(date)s), "
            "which came %(months)s months after the end of %(last)s", _months(lag.days)) % {
            "period": ind.label_period(period), "date": _day(first.release_date), "months": _months(lag.days),
            "last": ind.label_period(last)}  # fmt: skip
    release = min(held[period], key=lambda r: (r.release_date, r.pk))
    note = _("No release of %(dataset)s from before %(date)s is bundled. Judged on %(how)s; the figures are from "
             "the release of %(release_date)s, so they include any revisions made since.") % {
        "dataset": first.dataset.title_text, "date": when, "how": how,
        "release_date": _day(release.release_date)}  # fmt: skip
    return period, release, note


# --------------------------------------------------------------------------- the working


def _shown_names(fig: GroupFigure) -> dict[str, str]:
    """The members' names in the active language (Casnewydd, Abertawe in the Welsh working), by slug; the
    aggregation names them in English, as the registry does."""
    if not is_welsh():
        return {}
    slugs = [m.slug for m in fig.members] + [m.slug for m in fig.missing]
    return {p.slug: localised_text(p, "name") for p in Place.objects.filter(slug__in=slugs)}


def _group_working(fig: GroupFigure) -> dict[str, Any]:
    unit = fig.indicator.unit
    names = _shown_names(fig)
    return {
        "group": fig.group_name,
        "membership_date": fig.as_of.isoformat(),
        "indicator": _name(fig.indicator),
        "unit": unit,
        "period": fig.period,
        "method": fig.method,
        "figure": fig.value,
        "figure_text": format_value(fig.value, unit) if fig.value is not None else _("no group figure"),
        "members": [
            {
                "name": names.get(m.slug, m.name),
                "areas": m.areas,
                "value": m.value,
                "value_text": format_value(m.value, unit),
                "note": m.note,
            }
            for m in fig.members
        ],
        "missing": [{"name": names.get(m.slug, m.name), "reason": m.reason} for m in fig.missing],
        "substitutions": substitutions(fig),
    }


def substitutions(fig: GroupFigure) -> list[str]:
    """Every member counted through an area under another name, with what that area brings to the total."""
    places = {p.slug: p for p in Place.objects.filter(slug__in=[m.slug for m in fig.members]).prefetch_related("areas")}
    unit, out = fig.indicator.unit, []
    summed = fig.indicator.aggregation == Aggregation.SUM and fig.value
    for m in fig.members:
        place = places.get(m.slug)
        if place is None:
            continue
        spans = {a.area_code: a for a in place.areas.all() if a.relation != PlaceArea.Relation.WITHIN}
        used = [spans[c] for c in m.areas if c in spans]
        # A successor or other stand-in (another name and a start date or a note), or a place of several areas.
        others = [a for a in used if a.area_name != place.name and (a.start or a.note)]
        if not others and len(used) < 2:
            continue
        names = ", ".join(f"{a.area_name} ({a.area_code})" for a in used)
        args: dict[str, Any] = {"place": localised_text(place, "name"), "areas": names}
        if len(others) == 1 and others[0].start:
            text = _("%(place)s is represented by %(areas)s, its successor from %(date)s") % {
                **args, "date": _day(others[0].start)}  # fmt: skip
        else:
            text = _("%(place)s is represented by %(areas)s") % args
        # The registry's notes, in Welsh where they have it (PlaceArea.note_cy), else the English, said to be so.
        notes = " ".join(marked_text(a, "note").rstrip(".") + "." for a in others if a.note)
        text += f". {notes}" if notes else "."
        if len(used) > 1:
            text += " " + _("Their figures are added together for %(place)s.") % args
        elif summed and m.value is not None and fig.value:
            text += " " + _("No bundled release separates %(place)s from the rest of it, so all of its %(value)s "
                            "(%(share)s%% of the group's total) is counted for %(place)s.") % {
                **args, "value": format_value(m.value, unit), "share": f"{100 * m.value / fig.value:.1f}"}  # fmt: skip
        out.append(text)
    return out


def _possessive(name: str) -> str:
    """The possessive, "Key Cities’" or "Scotland’s"; in Welsh the name alone ("ffigur yr Alban")."""
    if name.endswith("s"):
        return pgettext("possessive of a name ending in s", "%(name)s’") % {"name": name}
    return pgettext("possessive", "%(name)s’s") % {"name": name}


def _figure_sentence(fig: GroupFigure, ind: Indicator, period: int, figure_text: str) -> str:
    """The group's figure: "Key Cities’ Population in mid-2024 was 6,839,250"."""
    return _("%(group_s)s %(indicator)s in %(period)s was %(figure)s") % {
        "group_s": _possessive(fig.group_name), "group": fig.group_name, "indicator": _name(ind),
        "period": ind.label_period(period), "figure": figure_text}  # fmt: skip


def _missing_note(fig: GroupFigure) -> str:
    """Which membership and geography the figure used, and who is missing."""
    n = len(fig.members) + len(fig.missing)
    note = " " + ngettext(
        "Membership: the %(n)s member on %(date)s, %(included)s included; geography: %(geography)s.",
        "Membership: the %(n)s members on %(date)s, %(included)s included; geography: %(geography)s.", n) % {
        "n": n, "date": _day(fig.as_of), "included": len(fig.members),
        "geography": geography_text(fig.releases[0].dataset.geography)}  # fmt: skip
    if fig.missing:
        note += " " + _("Not included: %(names)s (see the working).") % {
            "names": ", ".join(_shown_names(fig).get(m.slug, m.name) for m in fig.missing)}  # fmt: skip
    return note


def _marginal(within: str) -> str:
    return " " + _("Marginal: within the rounding of the published figures (%(within)s) the verdict would flip.") % {
        "within": within}  # fmt: skip


# --------------------------------------------------------------------------- evaluating


def evaluate(claim: Claim, store: Store | None = None) -> Result:
    """The claim on the latest data, with `as_published`: the same check on the data available when its
    document was published."""
    store = store or Store()
    result = evaluate_on(claim, store)
    if claim.comparison != Comparison.NOT_CHECKABLE:
        result.as_published = evaluate_when_published(claim, store)
    return result


def evaluate_when_published(claim: Claim, store: Store) -> Result:
    on = claim.document.published_on if claim.document_id else None
    if on is None:
        why = _("The date the claim was published is not known, so the data available then cannot be told.")
        return Result(Verdict.CANNOT_CHECK, why, working={"reason": why})
    if claim.comparison == Comparison.MEMBER_COUNT or claim.indicator is None:
        result = evaluate_on(claim, store)  # membership is a date, not data
        result.working["basis"] = _("The members on %(date)s, as the claim states.") % {
            "date": _day(claim.membership_date)}  # fmt: skip
        return result
    vintage = VintageStore(on)
    source = queries.source_indicator(claim.indicator)
    ok = _dataset_ok(claim)
    if any(ok(r) for p in vintage.periods(source) for r in vintage.releases(source, p)):
        result = evaluate_on(claim, vintage)
        result.working["basis"] = _("The releases published on or before %(date)s.") % {"date": _day(on)}
        return result
    try:
        period, release, note = _period_then(claim, claim.indicator, store, on)
    except AggregationError as exc:
        return Result(Verdict.CANNOT_CHECK, str(exc), working={"reason": str(exc), "basis": str(exc)})
    result = evaluate_on(claim, store, period=period, release=release)
    result.working["basis"] = note
    return result


def evaluate_on(claim: Claim, store: Store, *, period: int | None = None, release: Release | None = None) -> Result:
    """The claim's check on the data in `store`; `period` and `release` fix which figures (else: `_choose`)."""
    if claim.comparison == Comparison.NOT_CHECKABLE:
        return Result(Verdict.CANNOT_CHECK, claim.not_checkable_reason,
                      working={"reason": claim.not_checkable_reason})  # fmt: skip
    reading = claim.reading
    assert reading is not None
    reading_text = {"word": reading.word, "explanation": localised_text(reading, "explanation")}

    if claim.comparison == Comparison.MEMBER_COUNT:
        members = list(Place.objects.members_of(claim.group, claim.membership_date).order_by("name"))
        count = float(len(members))
        ok, test = reading_holds(reading, count, claim.target or 0)
        return Result(
            Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD,
            ngettext("%(group)s had %(n)s member on %(date)s; the claim needs %(test)s.",
                     "%(group)s had %(n)s members on %(date)s; the claim needs %(test)s.", len(members)) % {
                "group": claim.group.name, "n": len(members), "date": _day(claim.membership_date), "test": test},
            figure=count,
            working={"reading": reading_text, "test": test, "group": claim.group.name,
                     "membership_date": claim.membership_date.isoformat(), "members": [p.name for p in members]},
        )  # fmt: skip

    ind = claim.indicator
    assert ind is not None
    try:
        if period is None:
            period, release = _choose(claim, ind, store)
        if claim.comparison == Comparison.RANK:
            return _rank(claim, ind, period, release, reading, store)
        fig = group_figure(claim.group, ind, period, as_of=claim.membership_date, release=release, store=store)
    except AggregationError as exc:
        return Result(Verdict.CANNOT_CHECK, str(exc), working={"reason": str(exc), "reading": reading_text})
    working = _group_working(fig) | {"reading": reading_text}
    if fig.value is None:
        return Result(Verdict.CANNOT_CHECK,
                      _("%(indicator)s cannot be combined into a group figure.") % {"indicator": _name(ind)},
                      period=period, releases=fig.releases, working=working)  # fmt: skip
    unit = ind.unit
    figure_text = format_value(fig.value, unit)
    fmt = lambda v: format_value(v, unit)  # noqa: E731
    parts = [m.value for m in fig.members if m.value is not None]
    # Rounding: a sum of n published figures (one per area), each rounded to `step`, is uncertain by n × step / 2.
    step = rounding_unit(parts)
    n_published = sum(len(m.areas) for m in fig.members if m.value is not None)
    uncertainty = n_published * step / 2 if ind.aggregation == Aggregation.SUM else 0.0
    if uncertainty:
        working["rounding"] = _rounding_text(uncertainty, n_published, step, fmt)

    if claim.comparison == Comparison.NUMBER:
        target = claim.target or 0
        ok, test = reading_holds(reading, fig.value, target, fmt=fmt)
        marginal = flips(lambda v: reading_holds(reading, v, target)[0], fig.value, uncertainty)
        working["test"] = _test(figure_text, ok, test)
        summary = _("%(figure_sentence)s; “%(word)s %(target)s” needs %(test)s.") % {
            "figure_sentence": _figure_sentence(fig, ind, period, figure_text), "word": reading.word,
            "target": format_value(claim.target, unit), "test": test}  # fmt: skip
        summary += _marginal(working.get("rounding", "")) if marginal else ""
        return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), fig.value,
                      claim.target, period, fig.releases, working, marginal)  # fmt: skip

    if claim.comparison in {Comparison.SHARE_OF_UK, Comparison.AREA}:
        name = "United Kingdom" if claim.comparison == Comparison.SHARE_OF_UK else claim.comparator_area
        if name not in queries.COMPARATOR_AREAS:
            return Result(Verdict.CANNOT_CHECK, _("The Hub has no comparator called %(name)s.") % {"name": repr(name)},
                          working=working)  # fmt: skip
        shown = comparator_name(name)
        other = area_figure(name, ind, period, fig.releases[0], store)
        if other is None or other.value is None:
            return Result(Verdict.CANNOT_CHECK, _("%(release)s has no figure for %(name)s to compare with.") % {
                "release": fig.releases[0], "name": shown}, fig.value, None, period, fig.releases, working)  # fmt: skip
        working["comparator"] = {"name": shown, "value": other.value, "value_text": format_value(other.value, unit),
                                 "how": other.method}  # fmt: skip
        # The comparator's rounding: one published figure, or the sum of its local authorities.
        n_other = int(other.code.split()[2]) if other.code.startswith("sum of ") else 1
        other_uncertainty = n_other * step / 2 if ind.aggregation == Aggregation.SUM else 0.0
        if claim.comparison == Comparison.AREA:
            ok, test = reading_holds(reading, fig.value, other.value, fmt=fmt)
            gap = uncertainty + other_uncertainty
            marginal = flips(lambda v: reading_holds(reading, v, other.value or 0)[0], fig.value, gap)
            working["test"] = _test(figure_text, ok, test)
            summary = _("%(figure_sentence)s; %(other_s)s was %(value)s (%(how)s).") % {
                "figure_sentence": _figure_sentence(fig, ind, period, figure_text), "other_s": _possessive(shown),
                "other": shown, "value": format_value(other.value, unit), "how": other.method}  # fmt: skip
            summary += _marginal(f"±{fmt(gap)}") if marginal else ""
            return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), fig.value,
                          other.value, period, fig.releases, working, marginal)  # fmt: skip
        share = 100 * fig.value / other.value
        target = claim.target or 0
        ok, test = reading_holds(reading, share, target, percentage=True)
        share_uncertainty = share * (uncertainty / fig.value + other_uncertainty / other.value)
        marginal = flips(lambda v: reading_holds(reading, v, target, percentage=True)[0], share, share_uncertainty)
        working["share"] = share
        working["test"] = _test(f"{share:.1f}%", ok, test)
        summary = _("%(figure_sentence)s, %(share)s%% of the UK's %(total)s (%(how)s); “%(word)s %(target)s%%” "
                    "needs %(test)s.") % {
            "figure_sentence": _figure_sentence(fig, ind, period, figure_text), "share": f"{share:.1f}",
            "total": format_value(other.value, unit), "how": other.method, "word": reading.word,
            "target": _number(target), "test": test}  # fmt: skip
        summary += (
            _marginal(_("±%(points)s percentage points") % {"points": f"{share_uncertainty:.3f}"}) if marginal else ""
        )
        return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary + _missing_note(fig), share,
                      claim.target, period, fig.releases, working, marginal)  # fmt: skip
    raise ValueError(f"Unknown comparison {claim.comparison!r}")


# --------------------------------------------------------------------------- ranks


@dataclass
class Ranked:
    """One ranking of local authorities: each area's value and how far rounding could move it."""

    values: dict[str, float]
    uncertainty: dict[str, float]
    how: str
    what: str  # e.g. "real GDP growth from 2010 to 2015"
    releases: list[Release]
    fmt: Callable[[float], str]


def _published_ranking(ind: Indicator, period: int, release: Release | None, store: Store) -> Ranked:
    """The rate as the publisher publishes it (never rebuilt from rounded levels where it is published)."""
    rows, releases = queries.area_values(ind, period, store, release=release)
    values = {r.code: r.value for r in rows if r.value is not None}
    half = rounding_unit(list(values.values())) / 2
    args = {"indicator": _name(ind), "release": releases[0] if releases else _("no release")}
    how = (_("Ranked on %(indicator)s as published in %(release)s.") if not ind.derived
           else _("Ranked on %(indicator)s, computed from its published parts (it is not published) in "
                  "%(release)s.")) % args  # fmt: skip
    return Ranked(
        values,
        dict.fromkeys(values, half),
        how,
        _("%(indicator)s in %(period)s") % {"indicator": _name(ind), "period": ind.label_period(period)},
        releases,
        lambda v: _minus(format_value(v, ind.unit)),
    )


def _window_ranking(ind: Indicator, period: int, years: int, release: Release | None, store: Store) -> Ranked:
    """Growth over `years` years to `period`, from the published levels of one release (e.g. GDP in chained
    volume measures): level in `period` ÷ level `years` earlier − 1. ONS publishes annual rates only."""
    level = ind.numerator
    assert level is not None
    start = period - years
    both = [r for r in store.releases(level, period) if r in store.releases(level, start)
            and (release is None or r.dataset_id == release.dataset_id)]  # fmt: skip
    if not both:
        raise AggregationError(_("No release holds %(level)s for both %(start)s and %(period)s.") % {
            "level": _name(level), "start": start, "period": period})  # fmt: skip
    chosen = both[0]
    now, before = store.values(chosen, level, period), store.values(chosen, level, start)
    las = store.memo("local-authority-codes",
                     lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
    values, uncertainty = {}, {}
    half = rounding_unit([v.value for v in now.values() if v.value is not None]) / 2
    for code in las & now.keys() & before.keys():
        n, b = now[code].value, before[code].value
        if n is None or not b:
            continue
        values[code] = 100 * (n / b - 1)
        uncertainty[code] = 100 * (n / b) * (half / n + half / b) if n else 0.0
    args = {"start": start, "period": period, "level": _name(level), "release": chosen, "years": years}
    how = _("Real growth from %(start)s to %(period)s: %(level)s in %(period)s ÷ %(level)s in %(start)s − 1, from "
            "the published levels in %(release)s (ONS publishes annual rates only, so a %(years)s-year rate is "
            "computed from the levels, not by chaining rounded annual rates).") % args  # fmt: skip
    return Ranked(values, uncertainty, how, _("real growth over %(years)s years (%(start)s to %(period)s)") % args,
                  [chosen], lambda v: f"{v:+.1f}%".replace("-", "−"))  # fmt: skip


def _rank_within(ranked: Ranked, top: int, members: dict[str, str], reading: Reading,
                 target: float) -> dict[str, Any]:  # fmt: skip
    """Members among the top `top`: every area tied at the cut-off is counted, and the count is tried at both
    ends of the rounding (marginal if the verdict flips)."""
    ordered = sorted(ranked.values.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks: dict[str, int] = {}
    for i, (code, value) in enumerate(ordered):
        ranks[code] = i + 1 if i == 0 or value != ordered[i - 1][1] else ranks[ordered[i - 1][0]]
    cutoff = ordered[min(top, len(ordered)) - 1][1] if ordered else 0.0
    inside = [(c, v) for c, v in ordered if v >= cutoff]
    tied = [c for c, v in ordered if v == cutoff]
    tie_note = ""
    if len(inside) > top:
        tie_note = _("%(tied)s areas tie at rank %(rank)s (%(value)s), so the top %(top)s holds %(inside)s areas: "
                     "every tied area is counted.") % {
            "tied": len(tied), "rank": ranks[tied[0]], "value": ranked.fmt(cutoff), "top": top,
            "inside": len(inside)}  # fmt: skip
    places = sorted({members[c] for c, _ in inside if c in members})
    ok, test = reading_holds(reading, float(len(places)), target)
    # Rounding: an area is surely inside if it stays above the cut-off whatever the rounding, possibly inside if
    # it could reach it.
    u_cut = max((ranked.uncertainty.get(c, 0.0) for c in tied), default=0.0)
    surely = {members[c] for c, v in ordered if c in members and v - ranked.uncertainty.get(c, 0.0) >= cutoff + u_cut
              and ranks[c] <= top}  # fmt: skip
    possibly = {members[c] for c, v in ordered if c in members and v + ranked.uncertainty.get(c, 0.0) >= cutoff - u_cut}
    marginal = any(reading_holds(reading, float(len(s)), target)[0] != ok for s in (surely, possibly))
    return {
        "what": ranked.what, "how": ranked.how, "ranked_areas": len(ordered), "top": top,
        "cutoff": cutoff, "cutoff_text": ranked.fmt(cutoff), "tie_note": tie_note, "places": places, "ok": ok,
        "test": (_("%(n)s members is %(test)s") if ok else _("%(n)s members is not %(test)s")) % {
            "n": len(places), "test": test}, "marginal": marginal,
        "marginal_note": (_("Within rounding, between %(low)s and %(high)s members could be in the top %(top)s, and "
                            "the verdict would flip.") % {"low": len(surely), "high": len(possibly), "top": top}
                          if marginal else ""),
        "top_areas": [{"rank": ranks[c], "name": "", "code": c, "value": v, "value_text": ranked.fmt(v),
                       "member": members.get(c, "")} for c, v in inside],
    }  # fmt: skip


def _rank(claim: Claim, ind: Indicator, period: int, release: Release | None, reading: Reading,
          store: Store) -> Result:  # fmt: skip
    top = claim.rank_within or 0
    members = {
        a.area_code: p.name
        for p in Place.objects.members_of(claim.group, claim.membership_date).prefetch_related("areas")
        for a in p.areas.all()
        if a.relation == "covers"
    }
    windows = claim.windows if ind.aggregation == Aggregation.GROWTH and ind.numerator else []
    rankings = ([_window_ranking(ind, period, w, release, store) for w in windows] if windows
                else [_published_ranking(ind, period, release, store)])  # fmt: skip
    names = store.memo("area-names", lambda: dict(Area.objects.values_list("code", "name")))
    parts = []
    for ranked in rankings:
        part = _rank_within(ranked, top, members, reading, claim.target or 0)
        for a in part["top_areas"]:
            a["name"] = names.get(a["code"], a["code"])
        parts.append(part)
    ok = all(p["ok"] for p in parts)
    marginal = any(p["marginal"] for p in parts)
    releases = list({r.pk: r for ranked in rankings for r in ranked.releases}.values())
    sentences = []
    for p in parts:
        n = len(p["places"])
        sentences.append(ngettext(
            "%(n)s %(group)s member (%(places)s) is among the top %(top)s of %(ranked)s local authorities by %(what)s",
            "%(n)s %(group)s members (%(places)s) are among the top %(top)s of %(ranked)s local authorities by "
            "%(what)s", n) % {
            "n": n, "group": claim.group.name, "places": ", ".join(p["places"]) or _("none"), "top": top,
            "ranked": p["ranked_areas"], "what": p["what"]}
            + (f" ({p['tie_note']})" if p["tie_note"] else ""))  # fmt: skip
    _ok, test = reading_holds(reading, 0.0, claim.target or 0)
    summary = (
        "; ".join(sentences)
        + ". "
        + (_("The claim needs %(test)s in each.") if len(parts) > 1 else _("The claim needs %(test)s."))
        % {"test": test}
    )
    summary += "".join(f" {p['marginal_note']}" for p in parts if p["marginal_note"])
    working = {
        "reading": {"word": reading.word, "explanation": localised_text(reading, "explanation")},
        "indicator": _name(ind), "unit": ind.unit, "period": period, "group": claim.group.name,
        "membership_date": claim.membership_date.isoformat(), "windows": windows, "rankings": parts,
        # The first ranking, as before, for readers of the working that know one ranking only.
        "ranked_areas": parts[0]["ranked_areas"], "top": top, "top_areas": parts[0]["top_areas"],
        "test": "; ".join(f"{p['what']}: {p['test']}" for p in parts),
    }  # fmt: skip
    figure = float(min(len(p["places"]) for p in parts))
    return Result(Verdict.HOLDS if ok else Verdict.DOES_NOT_HOLD, summary, figure, claim.target, period, releases,
                  working, marginal)  # fmt: skip
