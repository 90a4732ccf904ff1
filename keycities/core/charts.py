"""Charts rendered on the server: Vega-Lite spec -> SVG, with the same numbers as a table and CSV.

Every chart function is pure (no database, no network) and returns a `Chart`: the SVG markup
ready to embed inline (`core/includes/chart.html` does that), the accessible table with the
same numbers, formatted, and the same data as CSV with full precision.

The renderer is `vl-convert` (Vega-Lite compiled and run in an embedded JavaScript engine).
All data is inlined in the spec and `allowed_base_urls=[]` forbids any data fetch; the font
is the site's system font stack, so nothing is downloaded either.
"""

from __future__ import annotations

import functools
import io
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any, Final, NamedTuple

import vl_convert as vlc
from django.utils.translation import gettext, gettext_noop, ngettext

from .bilingual import gss_name
from .spreadsheet import SafeWriter

__all__ = [
    "BRAND_COLOUR",
    "OTHER_COLOUR",
    "UNITS",
    "Cell",
    "Chart",
    "bar_chart",
    "choropleth",
    "format_value",
    "interval_chart",
    "line_chart",
    "sparkline",
    "to_png",
]

VEGA_LITE_VERSION: Final = "6.4"
SCHEMA: Final = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only, never fetched

BRAND_COLOUR: Final = "#5b2e8b"
OTHER_COLOUR: Final = "#b1b4b6"
TEXT_COLOUR: Final = "#0b0c0c"
SECONDARY_TEXT_COLOUR: Final = "#505a5f"
GRID_COLOUR: Final = "#e1e1e1"
NO_DATA_COLOUR: Final = "#dcdcdc"
NO_DATA: Final = "No data"
FONT: Final = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
LABEL_SIZE: Final = 14
TITLE_SIZE: Final = 14

# Lines that are not highlighted: the Government Analysis Function's categorical palette (chosen
# for colour-blind readers), each at least 3:1 against white, without its purples so the brand
# purple stays the highlight. Past five series the colours repeat with a dash pattern.
SERIES_COLOURS: Final = ("#12436d", "#28a197", "#f46a25", "#3d3d3d", "#801650")
DASHES: Final = ((1, 0), (6, 3), (2, 2), (8, 2, 2, 2))

# Choropleth classes: ColorBrewer YlGnBu, light (low) to dark (high), colour-blind safe; its
# near-white first step left out so every area stands out from the white page.
SEQUENTIAL: Final[Mapping[int, tuple[str, ...]]] = {
    1: ("#41b6c4",),
    2: ("#7fcdbb", "#225ea8"),
    3: ("#c7e9b4", "#41b6c4", "#225ea8"),
    4: ("#c7e9b4", "#7fcdbb", "#1d91c0", "#253494"),
    5: ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
}
MAX_CLASSES: Final = 5
MAP_WIDTH: Final = 420
MAP_HEIGHT: Final = 640
CENTRAL_MERIDIAN: Final = -2.0
EARTH_RADIUS_KM: Final = 6371.0


class _Unit(NamedTuple):
    decimals: int
    prefix: str
    suffix: str
    label: str  # for axis titles and table headers


UNITS: Final[Mapping[str, _Unit]] = {
    "£m": _Unit(0, "£", "m", gettext_noop("£ million")),
    "£": _Unit(0, "£", "", "£"),
    "%": _Unit(1, "", "%", gettext_noop("Per cent")),
    "persons": _Unit(0, "", "", gettext_noop("Persons")),
    "count": _Unit(0, "", "", gettext_noop("Count")),
    "ratio": _Unit(2, "", "", gettext_noop("Ratio")),
    "score": _Unit(1, "", "", gettext_noop("Score")),
    "rank": _Unit(0, "", "", gettext_noop("Rank")),
    "index-2019": _Unit(1, "", "", gettext_noop("Index, 2019 = 100")),
}


def unit_label(unit: str) -> str:
    """A unit's name in the active language, for axis titles, table headers and chart descriptions."""
    return gettext(_unit(unit).label)


class Cell(NamedTuple):
    """One table cell as the template needs it."""

    text: str
    numeric: bool
    header: bool


@dataclass(frozen=True)
class Chart:
    """A rendered chart and the same numbers as a table and as CSV."""

    svg: str
    title: str
    table_caption: str
    columns: list[str]
    rows: list[list[str]]
    csv: str
    numeric_columns: frozenset[int] = field(default=frozenset())  # right-aligned columns
    row_header: int = 0  # the column whose cells are row headers (`<th scope="row">`)
    spec: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # what was rendered
    # A legend the page writes as text beside the picture (maps): (colour or "outline", label).
    legend: list[tuple[str, str]] = field(default_factory=list)
    legend_title: str = ""

    @property
    def header_cells(self) -> list[Cell]:
        return [Cell(c, i in self.numeric_columns, True) for i, c in enumerate(self.columns)]

    @property
    def table_rows(self) -> list[list[Cell]]:
        return [
            [Cell(c, i in self.numeric_columns, i == self.row_header) for i, c in enumerate(row)] for row in self.rows
        ]


# --- numbers -------------------------------------------------------------------------------------


def _unit(unit: str) -> _Unit:
    try:
        return UNITS[unit]
    except KeyError:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}") from None


def _valid(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def format_value(value: float | None, unit: str) -> str:
    """Format a number for people, UK style, whatever the server's locale.

    "£m" -> "£12,345m" (one decimal below £10m: "£4.5m"), "£" -> "£31,234", "%" -> "72.5%",
    "persons"/"count" -> "712,858", "ratio" -> "6.04", "score" -> "24.3", "rank" -> "12".
    Halves round up ("12.5" -> "13"). Negative numbers lead with a minus sign (U+2212, as the charts' axes
    write it): "−£12m".
    None (or NaN) -> "no data".
    """
    spec = _unit(unit)
    if value is None or not math.isfinite(value):
        return gettext("no data")
    decimals = spec.decimals
    if unit == "£m" and abs(value) < 10:
        decimals = 1
    # Halves round up, as people (and ONS tables) do, from the number as it is written.
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    rounded = abs(exact).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    digits = f"{rounded:,.{decimals}f}"
    negative = exact < 0 and rounded != 0  # no "−0.0"
    return f"{MINUS if negative else ''}{spec.prefix}{digits}{spec.suffix}"


MINUS = "\u2212"


def exact_difference(new: float, old: float) -> float:
    """new − old without binary float artefacts: 75.2 − 71.3 is 3.9, not 3.9000000000000057."""
    return float(Decimal(repr(new)) - Decimal(repr(old)))


def format_change(new: float | None, old: float | None, unit: str) -> str:
    """A change between two values, signed, UK style: a rate's change in percentage points ("+1.3 pp"), a
    level's in its unit and in per cent ("+2,870 (+0.8%)"). A change that rounds to nothing has no sign (never
    "−£0"); the minus is U+2212. None on either side -> "–"."""
    if new is None or old is None or not (math.isfinite(new) and math.isfinite(old)):
        return "–"
    diff = exact_difference(new, old)

    def signed(text: str) -> str:
        zero = not any(c in "123456789" for c in text)
        return text if zero else ("+" if diff > 0 else MINUS) + text

    if unit == "%":
        return signed(gettext("%(points)s pp") % {"points": _half_up(abs(diff), 1)})
    text = signed(format_value(abs(diff), unit))
    if unit in ("persons", "£", "£m") and old:
        text += f" ({signed(_half_up(abs(100 * diff / abs(old)), 1) + '%')})"
    return text


def _half_up(value: float, decimals: int) -> str:
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}"


