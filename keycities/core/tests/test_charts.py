"""Charts: the SVG, the table and the CSV all carry the numbers they were given."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string

from keycities.core import charts
from keycities.core.charts import BRAND_COLOUR, OTHER_COLOUR, bar_chart, choropleth, format_value, line_chart

DATA = Path(__file__).resolve().parents[3] / "data"
TOPOLOGY_FILES = (  # the real ONS file, wherever this checkout keeps it
    DATA / "ons" / "topo.json",
    DATA / "ons" / "els-app" / "topo.json",
    Path("/work/shared/data/raw/ons-els-app/topo.json"),
)
COVENTRY, SWANSEA, HARTLEPOOL = "E08000026", "W06000011", "E06000001"
CARLISLE, CUMBERLAND = "E07000028", "E06000063"


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def number(text: str) -> float | None:
    return float(text) if text else None


def view_box(svg: str) -> tuple[float, float]:
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert match, "the SVG keeps its viewBox"
    return float(match.group(1)), float(match.group(2))


def root_tag(svg: str) -> str:
    return svg[: svg.index(">") + 1]


def urls_in(spec: Any) -> list[str]:
    """Every "url" key in a spec: there must be none, as the renderer may fetch nothing."""
    if isinstance(spec, dict):
        return [v for k, v in spec.items() if k == "url"] + [u for v in spec.values() for u in urls_in(v)]
    if isinstance(spec, list):
        return [u for v in spec for u in urls_in(v)]
    return []


def assert_embeddable(chart: charts.Chart, title: str) -> None:
    svg = chart.svg
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    root = root_tag(svg)
    assert 'role="img"' in root
    assert f'aria-label="{title}"' in root
    assert f"<title>{title}</title>" in svg
    # Its natural width, shrunk to fit by the stylesheet; no style attribute (the CSP refuses inline styles).
    assert re.search(r'width="\d+(\.\d+)?"', root) and "style=" not in root
    assert "height=" not in root
    view_box(svg)
    assert "href=" not in svg  # nothing linked or fetched
    assert urls_in(chart.spec) == []
    assert chart.spec["description"]
    assert chart.spec["config"]["font"].endswith("sans-serif")


# --- format_value --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (12345.4, "£m", "£12,345m"),
        (4.46, "£m", "£4.5m"),
        (-12.3, "£m", "−£12m"),
        (31234.0, "£", "£31,234"),
        (31233.5, "£", "£31,234"),
        (72.46, "%", "72.5%"),
        (-0.04, "%", "0.0%"),
        (712858, "persons", "712,858"),
        (1234567.0, "count", "1,234,567"),
        (6.0449, "ratio", "6.04"),
        (24.25, "score", "24.3"),
        (2.675, "ratio", "2.68"),
        (12.5, "rank", "13"),
        (12.0, "rank", "12"),
        (None, "%", "no data"),
        (float("nan"), "£", "no data"),
    ],
)
def test_format_value(value: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_format_value_rejects_unknown_units() -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        format_value(1.0, "GBP")


# --- line chart ----------------------------------------------------------------------------------

SERIES: dict[str, list[tuple[int | str, float | None]]] = {
    "Key Cities": [(2019, 25123.456), (2020, 24001.0), (2021, None), (2022, 27890.75)],
    "UK": [(2019, 29500.0), (2020, 28750.25), (2021, 31000.0), (2022, 33010.5)],
    "Scotland & <Islands>": [(2020, 27000.0), (2022, 30500.0)],
}


@pytest.fixture(scope="module")
def line() -> charts.Chart:
    return line_chart("GVA per head, 2019 to 2022", SERIES, unit="£", highlight="Key Cities")


def test_line_chart_svg_is_embeddable_and_highlights_in_brand_colour(line: charts.Chart) -> None:
    assert_embeddable(line, "GVA per head, 2019 to 2022")
    assert BRAND_COLOUR in line.svg
    assert "Scotland &amp; &lt;Islands&gt;" in line.svg  # legend text escaped


def test_line_chart_table_has_a_row_per_period_and_a_column_per_series(line: charts.Chart) -> None:
    assert line.table_caption == "GVA per head, 2019 to 2022"
    assert line.columns == ["Period", "Key Cities", "UK", "Scotland & <Islands>"]
    assert line.rows == [
        ["2019", "£25,123", "£29,500", "no data"],
        ["2020", "£24,001", "£28,750", "£27,000"],
        ["2021", "no data", "£31,000", "no data"],
        ["2022", "£27,891", "£33,011", "£30,500"],
    ]


def test_line_chart_csv_gives_back_the_input(line: charts.Chart) -> None:
    header, *rows = parse_csv(line.csv)
    assert header == ["period", *SERIES]
    back: dict[str, dict[str, float | None]] = {name: {} for name in SERIES}
    for period, *cells in rows:
        for name, cell in zip(SERIES, cells, strict=True):
            back[name][period] = number(cell)
    for name, points in SERIES.items():
        for period, value in points:
            assert back[name][str(period)] == value  # full precision, gaps empty


def test_line_chart_breaks_the_line_at_a_gap(line: charts.Chart) -> None:
    data = line.spec["data"]["values"]
    assert {"period": "2021", "series": "Key Cities", "value": None} in data
    assert line.spec["mark"]["invalid"] == "break-paths-show-domains"


def test_line_chart_orders_periods_and_thins_crowded_labels() -> None:
    series: dict[str, list[tuple[int | str, float | None]]] = {
        "A": [(year, float(year)) for year in range(2023, 1989, -1)]
    }
    chart = line_chart("Long", series, unit="count")
    assert [row[0] for row in chart.rows] == [str(year) for year in range(1990, 2024)]
    labels = chart.spec["encoding"]["x"]["axis"]["values"]
    assert labels[-1] == "2023"
    assert 5 < len(labels) < 34


def test_line_chart_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="highlight"):
        line_chart("T", SERIES, unit="£", highlight="Wales")
    with pytest.raises(ValueError, match="unknown unit"):
        line_chart("T", SERIES, unit="pounds")


# --- bar chart -----------------------------------------------------------------------------------

BARS: list[tuple[str, float | None]] = [
    ("Hartlepool", 92.31),
    ("Coventry", 345.678),
    ("Swansea", None),
    ("Preston", 92.31),
    ("Wigan", -12.5),
]


def test_bar_chart_ranks_bars_and_puts_missing_values_last() -> None:
    chart = bar_chart("Change", BARS, unit="persons", highlight={"Coventry", "Swansea"})
    assert_embeddable(chart, "Change")
    assert chart.columns == ["Rank", "Area", "Persons"]
    assert chart.rows == [
        ["1", "Coventry", "346"],
        ["2", "Hartlepool", "92"],
        ["2", "Preston", "92"],
        ["4", "Wigan", "−13"],
        ["", "Swansea", "no data"],
    ]
    assert BRAND_COLOUR in chart.svg
    assert OTHER_COLOUR in chart.svg
    header, *rows = parse_csv(chart.csv)
    assert header == ["rank", "name", "value"]
    assert {name: number(value) for _, name, value in rows} == dict(BARS)


def test_bar_chart_ascending_and_limited() -> None:
    chart = bar_chart("Lowest", BARS, unit="%", sort_descending=False, max_bars=2, label="Place")
    assert chart.columns[1] == "Place"
    assert chart.rows == [["1", "Wigan", "−12.5%"], ["2", "Hartlepool", "92.3%"]]
    assert len(parse_csv(chart.csv)) == 3


def test_bar_chart_grows_with_the_number_of_bars() -> None:
    bars: list[tuple[str, float | None]] = [(f"Area {i:03d}", float(i * 37 % 360)) for i in range(360)]
    chart = bar_chart("Every area", bars, unit="£m", highlight={"Area 007", "Area 100"})
    _, height = view_box(chart.svg)
    assert height > 360 * 14  # a band of at least 14px for each 12px label
    assert len(chart.rows) == 360
    assert chart.spec["encoding"]["y"]["axis"]["labelFontSize"] >= 12
    assert len(re.findall(f'<path [^>]*fill="{BRAND_COLOUR}"', chart.svg)) == 2  # the bars (labels are text)


def test_bar_chart_of_zeros_starts_at_the_left() -> None:
    """No MP engaged yet: the bars are all zero, and the scale runs from 0 (at the left edge) to 100%, not from 0
    to 0 with the zero line drawn in the middle of the chart."""
    chart = bar_chart("Engaged", [("Labour", 0.0), ("Conservative", 0.0), ("Reform", None)], unit="%")
    assert chart.spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert chart.rows[0][2] == "0.0%"
    some = bar_chart("Engaged", [("Labour", 12.5), ("Conservative", 0.0)], unit="%")
    assert "domain" not in some.spec["layer"][0]["encoding"]["x"]["scale"]


def test_bar_chart_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        bar_chart("T", [("A", 1.0), ("A", 2.0)], unit="count")


# --- choropleth ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def topology() -> dict[str, Any]:
    for path in TOPOLOGY_FILES:
        if path.exists():
            return dict(json.loads(path.read_text()))
    pytest.skip("no ONS topology file")


@pytest.fixture(scope="module")
def uk_map(topology: dict[str, Any]) -> charts.Chart:
    values: dict[str, float | None] = {COVENTRY: 71.25, SWANSEA: 68.5, HARTLEPOOL: 66.125, "E99999999": 1.0}
    return choropleth(
        "Employment rate",
        values,
        topology=topology,
        layer="ltla",
        outline_codes={COVENTRY, HARTLEPOOL},
        unit="%",
        higher_is_better=True,
    )


def areas_by_fill(svg: str) -> dict[str, int]:
    """Fill colour -> number of areas drawn in it (each class is a group of one path per area)."""
    return {fill: body.count("<path ") for fill, body in re.findall(r'<g fill="([^"]+)"[^>]*>(.*?)</g>', svg)}


def test_choropleth_draws_every_current_area(uk_map: charts.Chart, topology: dict[str, Any]) -> None:
    assert_embeddable(uk_map, "Employment rate")
    current = [g for g in topology["objects"]["ltla"]["geometries"] if "end" not in g["properties"]]
    assert sum(areas_by_fill(uk_map.svg).values()) == len(current) > 300
    width, height = view_box(uk_map.svg)
    assert height > width  # Great Britain and Northern Ireland, Shetland at the top
    assert areas_by_fill(uk_map.svg)[charts.NO_DATA_COLOUR] == len(current) - 3
    assert ("#dcdcdc", "No data") in uk_map.legend


def test_choropleth_is_small_and_its_legend_is_text(uk_map: charts.Chart) -> None:
    assert len(uk_map.svg) < 90_000  # the whole UK: under 100 KB of the page
    assert "<text" not in uk_map.svg  # nothing in the picture to be clipped or shrunk
    assert uk_map.legend_title == "Per cent"
    assert [label for _, label in uk_map.legend] == ["66.1%", "68.5%", "71.3%", "No data", "Key Cities member"]


def test_choropleth_table_lists_areas_with_a_value(uk_map: charts.Chart) -> None:
    assert uk_map.columns == ["Area", "Code", "Per cent"]
    assert uk_map.rows == [
        ["Coventry", COVENTRY, "71.3%"],
        ["Swansea", SWANSEA, "68.5%"],
        ["Hartlepool", HARTLEPOOL, "66.1%"],
    ]
    header, *rows = parse_csv(uk_map.csv)
    assert header == ["area_code", "area_name", "value"]
    assert {code: number(value) for code, _, value in rows} == {COVENTRY: 71.25, SWANSEA: 68.5, HARTLEPOOL: 66.125}


def test_choropleth_outlines_members(uk_map: charts.Chart) -> None:
    # A white halo under a dark line, each one path holding both members' outlines.
    assert uk_map.svg.count('fill="none" stroke="white"') == 1
    outline = re.search(r'<path d="([^"]+)" fill="none" stroke="#0b0c0c"', uk_map.svg)
    assert outline is not None and outline.group(1).count("M") >= 2
    assert ("outline", "Key Cities member") in uk_map.legend


def _three_areas(topology: dict[str, Any], values: dict[str, float | None]) -> dict[str, Any]:
    small = {"type": "Topology", "transform": topology["transform"], "arcs": topology["arcs"]}
    small["objects"] = {
        "ltla": {
            "type": "GeometryCollection",
            "geometries": [g for g in topology["objects"]["ltla"]["geometries"] if g["properties"]["areacd"] in values],
        }
    }
    return small


def test_choropleth_darker_is_more_and_the_hue_says_whether_that_is_good(topology: dict[str, Any]) -> None:
    values: dict[str, float | None] = {COVENTRY: 30.0, SWANSEA: 20.0, HARTLEPOOL: 10.0}
    small = _three_areas(topology, values)
    kwargs: dict[str, Any] = {"topology": small, "layer": "ltla", "outline_codes": set(), "unit": "score"}
    good = choropleth("Score", values, higher_is_better=True, **kwargs)
    bad = choropleth("Score", values, higher_is_better=False, **kwargs)
    neutral = choropleth("Score", values, higher_is_better=None, **kwargs)
    # Lowest class first in the legend; the highest value gets the darkest colour of its scale.
    assert [c for c, _ in good.legend] == list(charts.SEQUENTIAL[3])
    assert [c for c, _ in bad.legend] == list(charts.WORSE[3])  # a deprivation score: most deprived darkest
    assert [c for c, _ in neutral.legend] == list(charts.NEUTRAL[3])
    assert "more is worse" in bad.spec["description"]


def test_choropleth_rank_one_is_darkest(topology: dict[str, Any]) -> None:
    values: dict[str, float | None] = {COVENTRY: 3.0, SWANSEA: 2.0, HARTLEPOOL: 1.0}
    small = _three_areas(topology, values)
    kwargs: dict[str, Any] = {"topology": small, "layer": "ltla", "outline_codes": set(), "unit": "rank"}
    # IoD ranks: 1 is the most deprived, and a larger number is better.
    ranks = choropleth("Rank", values, higher_is_better=True, **kwargs)
    assert [label for _, label in ranks.legend] == ["1", "2", "3"]  # no "No data": every area has a value
    assert [c for c, _ in ranks.legend] == list(charts.WORSE[3])[::-1]  # rank 1 (most deprived) darkest red
    assert len(ranks.rows) == 3
    assert sum(areas_by_fill(ranks.svg).values()) == 3


def test_choropleth_draws_the_areas_of_the_year(topology: dict[str, Any]) -> None:
    values: dict[str, float | None] = {CARLISLE: 10.0, CUMBERLAND: 20.0}
    kwargs: dict[str, Any] = {"topology": topology, "layer": "ltla", "outline_codes": set(), "unit": "score"}
    in_2020 = choropleth("Score", values, year=2020, higher_is_better=None, **kwargs)
    assert [row[1] for row in in_2020.rows] == [CARLISLE]  # Cumberland did not exist yet
    today = choropleth("Score", values, higher_is_better=None, **kwargs)
    assert [row[1] for row in today.rows] == [CUMBERLAND]


def test_choropleth_needs_a_known_layer(topology: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="no object"):
        choropleth("T", {}, topology=topology, layer="wards", outline_codes=set(), unit="%", higher_is_better=None)


# --- SVG clean-up --------------------------------------------------------------------------------


def test_compact_paths_keep_every_point() -> None:
    d = "M10.04,20.06L12.5,20.06L12.5,22.449L10.04,20.06ZM0,0L1.26,-3.14Z"
    compact = charts._compact_path(d)
    assert compact == "M10,20.1l2.5,0l0,2.3l-2.5,-2.3zM0,0l1.3,-3.1z"
    x = y = 0.0
    points = []
    for command, a, b in re.findall(r"([Mlz])(-?[\d.]+)?,?(-?[\d.]+)?", compact):
        if command == "z":
            continue
        x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
        points.append((round(x, 1), round(y, 1)))
    originals = [(float(a), float(b)) for a, b in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]
    assert all(
        math.isclose(p[0], o[0], abs_tol=0.051) and math.isclose(p[1], o[1], abs_tol=0.051)
        for p, o in zip(points, originals, strict=True)
    )
    assert charts._compact_path("M0,0A3,3,0,1,1,6,0") == "M0,0A3,3,0,1,1,6,0"  # curves untouched


# --- template ------------------------------------------------------------------------------------


def test_template_shows_the_chart_the_table_and_the_download(line: charts.Chart) -> None:
    html = render_to_string("core/includes/chart.html", {"chart": line, "csv_url": "/data/gva.csv"})
    assert '<figure class="kc-chart' in html
    assert line.svg in html
    assert "<figcaption" in html
    assert '<caption class="govuk-table__caption govuk-table__caption--s">GVA per head, 2019 to 2022</caption>' in html
    assert html.count('<th scope="col"') == 4
    assert html.count('<th scope="row"') == 4
    assert html.count("govuk-table__cell--numeric") == 12
    assert "Scotland &amp; &lt;Islands&gt;</th>" in html  # table text escaped
    assert re.search(r'<th scope="col"[^>]*>\s*</th>', html) is None  # no empty headers
    assert 'href="/data/gva.csv"' in html
    assert "Download the data (CSV)" in html


def test_template_without_a_download(line: charts.Chart) -> None:
    html = render_to_string("core/includes/chart.html", {"chart": line})
    assert "Download the data" not in html
    assert "Show the numbers as a table" in html


@pytest.mark.parametrize(
    ("new", "old", "unit", "expected"),
    [
        (75.2, 71.3, "%", "+3.9 pp"),  # a rate's change in percentage points, without 3.9000000000000057
        (71.3, 75.2, "%", "−3.9 pp"),
        (70.04, 70.0, "%", "0.0 pp"),  # rounds to nothing: no sign
        (369026.0, 366000.0, "persons", "+3,026 (+0.8%)"),  # a level's change, also in per cent
        (31000.3, 31000.6, "£", "£0 (0.0%)"),  # never "−£0"
        (6.04, 6.5, "ratio", "−0.46"),
        (None, 6.5, "ratio", "–"),
    ],
)
def test_format_change(new: float | None, old: float | None, unit: str, expected: str) -> None:
    from keycities.core.charts import format_change

    assert format_change(new, old, unit) == expected


def test_signed_never_reads_minus_zero() -> None:
    from keycities.core.templatetags.hub import signed

    assert signed(-0.3, "£") == "£0"
    assert signed(-1.4, "£m") == "−£1.4m"
    assert signed(2.0, "persons") == "+2"


def test_line_chart_breaks_are_not_drawn_as_growth() -> None:
    series = {"Core Cities": [(2000, 4898178.0), (2001, 5220848.0), (2002, 5238417.0)]}
    breaks = {"Core Cities": {2001: "Belfast counted from 2001."}}
    chart = line_chart("Population", series, unit="persons", breaks=breaks)
    segments = [v["segment"] for v in chart.spec["data"]["values"]]
    assert chart.spec["encoding"]["detail"] == {"field": "segment", "type": "nominal"}
    assert segments == ["Core Cities (0)", "Core Cities (1)", "Core Cities (1)"]
    assert chart.columns[-1] == "Break in the series"
    assert chart.rows[1][-1] == "Core Cities: Belfast counted from 2001."
    header, *rows = parse_csv(chart.csv)
    assert header == ["period", "Core Cities", "break"]
    assert rows[1] == ["2001", "5220848.0", "Core Cities: Belfast counted from 2001."] and rows[0][2] == ""
    plain = line_chart("Population", series, unit="persons")
    assert parse_csv(plain.csv)[0] == ["period", "Core Cities"]


def test_sparkline_is_not_joined_across_a_break() -> None:
    points: list[tuple[int | str, float | None]] = [(2019, 10.0), (2020, 11.0), (2021, 30.0), (2022, 31.0)]
    whole = charts.sparkline(points, unit="persons")
    assert whole.count("<polyline") == 1 and 'aria-label="2019: 10; 2022: 31"' in whole
    broken = charts.sparkline(points, unit="persons", breaks={2021})
    assert broken.count("<polyline") == 2
    assert 'aria-label="2019: 10; 2022: 31; breaks in the series at 2021"' in broken
    # A piece of one period is a dot, not a line.
    assert charts.sparkline(points, unit="persons", breaks={2022}).count("<polyline") == 1
    assert charts.sparkline([(2019, 1.0)], unit="persons") == ""


def test_bar_names_have_room_in_a_wide_font_whatever_vega_measures() -> None:
    # "Liberal Democrat" lost its "L" at 375 px: the browser's font was wider than Vega's metrics.
    names = ["Labour", "Liberal Democrat", "Social Democratic and Labour Party"]
    chart = bar_chart("Share", [(n, 10.0 * i) for i, n in enumerate(names)], unit="%", highlight={names[2]})
    axis = chart.spec["encoding"]["y"]["axis"]
    assert axis["minExtent"] == 6 + charts._text_width(names[2], 14, bold=True)
    # DejaVu Sans, Chromium's fallback on Linux, draws "Liberal Democrat" at 14 px about 122 px wide.
    assert charts._text_width("Liberal Democrat", 14) >= 122


def test_interval_chart_puts_series_side_by_side_with_their_intervals() -> None:
    series = {"Unweighted": [(60.0, 40.0, 77.5), (None, None, None)],
              "Weighted": [(55.0, 35.0, 72.0), (45.0, 28.0, 63.0)]}  # fmt: skip
    chart = charts.interval_chart("Visits", ["Weekly", "Monthly"], series, missing="fewer than 10")
    assert 'role="img" aria-label="Visits"' in chart.svg and BRAND_COLOUR in chart.svg
    assert chart.rows == [["Weekly", "60.0%", "40.0%–77.5%", "55.0%", "35.0%–72.0%"],
                          ["Monthly", "fewer than 10", "", "45.0%", "28.0%–63.0%"]]  # fmt: skip
    assert chart.csv.splitlines()[1:3] == ["Weekly,Unweighted,60.0,40.0,77.5", "Weekly,Weighted,55.0,35.0,72.0"]
    with pytest.raises(ValueError):
        charts.interval_chart("T", ["A"], {"S": [(1.0, 0.0, 2.0), (1.0, 0.0, 2.0)]})
    with pytest.raises(ValueError):
        charts.interval_chart("T", ["A", "A"], {"S": [(1.0, 0.0, 2.0), (1.0, 0.0, 2.0)]})


def test_a_narrow_bar_chart_puts_names_above_bars_in_a_phones_width() -> None:
    """`narrow=True`: about 370 px wide however long the names (a phone shows it at nearly its natural size),
    every name and value written, the same table as the wide chart."""
    long_names = [("Department for Science, Innovation and Technology", 80.0), ("Cabinet Office", 100.0),
                  ("HM Treasury", None)]  # fmt: skip
    chart = bar_chart("Ministers", long_names, unit="%", highlight={"Cabinet Office"}, narrow=True)
    wide = bar_chart("Ministers", long_names, unit="%", highlight={"Cabinet Office"})
    assert_embeddable(chart, "Ministers")
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', chart.svg).group(1))  # type: ignore[union-attr]
    assert width <= 380 < float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', wide.svg).group(1))  # type: ignore[union-attr]
    for text in ("Cabinet Office", "HM Treasury", "100.0%", "80.0%", "no data", "Department for Science"):
        assert text in chart.svg
    assert chart.rows == wide.rows and chart.csv == wide.csv and BRAND_COLOUR in chart.svg
    with pytest.raises(ValueError, match="zero or more"):
        bar_chart("Change", [("Wigan", -13.0)], unit="persons", narrow=True)
