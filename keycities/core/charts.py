"""Charts rendered on the server: Vega-Lite spec -> SVG, with the same numbers as a table and CSV.

Every chart function is pure (no database, no network) and returns a `Chart`: the SVG markup
ready to embed inline (`core/includes/chart.html` does that), the accessible table with the
same numbers, formatted, and the same data as CSV with full precision.

The renderer is `vl-convert` (Vega-Lite compiled and run in an embedded JavaScript engine).
All data is inlined in the spec and `allowed_base_urls=[]` forbids any data fetch; the font
is the site's system font stack, so nothing is downloaded either.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any, Final, NamedTuple

import vl_convert as vlc

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
    "line_chart",
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
LABEL_SIZE: Final = 13
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
    "£m": _Unit(0, "£", "m", "£ million"),
    "£": _Unit(0, "£", "", "£"),
    "%": _Unit(1, "", "%", "Per cent"),
    "persons": _Unit(0, "", "", "Persons"),
    "count": _Unit(0, "", "", "Count"),
    "ratio": _Unit(2, "", "", "Ratio"),
    "score": _Unit(1, "", "", "Score"),
    "rank": _Unit(0, "", "", "Rank"),
    "index-2019": _Unit(1, "", "", "Index, 2019 = 100"),
}


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
        return "no data"
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
        return signed(f"{_half_up(abs(diff), 1)} pp")
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


def _render(spec: dict[str, Any], unit: str, title: str) -> tuple[dict[str, Any], str]:
    full = {"$schema": SCHEMA, **spec, "config": _config(unit)}
    svg = vlc.vegalite_to_svg(full, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
    return full, _finish_svg(svg, title)


def to_png(chart: Chart, *, scale: float = 2.0) -> bytes:
    """The same chart as PNG (for documents that cannot take SVG, and for checking by eye)."""
    return vlc.vegalite_to_png(chart.spec, vl_version=VEGA_LITE_VERSION, scale=scale, allowed_base_urls=[])


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
    width = 640

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
            "title": y_title or (None if spec_unit.prefix or spec_unit.suffix else spec_unit.label),
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
        "height": 320,
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
    spec_unit = _unit(unit)
    names = list(series)
    periods = sorted({p for points in series.values() for p, _ in points}, key=_period_key)
    lookup = {n: {p: v for p, v in points} for n, points in series.items()}
    description = (
        f"Line chart: {title}. {len(names)} series ({', '.join(names)})"
        + (f" from {periods[0]} to {periods[-1]}" if periods else "")
        + (f"; {highlight} highlighted" if highlight else "")
        + f". Values in {spec_unit.label.lower()}."
    )
    said = {p: "; ".join(f"{n}: {b[p]}" for n, b in (breaks or {}).items() if b.get(p)) for p in periods}
    if any(said.values()):
        description += " Breaks in the series: " + " ".join(f"{p}: {said[p]}" for p in periods if said[p]) + "."
    spec = _line_spec(series, unit=unit, highlight=highlight, y_title=y_title, description=description, breaks=breaks)
    full, svg = _render(spec, unit, title)
    columns = ["Period", *names]
    rows = [[str(p), *(format_value(lookup[n].get(p), unit) for n in names)] for p in periods]
    raw_rows = [[str(p), *(_raw(lookup[n].get(p)) for n in names)] for p in periods]
    header = ["period", *names]
    if breaks is not None:
        header.append("break")
        raw_rows = [[*row, said[p]] for row, p in zip(raw_rows, periods, strict=True)]
    if any(said.values()):
        columns.append("Break in the series")
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
    member_test = f"indexof({_js(sorted(highlight & set(names)))}, datum.value) >= 0"
    x = {"field": "value", "type": "quantitative", "scale": {"nice": True, "zero": True}}
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
                    "labelFontSize": 12 if len(names) > 30 else LABEL_SIZE,
                    "labelPadding": 6,
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
) -> Chart:
    """Horizontal bars, ranked; names in `highlight` in brand purple, the rest grey.

    Missing values come last, marked "no data". `max_bars` keeps the first n after sorting. The
    table has rank, name (`label` is its header) and value, in the chart's order.
    """
    if not bars:
        raise ValueError("a bar chart needs at least one bar")
    spec_unit = _unit(unit)
    ranked = _ranked(bars, sort_descending=sort_descending)
    if max_bars is not None:
        ranked = ranked[: max(0, max_bars)]
    value_title = value_title or spec_unit.label
    shown_highlight = [n for _, n, _ in ranked if n in highlight]
    description = (
        f"Bar chart: {title}. {len(ranked)} bars, "
        f"{'highest' if sort_descending else 'lowest'} first; values in {spec_unit.label.lower()}."
        + (f" Highlighted: {', '.join(shown_highlight)}." if shown_highlight else "")
    )
    spec = _bar_spec(
        ranked, unit=unit, highlight=frozenset(highlight), value_title=value_title, description=description
    )
    full, svg = _render(spec, unit, title)
    rows = [["" if rank is None else str(rank), name, format_value(value, unit)] for rank, name, value in ranked]
    raw_rows = [["" if rank is None else str(rank), name, _raw(value)] for rank, name, value in ranked]
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=["Rank", label, value_title],
        rows=rows,
        csv=_csv(["rank", "name", "value"], raw_rows),
        numeric_columns=frozenset({0, 2}),
        row_header=1,
        spec=full,
    )


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


def _layer_topology(
    topology: Mapping[str, Any], layer: str, geometries: list[dict[str, Any]], *, width: int, height: int
) -> dict[str, Any]:
    """A planar topology of `geometries` only, projected and simplified for a width x height map.

    The arcs the geometries use are projected here (transverse Mercator on 2°W, as the British
    National Grid) and drawn with Vega's identity projection: planar, so no ring can turn inside
    out on the sphere once simplified. Each arc is simplified on its own (ends kept), so
    neighbours still share their borders, to half a pixel: the map looks the same with far
    fewer points, and the SVG is smaller and quicker to make.
    """
    used: set[int] = set()
    for geometry in geometries:
        _arc_indexes(geometry.get("arcs", []), used)
    order = sorted(used)
    index = {old: new for new, old in enumerate(order)}
    arcs = [_projected(topology["arcs"][i], topology.get("transform")) for i in order]
    xs = [p[0] for arc in arcs for p in arc]
    ys = [p[1] for arc in arcs for p in arc]
    if xs:
        km_per_pixel = max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height)
        arcs = [_simplify(arc, km_per_pixel / 2) for arc in arcs]
    kept = [{**g, "arcs": _renumber(g["arcs"], index)} if "arcs" in g else g for g in geometries]
    return {
        "type": "Topology",
        "arcs": [[[round(x, 3), round(y, 3)] for x, y in arc] for arc in arcs],
        "objects": {layer: {"type": "GeometryCollection", "geometries": kept}},
    }


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
        labels.append(a if a == b else f"{a} to {b}")
    # Rounding can make two labels read the same; the legend needs distinct ones.
    seen: dict[str, int] = {}
    for i, text in enumerate(labels):
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            labels[i] = f"{text} ({seen[text]})"
    return bounds, labels


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
) -> Chart:
    """A map of the areas in `topology`'s object `layer`, coloured by value in up to five classes.

    Features carry `areacd` and `areanm` properties. Only areas that existed in `year` are drawn
    (`start` <= year <= `end`); without a year, areas that have ended are left out, so abolished
    areas never overlap their successors. Darker means higher, or lower when `higher_is_better`
    is False. Areas without a value are light grey ("No data"); `outline_codes` get a thick dark
    outline. The table lists the areas with a value, highest first.
    """
    spec_unit = _unit(unit)
    try:
        collection = topology["objects"][layer]
    except KeyError:
        raise ValueError(f"the topology has no object {layer!r}") from None
    geometries = [g for g in collection["geometries"] if _current(g.get("properties") or {}, year)]
    value_title = value_title or spec_unit.label

    shown: list[tuple[str, str, float]] = []  # code, name, value
    for g in geometries:
        props = g.get("properties") or {}
        v = values.get(props.get("areacd", ""))
        if v is not None and _valid(v):
            shown.append((props["areacd"], str(props.get("areanm", props["areacd"])), v))
    shown.sort(key=lambda s: (-s[2], s[1]))

    bounds, labels = _classes([v for _, _, v in shown], unit) if shown else ([], [])
    palette = list(SEQUENTIAL[len(bounds)]) if bounds else []
    if higher_is_better is False:
        palette.reverse()

    def klass(v: float | None) -> str:
        if v is None or not _valid(v):
            return NO_DATA
        for (low, high), text in zip(bounds, labels, strict=True):
            if low <= v <= high:
                return text
        raise AssertionError("every value falls in a class")  # pragma: no cover

    drawn = []
    any_missing = False
    for g in geometries:
        props = dict(g.get("properties") or {})
        code = props.get("areacd", "")
        props["class"] = klass(values.get(code))
        props["outline"] = code in outline_codes
        any_missing = any_missing or props["class"] == NO_DATA
        drawn.append({**g, "properties": props})

    domain = [*labels, *([NO_DATA] if any_missing else [])]
    colours = [*palette, *([NO_DATA_COLOUR] if any_missing else [])]
    direction = {True: " Darker is better.", False: " Darker is better (lower values).", None: ""}[higher_is_better]
    outlined = sorted(n for c, n, _ in shown if c in outline_codes)
    description = (
        f"Map: {title}. {len(shown)} of {len(drawn)} areas have a value, in {len(bounds)} classes"
        f" of {spec_unit.label.lower()}.{direction}" + (f" Outlined: {', '.join(outlined)}." if outlined else "")
    )
    geo = {
        "values": _layer_topology(topology, layer, drawn, width=MAP_WIDTH, height=MAP_HEIGHT),
        "format": {"type": "topojson", "feature": layer},
    }
    outline = {"filter": "datum.properties.outline"}
    spec_layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.4},
            "encoding": {
                "color": {
                    "field": "properties.class",
                    "type": "nominal",
                    "scale": {"domain": domain, "range": colours},
                    "legend": {
                        "title": value_title,
                        "orient": "right",
                        "symbolType": "square",
                        "symbolSize": 200,
                        "symbolStrokeColor": SECONDARY_TEXT_COLOUR,
                        "symbolStrokeWidth": 0.5,
                        "labelLimit": 0,  # class labels such as "276,274 to 1,183,618" in full
                    },
                },
            },
        },
    ]
    if any(p["properties"]["outline"] for p in drawn):
        spec_layers += [
            # A white halo under a dark line: the outline shows on the darkest class too.
            {
                "transform": [outline],
                "mark": {"type": "geoshape", "filled": False, "stroke": "white", "strokeWidth": 3.5},
            },
            {
                "transform": [outline],
                "mark": {"type": "geoshape", "filled": False, "strokeWidth": 1.6, "strokeJoin": "round"},
                "encoding": {
                    "stroke": {
                        "datum": outline_label,
                        "type": "nominal",
                        "scale": {"domain": [outline_label], "range": [TEXT_COLOUR]},
                        "legend": {
                            "title": None,
                            "orient": "right",
                            "symbolType": "square",
                            "symbolSize": 200,
                            "symbolFillColor": "white",
                            "symbolStrokeWidth": 2,
                        },
                    }
                },
            },
        ]
    spec = {
        "description": description,
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        # Already projected (see _layer_topology); y grows northwards, SVG's downwards.
        "projection": {"type": "identity", "reflectY": True},
        "data": geo,
        "layer": spec_layers,
    }
    full, svg = _render(spec, unit, title)
    return Chart(
        svg=svg,
        title=title,
        table_caption=title,
        columns=["Area", "Code", value_title],
        rows=[[name, code, format_value(v, unit)] for code, name, v in shown],
        csv=_csv(["area_code", "area_name", "value"], [[code, name, _raw(v)] for code, name, v in shown]),
        numeric_columns=frozenset({2}),
        row_header=0,
        spec=full,
    )