def _raw(value: float | None) -> str:
    """A number for CSV: full precision, empty when missing."""
    if value is None or not math.isfinite(value):
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)  # int (or Decimal): exact as it is


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# --- rendering -----------------------------------------------------------------------------------


def _config(unit: str) -> dict[str, Any]:
    spec = _unit(unit)
    return {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        # Axis ticks formatted like format_value: "$" in a d3 format means our prefix/suffix.
        "locale": {
            "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": [spec.prefix, spec.suffix]}
        },
        "axis": {
            "labelFontSize": LABEL_SIZE,
            "titleFontSize": TITLE_SIZE,
            "titleFontWeight": "normal",
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
            "domainColor": SECONDARY_TEXT_COLOUR,
            "tickColor": SECONDARY_TEXT_COLOUR,
            "gridColor": GRID_COLOUR,
        },
        "legend": {
            "labelFontSize": LABEL_SIZE,
            "titleFontSize": TITLE_SIZE,
            "titleFontWeight": "normal",
            "labelColor": TEXT_COLOUR,
            "titleColor": TEXT_COLOUR,
            "labelLimit": 320,
        },
        "text": {"fontSize": 12, "color": TEXT_COLOUR},
    }


_ROOT_TAG = re.compile(r"<svg\b([^>]*)>")
_SIZE_ATTR = re.compile(r'\s(width|height)="([^"]*)"')
_ARIA_ATTR = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_POLYLINE = re.compile(r"[MLZ\d.,\s-]*")  # paths of straight lines only (maps and lines)
_POINT = re.compile(r"([MLZ])\s*(?:(-?[\d.]+)[,\s]+(-?[\d.]+))?")


def _compact_path(d: str) -> str:
    """A straight-line path to 1/10 px, in relative moves: the same shape, a third of the size.

    Points are rounded first and the moves taken between rounded points, so nothing drifts.
    Other paths (curves, arcs, h/v) are left as they are.
    """
    if not _POLYLINE.fullmatch(d):
        return d
    out: list[str] = []
    x = y = 0  # in tenths of a pixel
    start = (0, 0)
    for command, sx, sy in _POINT.findall(d):
        if command == "Z":
            out.append("z")
            x, y = start
            continue
        nx, ny = round(float(sx) * 10), round(float(sy) * 10)
        if command == "M":
            out.append(f"M{_tenths(nx)},{_tenths(ny)}")
            start = (nx, ny)
        else:
            if (nx, ny) == (x, y):
                continue
            out.append(f"l{_tenths(nx - x)},{_tenths(ny - y)}")
        x, y = nx, ny
    return "".join(out)


def _tenths(n: int) -> str:
    sign = "-" if n < 0 else ""
    whole, tenth = divmod(abs(n), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def _finish_svg(svg: str, title: str) -> str:
    """Make vl-convert's SVG embeddable: no prolog, scales with its container, one accessible name."""
    root = _ROOT_TAG.search(svg)
    if root is None:
        raise ValueError("the renderer returned no <svg> element")
    attrs = root.group(1)
    sizes = dict(_SIZE_ATTR.findall(attrs))
    attrs = _ARIA_ATTR.sub("", _SIZE_ATTR.sub("", attrs))
    # The image is one picture with a name: the parts inside need no roles of their own.
    body = _ARIA_ATTR.sub("", svg[root.end() :])
    body = re.sub(r'(\sd=")([^"]*)"', lambda m: m.group(1) + _compact_path(m.group(2)) + '"', body)
    width = sizes.get("width", "")
    # Its natural width, shrunk to fit by the stylesheet (.kc-chart svg: max-width 100%): no style attribute,
    # which the Content-Security-Policy would refuse.
    size = f' width="{width}"' if re.fullmatch(r"[\d.]+", width) else ' width="100%"'
    name = escape(title, quote=True)
    return f'<svg{attrs}{size} role="img" aria-label="{name}"><title>{name}</title>{body}'


# Vega lays text out with its own font metrics; browsers' system fonts can be wider, which clipped the "£"
# of y-axis labels and the ends of legends. A margin round the chart leaves them room.
PADDING: Final = {"left": 20, "right": 28, "top": 6, "bottom": 6}


def _render(spec: dict[str, Any], unit: str, title: str) -> tuple[dict[str, Any], str]:
    full = {"$schema": SCHEMA, "padding": PADDING, **spec, "config": _config(unit)}
    return full, _svg(json.dumps(full, sort_keys=True), title)


@functools.lru_cache(maxsize=512)
def _svg(spec_json: str, title: str) -> str:
    """The SVG of a spec. The renderer is a pure function of the spec (its data included) and costs about 0.1 s
    a chart, so the last 512 charts drawn are kept per process: a page whose figures have not changed draws
    its charts once."""
    svg = vlc.vegalite_to_svg(json.loads(spec_json), vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    return _finish_svg(svg, title)


def to_png(chart: Chart, *, scale: float = 2.0) -> bytes:
    """The same chart as PNG (for documents that cannot take SVG, and for checking by eye)."""
    return spec_to_png(chart.spec, scale=scale)


def spec_to_png(spec: dict[str, Any], *, scale: float = 2.0) -> bytes:
    """A rendered chart's spec (`Chart.spec`, kept in a frozen briefing) as PNG."""
    return vlc.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale, allowed_base_urls=[])


def _label_width(values: Sequence[float], unit: str) -> int:
    """Roughly how wide the widest tick label is, in pixels, for axis titles placed beside them."""
    widest = max((len(format_value(v, unit)) for v in values), default=4)
    return round(widest * LABEL_SIZE * 0.56)


def _js(values: Sequence[str]) -> str:
    """A list of strings as a Vega expression literal (JSON is valid there)."""
    return json.dumps(list(values))


# --- line chart ----------------------------------------------------------------------------------

Period = int | str


def _period_key(period: Period) -> tuple[int, int, str]:
    return (0, period, "") if isinstance(period, int) else (1, 0, period)


def _thinned(labels: Sequence[str], width: int) -> list[str]:
    """Every k-th label, ending at the latest, so the labels never touch."""
    if not labels:
        return []
    longest = max(len(label) for label in labels)
    room = max(1, width // (longest * 8 + 12))
    step = max(1, math.ceil(len(labels) / room))
    return list(labels[(len(labels) - 1) % step :: step])


def _line_spec(
    series: Mapping[str, Sequence[tuple[Period, float | None]]],
    *,
    unit: str,
    highlight: str | None = None,
    y_title: str | None = None,
    description: str = "",
    width: int = 320,
    breaks: Mapping[str, Mapping[Period, str]] | None = None,
) -> dict[str, Any]:
    if not series:
        raise ValueError("a line chart needs at least one series")
    if any(not name.strip() for name in series):
        raise ValueError("every series needs a name (it heads a table column)")
    if highlight is not None and highlight not in series:
        raise ValueError(f"highlight {highlight!r} is not one of the series")
    spec_unit = _unit(unit)
    names = list(series)
    periods = sorted({p for points in series.values() for p, _ in points}, key=_period_key)
    labels = list(dict.fromkeys(str(p) for p in periods))

    others = [n for n in names if n != highlight]
    colours: dict[str, str] = {n: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, n in enumerate(others)}
    dashes: dict[str, list[int]] = {
        n: list(DASHES[(i // len(SERIES_COLOURS)) % len(DASHES)]) for i, n in enumerate(others)
    }
    if highlight is not None:
        colours[highlight] = BRAND_COLOUR
        dashes[highlight] = list(DASHES[0])
    valid = [v for points in series.values() for _, v in points if v is not None and _valid(v)]
    # The highlighted series is drawn last, so on top.
    drawn = [*others, *([highlight] if highlight is not None else [])]
    values = [
        {"period": str(p), "series": n, "value": float(v) if v is not None and _valid(v) else None}
        for n in drawn
        for p, v in series[n]
    ]
    broken = {n: set(b) for n, b in (breaks or {}).items() if b}
    if broken:
        # A break in a series (another release, other boundaries, other members) starts a new line segment, so
        # that the change across it is not drawn as growth.
        segment: dict[str, int] = {}
        for row in values:
            n, period = str(row["series"]), str(row["period"])
            if any(str(p) == period for p in broken.get(n, ())):
                segment[n] = segment.get(n, 0) + 1
            row["segment"] = f"{n} ({segment.get(n, 0)})"
    # The highlighted series leads the legend.
    listed = [*([highlight] if highlight is not None else []), *others]

    legend: dict[str, Any] = {
        "orient": "bottom",
        "direction": "horizontal",
        "columns": max(1, min(len(names), width // (max(len(n) for n in names) * 7 + 48))),
        "title": None,
        "symbolType": "stroke",
        "symbolStrokeWidth": 3,
        "symbolSize": 400,
    }
    encoding: dict[str, Any] = {
        "x": {
            "field": "period",
            "type": "ordinal",
            "sort": labels,
            "scale": {"domain": labels},
            "axis": {"labelAngle": 0, "values": _thinned(labels, width), "title": None, "grid": False},
        },
        "y": {
            "field": "value",
            "type": "quantitative",
            # The ticks carry £ and %; a title is there when they cannot say it all.
            "title": y_title or (None if spec_unit.prefix or spec_unit.suffix else gettext(spec_unit.label)),
            "axis": {
                "format": "$,~f",
                "tickCount": 6,
                # Read across, above the axis, lined up with the tick labels.
                "titleAngle": 0,
                "titleAlign": "left",
                "titleAnchor": "end",
                "titleBaseline": "bottom",
                "titleY": -12,
                "titleX": -(_label_width(valid, unit) + 8),
            },
            # A line shows change, so the axis fits the data rather than starting at zero.
            "scale": {"zero": False, "nice": True, "reverse": unit == "rank"},
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "scale": {"domain": listed, "range": [colours[n] for n in listed]},
            "legend": legend,
        },
        "strokeWidth": {"value": 2.5},
    }
    if broken:
        encoding["detail"] = {"field": "segment", "type": "nominal"}
    if highlight is not None:
        test = f"datum.series === {json.dumps(highlight)}"
        encoding["strokeWidth"] = {"condition": {"test": test, "value": 5}, "value": 2.5}
    if len(others) > len(SERIES_COLOURS):
        encoding["strokeDash"] = {
            "field": "series",
            "type": "nominal",
            "scale": {"domain": listed, "range": [dashes[n] for n in listed]},
            "legend": legend,
        }
    return {
        "description": description,
        "width": width,
        "height": 240,
        "data": {"values": values},
        "mark": {"type": "line", "point": {"filled": True, "size": 40}, "invalid": "break-paths-show-domains"},
        "encoding": encoding,
    }


def line_chart(
    title: str,
    series: dict[str, list[tuple[int | str, float | None]]],
    *,
    unit: str,
    highlight: str | None = None,
    y_title: str | None = None,
    breaks: Mapping[str, Mapping[int | str, str]] | None = None,
) -> Chart:
    """A time series per name: x is the period (in order), y the value; None leaves a gap.

    The table has one row per period and one column per series. `breaks` gives, for a series, the periods at
    which it breaks (another release, other boundaries, other members) and why: the line is not drawn across a
    break, and the table and the CSV (a `break` column, whenever `breaks` is given) say why.
    """
    _unit(unit)  # an unknown unit is refused here
    names = list(series)
    periods = sorted({p for points in series.values() for p, _ in points}, key=_period_key)
    lookup = {n: {p: v for p, v in points} for n, points in series.items()}
    args = {
        "title": title,
        "n": len(names),
        "names": ", ".join(names),
        "unit": unit_label(unit).lower(),
        "first": periods[0] if periods else "",
        "last": periods[-1] if periods else "",
        "highlight": highlight,
    }
    description = ngettext("Line chart: %(title)s. %(n)s series (%(names)s)",
                           "Line chart: %(title)s. %(n)s series (%(names)s)", len(names)) % args  # fmt: skip
    if periods:
        description += gettext(" from %(first)s to %(last)s") % args
    if highlight:
        description += gettext("; %(highlight)s highlighted") % args
    description += gettext(". Values in %(unit)s.") % args
    said = {p: "; ".join(f"{n}: {b[p]}" for n, b in (breaks or {}).items() if b.get(p)) for p in periods}
    if any(said.values()):
        description += " " + gettext("Breaks in the series: %(breaks)s.") % {
            "breaks": " ".join(f"{p}: {said[p]}" for p in periods if said[p])}  # fmt: skip
    spec = _line_spec(series, unit=unit, highlight=highlight, y_title=y_title, description=description, breaks=breaks)
    full, svg = _render(spec, unit, title)
    columns = [gettext("Period"), *names]
    rows = [[str(p), *(format_value(lookup[n].get(p), unit) for n in names)] for p in periods]
    raw_rows = [[str(p), *(_raw(lookup[n].get(p)) for n in names)] for p in periods]
    header = ["period", *names]
    if breaks is not None:
        header.append("break")
        raw_rows = [[*row, said[p]] for row, p in zip(raw_rows, periods, strict=True)]
    if any(said.values()):
        columns.append(gettext("Break in the series"))
        rows = [[*row, said[p]] for row, p in zip(rows, periods, strict=True)]
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=columns,
        rows=rows,
        csv=_csv(header, raw_rows),
        numeric_columns=frozenset(range(1, len(names) + 1)),
        row_header=0,
        spec=full,
    )


# --- bar chart -----------------------------------------------------------------------------------


def _ranked(
    bars: Sequence[tuple[str, float | None]], *, sort_descending: bool
) -> list[tuple[int | None, str, float | None]]:
    """Bars in order with their rank (ties share a rank, missing values last and unranked)."""
    names = [name for name, _ in bars]
    if len(set(names)) != len(names):
        raise ValueError("bar names must be unique")
    valued = [(n, v) for n, v in bars if v is not None and _valid(v)]
    missing = [(n, None) for n, v in bars if v is None or not _valid(v)]
    valued.sort(key=lambda b: (-b[1] if sort_descending else b[1], b[0]))
    ranked: list[tuple[int | None, str, float | None]] = []
    previous: float | None = None
    rank = 0
    for position, (name, value) in enumerate(valued, start=1):
        if value != previous:
            rank = position
            previous = value
        ranked.append((rank, name, value))
    ranked += [(None, n, None) for n, _ in sorted(missing)]
    return ranked


# Widths of characters in ems in a wide sans-serif (DejaVu Sans, which a browser falls back to for system-ui
# on Linux; most system fonts are narrower), to leave room for bar names whatever font draws them.
_NARROW = frozenset("fijlrtI!|.,:;'()[]- ")
_WIDE = frozenset("mwMW@%")


def _text_width(text: str, size: float, *, bold: bool = False) -> int:
    """A generous estimate of the width in pixels of `text` at `size` px: Vega measures labels with its own
    metrics, and a browser's font that is wider than those overflowed the chart's left edge ("iberal Democrat"
    at 375 px wide)."""
    ems = sum(0.36 if c in _NARROW else 0.95 if c in _WIDE else 0.74 if c.isupper() else 0.63 for c in text)
    return math.ceil(ems * size * (1.1 if bold else 1.0) * 1.05)


def _bar_spec(
    ranked: Sequence[tuple[int | None, str, float | None]],
    *,
    unit: str,
    highlight: frozenset[str] | set[str],
    value_title: str,
    description: str = "",
) -> dict[str, Any]:
    names = [name for _, name, _ in ranked]
    values = [
        {
            "name": name,
            "value": None if value is None else float(value),
            "at": 0.0 if value is None else float(value),
            "label": format_value(value, unit),
            "highlight": name in highlight,
        }
        for _, name, value in ranked
    ]
    step = 22 if len(names) <= 30 else 16
    label_size = 12 if len(names) > 30 else LABEL_SIZE
    member_test = f"indexof({_js(sorted(highlight & set(names)))}, datum.value) >= 0"
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "scale": {"nice": True, "zero": True}}
    if not any(v["value"] for v in values):
        # Every bar zero or missing: a scale from 0 to 0 would put the zero line in the middle of the chart.
        x["scale"]["domain"] = [0, 100 if unit == "%" else 1]
    label_end = "datum.at < 0"
    return {
        "description": description,
        "width": 520,
        "height": {"step": step},
        "data": {"values": values},
        "encoding": {
            "y": {
                "field": "name",
                "type": "nominal",
                "sort": names,
                "scale": {"domain": names},
                "axis": {
                    "title": None,
                    "ticks": False,
                    "domain": False,
                    "labelLimit": 0,  # names in full (and truncating 400 labels is slow)
                    "labelFontSize": label_size,
                    "labelPadding": 6,
                    # Room for the longest name in a wide font, so that no browser's font clips it at the edge.
                    "minExtent": 6 + max((_text_width(n, label_size, bold=n in highlight) for n in names), default=0),
                    "labelFontWeight": {"condition": {"test": member_test, "value": "bold"}, "value": "normal"},
                    "labelColor": {"condition": {"test": member_test, "value": BRAND_COLOUR}, "value": TEXT_COLOUR},
                },
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "height": {"band": 0.75}},
                "encoding": {
                    "x": {
                        **x,
                        "title": value_title,
                        "axis": {"orient": "top", "format": "$,~f", "grid": True, "tickCount": 6},
                    },
                    "color": {"condition": {"test": "datum.highlight", "value": BRAND_COLOUR}, "value": OTHER_COLOUR},
                },
            },
            {
                # The value at the end of each bar ("no data" where there is none).
                "mark": {
                    "type": "text",
                    "align": {"expr": f"{label_end} ? 'right' : 'left'"},
                    "dx": {"expr": f"{label_end} ? -4 : 4"},
                    "baseline": "middle",
                    "fontSize": 12,
                },
                "encoding": {
                    "x": {"field": "at", "type": "quantitative", "title": value_title},
                    "text": {"field": "label"},
                    "fontWeight": {"condition": {"test": "datum.highlight", "value": "bold"}, "value": "normal"},
                    "color": {"value": TEXT_COLOUR},
                },
            },
            {
                # The zero line the bars grow from.
                "mark": {"type": "rule", "color": SECONDARY_TEXT_COLOUR},
                "data": {"values": [{"at": 0}]},
                "encoding": {"x": {"field": "at", "type": "quantitative"}, "y": None},
            },
        ],
    }


# The narrow bar chart's drawing width: with the padding it is about 370 px wide, so a phone (375 px, a 345 px
# column) draws it at nearly its natural size and its 14 px names stay about 13 px.
NARROW_WIDTH: Final = 320


def _narrow_bar_spec(
    ranked: Sequence[tuple[int | None, str, float | None]],
    *,
    unit: str,
    highlight: frozenset[str] | set[str],
    value_title: str,
    description: str = "",
) -> dict[str, Any]:
    """Bars a phone can read: each name on its own line above its bar, across the chart's whole width, and the
    value at the end of the bar; no axes (the values are written, and the table beside the chart has them). The
    names are cut with an ellipsis at the chart's width (the table has them in full). For values of zero or
    more (counts, shares): the bars start at the left edge, so a negative value is refused."""
    if any(value is not None and value < 0 for _, _, value in ranked):
        raise ValueError("a narrow bar chart draws values of zero or more")
    names = [name for _, name, _ in ranked]
    values = [
        {
            "name": name,
            "value": 0.0 if value is None else float(value),
            "label": format_value(value, unit),
            "highlight": name in highlight,
        }
        for _, name, value in ranked
    ]
    top = max((0.0 if value is None else float(value) for _, _, value in ranked), default=0.0)
    top = top if top > 0 else (100.0 if unit == "%" else 1.0)
    # Room at the right of the longest bar for its value ("100.0%", "1,234"): a quarter of the width.
    x = {"field": "value", "type": "quantitative", "title": value_title, "axis": None,
         "scale": {"domain": [0, top * 4 / 3], "nice": False, "zero": True}}  # fmt: skip
    y = {"field": "name", "type": "nominal", "sort": names, "scale": {"domain": names}, "axis": None}
    bold = {"condition": {"test": "datum.highlight", "value": "bold"}, "value": "normal"}
    return {
        "description": description,
        "width": NARROW_WIDTH,
        "height": {"step": 40},
        "data": {"values": values},
        "encoding": {"y": y},
        "layer": [
            {
                "mark": {"type": "bar", "height": 14, "yOffset": 8},
                "encoding": {
                    "x": x,
                    "color": {"condition": {"test": "datum.highlight", "value": BRAND_COLOUR}, "value": OTHER_COLOUR},
                },
            },
            {
                # The name above the bar.
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "yOffset": -2,
                    "fontSize": LABEL_SIZE,
                    "limit": NARROW_WIDTH,
                    "x": 0,
                },
                "encoding": {"text": {"field": "name"}, "fontWeight": bold, "color": {"value": TEXT_COLOUR}},
            },
            {
                # The value at the end of the bar ("no data" where there is none).
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 4,
                    "baseline": "middle",
                    "yOffset": 8,
                    "fontSize": 13,
                },
                "encoding": {"x": x, "text": {"field": "label"}, "fontWeight": bold, "color": {"value": TEXT_COLOUR}},
            },
        ],
    }


def bar_chart(
    title: str,
    bars: list[tuple[str, float | None]],
    *,
    unit: str,
    highlight: set[str] | frozenset[str] = frozenset(),
    sort_descending: bool = True,
    max_bars: int | None = None,
    label: str = "Area",
    value_title: str | None = None,
    narrow: bool = False,
) -> Chart:
    """Horizontal bars, ranked; names in `highlight` in brand purple, the rest grey.

    Missing values come last, marked "no data". `max_bars` keeps the first n after sorting. The
    table has rank, name (`label` is its header) and value, in the chart's order. `narrow` draws each name
    above its bar in a chart about 370 px wide, which a phone shows at nearly its natural size
    (`_narrow_bar_spec`), instead of names beside the bars in one about twice as wide.
    """
    if not bars:
        raise ValueError("a bar chart needs at least one bar")
    _unit(unit)  # an unknown unit is refused here
    ranked = _ranked(bars, sort_descending=sort_descending)
    if max_bars is not None:
        ranked = ranked[: max(0, max_bars)]
    value_title = value_title or unit_label(unit)
    shown_highlight = [n for _, n, _ in ranked if n in highlight]
    args = {"title": title, "n": len(ranked), "unit": unit_label(unit).lower(), "names": ", ".join(shown_highlight)}
    description = (
        ngettext(
            "Bar chart: %(title)s. %(n)s bar, highest first; values in %(unit)s.",
            "Bar chart: %(title)s. %(n)s bars, highest first; values in %(unit)s.",
            len(ranked),
        )
        if sort_descending
        else ngettext(
            "Bar chart: %(title)s. %(n)s bar, lowest first; values in %(unit)s.",
            "Bar chart: %(title)s. %(n)s bars, lowest first; values in %(unit)s.",
            len(ranked),
        )
    ) % args
    if shown_highlight:
        description += " " + gettext("Highlighted: %(names)s.") % args  # fmt: skip
    spec = (_narrow_bar_spec if narrow else _bar_spec)(
        ranked, unit=unit, highlight=frozenset(highlight), value_title=value_title, description=description
    )
    full, svg = _render(spec, unit, title)
    rows = [["" if rank is None else str(rank), name, format_value(value, unit)] for rank, name, value in ranked]
    raw_rows = [["" if rank is None else str(rank), name, _raw(value)] for rank, name, value in ranked]
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=[gettext("Rank"), label, value_title],
        rows=rows,
        csv=_csv(["rank", "name", "value"], raw_rows),
        numeric_columns=frozenset({0, 2}),
        row_header=1,
        spec=full,
    )


# --- shares with intervals, side by side -----------------------------------------------------------


def _wrapped(text: str, width: int = 16) -> list[str]:
    """A label in lines of about `width` characters (Vega draws an array of strings as lines), so that long
    answers do not push the bars off a phone's screen."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def interval_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[tuple[float | None, float | None, float | None]]],
    *,
    unit: str = "%",
    label: str = "Answer",
    value_title: str | None = None,
    missing: str = "",
    interval_label: str = "",
) -> Chart:
    """Horizontal bars, one group per category in the order given, one bar per series in each group (e.g.
    unweighted and weighted side by side), each with its interval drawn as a line through the bar's end.

    `series` maps a name to one (value, low, high) per category; a None value draws no bar and the table
    writes `missing` (e.g. "fewer than 10"). The first series is dark blue, the second brand purple (then the
    series palette). The table has one row per category, a value and an interval column per series; the CSV
    has one row per category and series with full precision.
    """
    if not categories:
        raise ValueError("an interval chart needs at least one category")
    if len(set(categories)) != len(categories):
        raise ValueError("categories must be unique")
    names = list(series)
    if any(len(points) != len(categories) for points in series.values()):
        raise ValueError("each series needs one value per category")
    _unit(unit)  # an unknown unit is refused here
    value_title = value_title or unit_label(unit)
    # Translators: a literal per cent sign, not a placeholder. xgettext:no-python-format
    interval_label = interval_label or gettext("95% interval")
    colours = [SERIES_COLOURS[0], BRAND_COLOUR, *SERIES_COLOURS[1:]][: len(names)]
    values: list[dict[str, Any]] = []
    ends: list[float] = []
    for i, category in enumerate(categories):
        for name in names:
            value, low, high = series[name][i]
            if value is None or not _valid(value):
                values.append({"category": category, "series": name, "value": None, "low": None, "high": None,
                               "end": 0.0, "label": missing})  # fmt: skip
                continue
            top_low = float(low) if low is not None and _valid(low) else None
            top_high = float(high) if high is not None and _valid(high) else None
            end = top_high if top_high is not None else float(value)
            ends.append(end)
            values.append({"category": category, "series": name, "value": float(value), "low": top_low,
                           "high": top_high, "end": end, "label": format_value(value, unit)})  # fmt: skip
    lines = {c: _wrapped(c) for c in categories}
    label_size = LABEL_SIZE
    widest = max((_text_width(line, label_size) for ls in lines.values() for line in ls), default=0)
    top = 100.0 if unit == "%" else max([1.0, *ends])
    description = ngettext(
        "Bar chart: %(title)s. %(n)s answer, in the order asked; for each, %(series)s, with %(interval)s; "
        "values in %(unit)s.",
        "Bar chart: %(title)s. %(n)s answers, in the order asked; for each, %(series)s, with %(interval)s; "
        "values in %(unit)s.",
        len(categories),
    ) % {"title": title, "n": len(categories), "series": ", ".join(names), "interval": interval_label,
         "unit": unit_label(unit).lower()}  # fmt: skip
    bar_height = 16
    x = {"type": "quantitative", "scale": {"domain": [0, top], "nice": False, "zero": True}}
    spec: dict[str, Any] = {
        "description": description,
        "width": 180,  # with the labels, about 350 px: drawn at its own size on a phone, so text stays legible
        "height": {"step": bar_height * len(names) + 14 + 8 * max(0, max(len(ls) for ls in lines.values()) - 2)},
        "data": {"values": values},
        "encoding": {
            "y": {
                "field": "category", "type": "nominal", "sort": list(categories),
                "scale": {"domain": list(categories), "paddingInner": 0.25},
                "axis": {"title": None, "ticks": False, "domain": False, "labelLimit": 0, "labelFontSize": label_size,
                         "labelPadding": 6, "minExtent": 6 + widest,
                         "labelExpr": f"{_lookup_js(lines)}[datum.value] || datum.value"},
            },
            "yOffset": {"field": "series", "type": "nominal", "sort": names, "scale": {"domain": names,
                                                                                       "paddingInner": 0.1}},
        },
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {**x, "field": "value", "title": value_title,
                          "axis": {"orient": "top", "format": "$,~f", "grid": True, "tickCount": 5,
                                   **({"values": [0, 25, 50, 75, 100]} if unit == "%" else {})}},
                    "color": {"field": "series", "type": "nominal", "sort": names,
                              "scale": {"domain": names, "range": colours},
                              "legend": {"orient": "top", "direction": "horizontal", "title": None,
                                         "symbolType": "square", "columnPadding": 16, "labelFontSize": 13}},
                },
            },
            {  # the interval: a dark line on a white halo, so that it shows on a dark bar and on the white page
                "mark": {"type": "rule", "color": "white", "strokeWidth": 5, "strokeCap": "butt"},
                "encoding": {"x": {**x, "field": "low"}, "x2": {"field": "high"}},
            },
            {
                "mark": {"type": "rule", "color": TEXT_COLOUR, "strokeWidth": 2, "strokeCap": "butt"},
                "encoding": {"x": {**x, "field": "low"}, "x2": {"field": "high"}},
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "baseline": "middle", "fontSize": 13},
                "encoding": {"x": {**x, "field": "end"}, "text": {"field": "label"}, "color": {"value": TEXT_COLOUR}},
            },
        ],
    }  # fmt: skip
    full, svg = _render(spec, unit, title)

    def interval(low: float | None, high: float | None) -> str:
        return "" if not (_valid(low) and _valid(high)) else f"{format_value(low, unit)}–{format_value(high, unit)}"

    columns = [label]
    for name in names:
        columns += [name, f"{name}: {interval_label}"]
    rows = []
    for i, category in enumerate(categories):
        row = [category]
        for name in names:
            value, low, high = series[name][i]
            row += [format_value(value, unit) if _valid(value) else missing,
                    interval(low, high) if _valid(value) else ""]  # fmt: skip
        rows.append(row)
    raw_rows = [[category, name, _raw(series[name][i][0]), _raw(series[name][i][1]), _raw(series[name][i][2])]
                for i, category in enumerate(categories) for name in names]  # fmt: skip
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=columns,
        rows=rows,
        csv=_csv(["category", "series", "value", "low", "high"], raw_rows),
        numeric_columns=frozenset(range(1, len(columns))),
        row_header=0,
        spec=full,
    )


def _lookup_js(lines: Mapping[str, list[str]]) -> str:
    """A JavaScript object literal from a label to its lines, for Vega's labelExpr."""
    return json.dumps(dict(lines), ensure_ascii=False)


# --- choropleth ----------------------------------------------------------------------------------


def _current(properties: Mapping[str, Any], year: int | None) -> bool:
    start, end = properties.get("start"), properties.get("end")
    if year is None:
        return end is None
    return (start is None or int(start) <= year) and (end is None or int(end) >= year)


def _arc_indexes(arcs: Any, found: set[int]) -> None:
    if isinstance(arcs, int):
        found.add(arcs if arcs >= 0 else ~arcs)
    elif isinstance(arcs, list):
        for part in arcs:
            _arc_indexes(part, found)


def _renumber(arcs: Any, index: Mapping[int, int]) -> Any:
    if isinstance(arcs, int):
        return index[arcs] if arcs >= 0 else ~index[~arcs]
    return [_renumber(part, index) for part in arcs]


def _projected(arc: list[list[float]], transform: Mapping[str, Any] | None) -> list[tuple[float, float]]:
    """An arc's points in km on a transverse Mercator centred on 2°W (the British National Grid's)."""
    (sx, sy), (tx, ty) = (transform["scale"], transform["translate"]) if transform else ((1.0, 1.0), (0.0, 0.0))
    x = y = 0.0
    out = []
    for p in arc:
        if transform:
            x += p[0]
            y += p[1]
        else:
            x, y = p[0], p[1]
        lam = math.radians(x * sx + tx - CENTRAL_MERIDIAN)
        phi = math.radians(y * sy + ty)
        b = math.cos(phi) * math.sin(lam)
        out.append((EARTH_RADIUS_KM * math.atanh(b), EARTH_RADIUS_KM * math.atan2(math.tan(phi), math.cos(lam))))
    return out


def _simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the points that matter at `tolerance` (both ends always kept)."""
    n = len(points)
    if n <= 2:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    limit = tolerance * tolerance
    stack = [(0, n - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        worst, at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0] - ax, points[i][1] - ay
            if length == 0:
                d = px * px + py * py
            else:
                t = max(0.0, min(1.0, (px * dx + py * dy) / length))
                ex, ey = px - t * dx, py - t * dy
                d = ex * ex + ey * ey
            if d > worst:
                worst, at = d, i
        if worst > limit:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _classes(values: Sequence[float], unit: str) -> tuple[list[tuple[float, float]], list[str]]:
    """Up to five quantile classes (equal values share a class) as (low, high) and their labels."""
    ordered = sorted(values)
    n = len(ordered)
    k = min(MAX_CLASSES, len(set(ordered)))
    first: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i)
    members: dict[int, list[float]] = {}
    for v, i in first.items():
        members.setdefault(min(k - 1, i * k // n), []).append(v)
    bounds = [(min(vs), max(vs)) for _, vs in sorted(members.items())]
    labels = []
    for low, high in bounds:
        a, b = format_value(low, unit), format_value(high, unit)
        labels.append(a if a == b else gettext("%(low)s to %(high)s") % {"low": a, "high": b})
    # Rounding can make two labels read the same; the legend needs distinct ones.
    seen: dict[str, int] = {}
    for i, text in enumerate(labels):
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            labels[i] = f"{text} ({seen[text]})"
    return bounds, labels


# Hue says which way is good; darkness says "more of it" (rank 1, the most, is darkest for ranks).
# "Higher is better": ColorBrewer YlGnBu (as above). "Higher is worse": ColorBrewer YlOrRd, light to dark,
# its near-white first step left out. Neither known: greys. All colour-blind safe.
WORSE: Final[Mapping[int, tuple[str, ...]]] = {
    1: ("#fd8d3c",),
    2: ("#feb24c", "#e31a1c"),
    3: ("#fed976", "#fd8d3c", "#bd0026"),
    4: ("#fed976", "#feb24c", "#f03b20", "#bd0026"),
    5: ("#fed976", "#feb24c", "#fd8d3c", "#e31a1c", "#800026"),
}
NEUTRAL: Final[Mapping[int, tuple[str, ...]]] = {
    1: ("#737373",),
    2: ("#bdbdbd", "#525252"),
    3: ("#d9d9d9", "#969696", "#525252"),
    4: ("#d9d9d9", "#bdbdbd", "#737373", "#252525"),
    5: ("#d9d9d9", "#bdbdbd", "#969696", "#636363", "#252525"),
}
MAP_MARGIN: Final = 4
MAP_UNITS: Final = 2  # map units to a pixel: paths in whole half-pixels
MAP_TOLERANCE: Final = 0.9  # shapes simplified to within 0.9 pixel at the map's natural size


def _palette(n: int, *, higher_is_better: bool | None, unit: str) -> list[str]:
    """Colours for n classes, lowest value first.

    Darker always means more of what is measured: the higher value, or for a rank the lower number (rank 1
    is the most). The hue says whether more is good (blue-green) or bad (yellow-red); greys when neither.
    """
    if n == 0:
        return []
    ranked = unit == "rank"
    # For a rank, "higher is better" is about the number: a better area has a larger number, so rank 1
    # (darkest) is the worst.
    more_is_good = None if higher_is_better is None else (higher_is_better != ranked)
    table = NEUTRAL if more_is_good is None else (SEQUENTIAL if more_is_good else WORSE)
    colours = list(table[n])
    return colours[::-1] if ranked else colours


def _short_path(points: Sequence[tuple[int, int]]) -> str:
    """A closed ring of whole-number points as an SVG path in relative moves ("M10,20l3-2l-1,4z")."""
    if len(points) < 3:
        return ""
    (x, y), out = points[0], [f"M{points[0][0]},{points[0][1]}"]
    for nx, ny in points[1:]:
        dx, dy = nx - x, ny - y
        if dx or dy:
            out.append(f"l{dx}{'' if dy < 0 else ','}{dy}")
        x, y = nx, ny
    return "".join(out) + "z"


def _ring(arcs: Sequence[int], projected: Sequence[Sequence[tuple[int, int]]]) -> list[tuple[int, int]]:
    points: list[tuple[int, int]] = []
    for i in arcs:
        arc = projected[i] if i >= 0 else projected[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[int]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


_MAP_SHAPES: dict[tuple[int, str, int | None], tuple[float, float, dict[str, tuple[str, str]]]] = {}
# (width, height in pixels; code -> (name, path in map units))


def _map_shapes(
    topology: Mapping[str, Any], layer: str, year: int | None
) -> tuple[float, float, dict[str, tuple[str, str]]]:
    """(width, height, code -> (name, SVG path)) for the areas of `layer` that existed in `year`.

    Projected (transverse Mercator on 2°W, as the British National Grid) and simplified to half a pixel,
    each shared border simplified once so neighbours still meet. The shapes depend only on the boundary
    file, the layer and the year, so they are made once per process.
    """
    key = (id(topology), layer, year)
    if key in _MAP_SHAPES:
        return _MAP_SHAPES[key]
    try:
        collection = topology["objects"][layer]
    except KeyError:
        raise ValueError(f"the topology has no object {layer!r}") from None
    geometries = [g for g in collection["geometries"] if _current(g.get("properties") or {}, year)]
    used: set[int] = set()
    for geometry in geometries:
        _arc_indexes(geometry.get("arcs", []), used)
    projected = {i: _projected(topology["arcs"][i], topology.get("transform")) for i in sorted(used)}
    xs = [p[0] for arc in projected.values() for p in arc]
    ys = [p[1] for arc in projected.values() for p in arc]
    shapes: dict[str, tuple[str, str]] = {}
    width = float(MAP_WIDTH)
    height = float(MAP_HEIGHT)
    if xs:
        x0, y1 = min(xs), max(ys)
        km_per_pixel = max(
            (max(xs) - x0) / (MAP_WIDTH - 2 * MAP_MARGIN), (y1 - min(ys)) / (MAP_HEIGHT - 2 * MAP_MARGIN)
        )
        width = round((max(xs) - x0) / km_per_pixel + 2 * MAP_MARGIN, 1)
        height = round((y1 - min(ys)) / km_per_pixel + 2 * MAP_MARGIN, 1)
        # In map units (MAP_UNITS to the pixel), whole numbers: short paths with no decimal points.
        units = {
            i: [(round(((x - x0) / km_per_pixel + MAP_MARGIN) * MAP_UNITS),
                 round(((y1 - y) / km_per_pixel + MAP_MARGIN) * MAP_UNITS))
                for x, y in _simplify(arc, km_per_pixel * MAP_TOLERANCE)]
            for i, arc in projected.items()
        }  # fmt: skip
        as_list = [units.get(i, []) for i in range(max(units) + 1)]
        for geometry in geometries:
            props = geometry.get("properties") or {}
            code = str(props.get("areacd", ""))
            parts = [_short_path(_ring(ring, as_list)) for polygon in _polygons(geometry) for ring in polygon]
            shapes[code] = (str(props.get("areanm", code)), "".join(parts))
    _MAP_SHAPES[key] = (width, height, shapes)
    return _MAP_SHAPES[key]


def choropleth(
    title: str,
    values: dict[str, float | None],
    *,
    topology: dict[str, Any],
    layer: str,
    outline_codes: set[str] | frozenset[str],
    unit: str,
    higher_is_better: bool | None,
    year: int | None = None,
    value_title: str | None = None,
    outline_label: str = "Key Cities member",
    no_data_label: str = NO_DATA,
) -> Chart:
    """A map of the areas in `topology`'s object `layer`, coloured by value in up to five classes.

    Features carry `areacd` and `areanm` properties. Only areas that existed in `year` are drawn
    (`start` <= year <= `end`); without a year, areas that have ended are left out, so abolished
    areas never overlap their successors. Darker means more (for ranks: rank 1); the hue says whether
    more is better (blue-green) or worse (yellow-red), see `_palette`. Areas without a value are light
    grey ("No data"); `outline_codes` get a thick dark outline. The legend is `Chart.legend`, for the
    page to show as text beside the map (so it is never clipped, and reads at any width). The table
    lists the areas with a value, highest first.

    The SVG is written here rather than by Vega: a map is only paths, and the shapes are made once per
    process, so a map costs a few milliseconds.
    """
    _unit(unit)  # an unknown unit is refused here
    width, height, shapes = _map_shapes(topology, layer, year)
    value_title = value_title or unit_label(unit)

    shown: list[tuple[str, str, float]] = []  # code, name, value
    for code, (name, _) in shapes.items():
        v = values.get(code)
        if v is not None and _valid(v):
            shown.append((code, name, v))
    shown.sort(key=lambda s: (-s[2], s[1]))

    bounds, labels = _classes([v for _, _, v in shown], unit) if shown else ([], [])
    palette = _palette(len(bounds), higher_is_better=higher_is_better, unit=unit)

    def colour(v: float | None) -> str:
        if v is None or not _valid(v):
            return NO_DATA_COLOUR
        for (low, high), c in zip(bounds, palette, strict=True):
            if low <= v <= high:
                return c
        raise AssertionError("every value falls in a class")  # pragma: no cover

    by_colour: dict[str, list[str]] = {}
    outlined_paths: list[str] = []
    for code, (_, d) in shapes.items():
        by_colour.setdefault(colour(values.get(code)), []).append(d)
        if code in outline_codes:
            outlined_paths.append(d)
    any_missing = NO_DATA_COLOUR in by_colour

    legend = [(c, text) for c, text in zip(palette, labels, strict=True)]
    if any_missing:
        legend.append((NO_DATA_COLOUR, no_data_label))
    ranked = unit == "rank"
    more_is_good = None if higher_is_better is None else (higher_is_better != ranked)
    direction = {
        True: gettext("Darker is more, and more is better."),
        False: gettext("Darker is more, and more is worse."),
        None: gettext("Darker is more."),
    }[more_is_good]
    outlined = sorted(gss_name(n, c) for c, n, _ in shown if c in outline_codes)  # Casnewydd on a Welsh page
    description = gettext("Map: %(title)s. %(shown)s of %(all)s areas have a value, in %(classes)s classes of "
                          "%(unit)s.") % {"title": title, "shown": len(shown), "all": len(shapes),
                                          "classes": len(bounds), "unit": unit_label(unit).lower()}  # fmt: skip
    description += " " + direction
    if outlined:
        description += " " + gettext("Outlined: %(names)s.") % {"names": ", ".join(outlined)}
    box = f"0 0 {width * MAP_UNITS:g} {height * MAP_UNITS:g}"
    body = [f'<rect width="{width * MAP_UNITS:g}" height="{height * MAP_UNITS:g}" fill="white"/>']
    # One group per class: the colour is written once, not on each of the ~360 shapes.
    for c in [*palette, NO_DATA_COLOUR]:
        if c in by_colour:
            paths = "".join(f'<path d="{d}"/>' for d in by_colour[c])  # one per area
            body.append(f'<g fill="{c}" stroke="white" stroke-width="{0.4 * MAP_UNITS:g}">{paths}</g>')
    if outlined_paths:
        joined = "".join(outlined_paths)
        # A white halo under a dark line: the outline shows on the darkest class too.
        body.append(f'<path d="{joined}" fill="none" stroke="white" stroke-width="{3.5 * MAP_UNITS:g}"/>')
        line = f'stroke="{TEXT_COLOUR}" stroke-width="{1.6 * MAP_UNITS:g}" stroke-linejoin="round"'
        body.append(f'<path d="{joined}" fill="none" {line}/>')
        legend.append(("outline", outline_label))
    name = escape(title, quote=True)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" width="{width:g}" '
        f'role="img" aria-label="{name}"><title>{name}</title><desc>{escape(description)}</desc>{"".join(body)}</svg>'
    )
    spec = {
        "description": description,
        "width": width,
        "height": height,
        "classes": [{"low": low, "high": high, "label": text, "colour": c}
                    for (low, high), text, c in zip(bounds, labels, palette, strict=True)],
        "config": {"font": FONT},
    }  # fmt: skip
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=[gettext("Area"), gettext("Code"), value_title],
        rows=[[name, code, format_value(v, unit)] for code, name, v in shown],
        csv=_csv(["area_code", "area_name", "value"], [[code, name, _raw(v)] for code, name, v in shown]),
        numeric_columns=frozenset({2}),
        row_header=0,
        spec=spec,
        legend=legend,
        legend_title=value_title,
    )


# --- sparkline -----------------------------------------------------------------------------------

SPARK_WIDTH: Final = 96
SPARK_HEIGHT: Final = 24


def sparkline(points: Sequence[tuple[Period, float | None]], *, unit: str, breaks: Collection[Period] = ()) -> str:
    """A small trend line (no axes) for a table cell, as inline SVG, or "" with fewer than two values.

    Drawn here rather than by Vega: a profile shows dozens, each a few hundred bytes. It is one image
    whose name says the first and last values; the table beside it has the figures. A period in `breaks`
    (another release, other boundaries) starts a new piece of line, so the change across it is not drawn.
    """
    valued = [(p, float(v)) for p, v in points if v is not None and _valid(v)]
    if len(valued) < 2:
        return ""
    values = [v for _, v in valued]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (SPARK_WIDTH - 4) / (len(valued) - 1)
    xy = [(2 + i * step, SPARK_HEIGHT - 3 - (v - low) / span * (SPARK_HEIGHT - 6)) for i, (_, v) in enumerate(valued)]
    pieces: list[list[tuple[float, float]]] = [[]]
    for (p, _), point in zip(valued, xy, strict=True):
        if p in breaks and pieces[-1]:
            pieces.append([])
        pieces[-1].append(point)
    drawn = "".join(
        f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in piece)}" fill="none" stroke="{BRAND_COLOUR}" '
        'stroke-width="1.5" stroke-linejoin="round"/>'
        if len(piece) > 1
        else f'<circle cx="{piece[0][0]:.1f}" cy="{piece[0][1]:.1f}" r="1.2" fill="{BRAND_COLOUR}"/>'
        for piece in pieces
    )
    (first_p, first_v), (last_p, last_v) = valued[0], valued[-1]
    said = f"{first_p}: {format_value(first_v, unit)}; {last_p}: {format_value(last_v, unit)}"
    if len(pieces) > 1:
        said += gettext("; breaks in the series at %(periods)s") % {
            "periods": ", ".join(str(p) for p, _ in valued[1:] if p in breaks)}  # fmt: skip
    name = escape(said, quote=True)
    x, y = xy[-1]
    return (
        f'<svg class="kc-spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" role="img" aria-label="{name}"><title>{name}</title>'
        f'{drawn}<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{BRAND_COLOUR}"/></svg>'
    )
