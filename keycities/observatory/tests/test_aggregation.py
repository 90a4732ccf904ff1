"""Group figures, recomputed by hand from the extract files and compared with
the aggregation's answer."""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics

import pytest

from keycities.network.models import Membership
from keycities.observatory import queries
from keycities.observatory.aggregation import AggregationError, Store, group_figure
from keycities.observatory.tests.conftest import DATA

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)
# Key Cities members' counted areas after April 2023 (Carlisle has none of its own).
MEMBER_AREAS = {
    "blackpool": ["E06000009"], "bournemouth": ["E06000058"], "bradford": ["E08000032"], "coventry": ["E08000026"],
    "derby": ["E06000015"], "doncaster": ["E08000017"], "gloucester": ["E07000081"], "hull": ["E06000010"],
    "kirklees": ["E08000034"], "medway": ["E06000035"], "newport": ["W06000022"], "norwich": ["E07000148"],
    "portsmouth": ["E06000044"], "preston": ["E07000123"], "plymouth": ["E06000026"], "salford": ["E08000006"],
    "southampton": ["E06000045"], "southend": ["E06000033"], "sunderland": ["E08000024"], "swansea": ["W06000011"],
    "tees-valley": ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"], "wakefield": ["E08000036"],
    "wolverhampton": ["E08000031"],
}  # fmt: skip
ALL_CODES = [c for codes in MEMBER_AREAS.values() for c in codes]


def population(year: int) -> dict[str, float]:
    raw = json.loads((DATA / "population-extract.json").read_text())
    return {c: v for c, v, y in zip(raw["areacd"], raw["value"], raw["xDomainNumb"], strict=True) if y == year}


def csv_values(name: str, indicator: str, year: str) -> dict[str, float]:
    with (DATA / name).open(encoding="utf-8") as f:
        rows = [{k.lower(): v for k, v in r.items()} for r in csv.DictReader(f)]
    return {r["areacd"]: float(r["observation"]) for r in rows
            if r["indicator"] == indicator and r["period"].startswith(year) and r["observation"]}  # fmt: skip


def test_population_adds_up_and_says_carlisle_is_missing(registry: None) -> None:
    fig = group_figure("key-cities", "population", 2024, as_of=TODAY)
    by_hand = sum(population(2024)[c] for c in ALL_CODES)
    assert fig.value == by_hand == 6_839_250
    assert len(fig.members) == 23
    assert [m.slug for m in fig.missing] == ["carlisle"]
    assert "Cumberland (E06000063), which is not counted as Carlisle" in fig.missing[0].reason
    assert fig.method == "Sum of the members’ values (counts add up)."
    assert [r.dataset.slug for r in fig.releases] == ["ons-population-estimates"]


def test_tees_valley_is_its_five_authorities(registry: None) -> None:
    fig = group_figure("key-cities", "population", 2024, as_of=TODAY)
    tees = next(m for m in fig.members if m.slug == "tees-valley")
    assert tees.value == 712_858 == population(2024)["E47000006"]  # the combined authority, as a check
    assert tees.areas == MEMBER_AREAS["tees-valley"]


def test_bournemouth_before_2019_is_bcp_on_this_releases_boundaries(registry: None) -> None:
    fig = group_figure("key-cities", "population", 2018)  # membership on 30 June 2018
    bournemouth = next(m for m in fig.members if m.slug == "bournemouth")
    assert bournemouth.areas == ["E06000058"] and bournemouth.value == population(2018)["E06000058"]
    assert "other boundaries" in bournemouth.note and "Christchurch and Poole" in bournemouth.note
    carlisle = next(m for m in fig.missing if m.slug == "carlisle")
    assert "E07000028" in carlisle.reason


def test_membership_is_taken_as_of_the_date(registry: None) -> None:
    with pytest.raises(AggregationError, match="no members recorded on 30 June 2017"):
        group_figure("key-cities", "population", 2017)
    Membership.objects.filter(place__slug="preston", group__slug="key-cities").update(end=dt.date(2020, 12, 31))
    assert len(group_figure("key-cities", "population", 2020).members) == 23  # Carlisle still had its area
    after = group_figure("key-cities", "population", 2021)
    assert "preston" not in [m.slug for m in after.members + after.missing]  # type: ignore[operator]


def test_rates_are_weighted_by_population(registry: None) -> None:
    fig = group_figure("key-cities", "employment-rate", 2023, as_of=TODAY)
    rate, pop = csv_values("employment-extract.csv", "Employment rate", "2023"), population(2023)
    by_hand = sum(rate[c] * pop[c] for c in ALL_CODES) / sum(pop[c] for c in ALL_CODES)
    assert fig.value == pytest.approx(by_hand, abs=1e-9)
    unweighted = statistics.mean(
        sum(rate[c] * pop[c] for c in codes) / sum(pop[c] for c in codes) for codes in MEMBER_AREAS.values()
    )
    assert fig.value != pytest.approx(unweighted, abs=1e-6)  # not an average of the members' rates
    assert "weighted by its population (mid-2023)" in fig.method
    assert "residents aged 16 to 64" in fig.method


def test_medians_are_not_combined(registry: None) -> None:
    fig = group_figure("key-cities", "median-weekly-pay", 2025, as_of=TODAY)
    pay = csv_values("pay-extract.csv", "Gross median weekly pay", "2025")
    assert fig.value is None
    assert fig.method == "Cannot be combined: the members’ range and median are shown."
    tees = next(m for m in fig.members if m.slug == "tees-valley")
    assert (tees.areas, tees.value) == (["E47000006"], pay["E47000006"])
    values = [pay[c[0]] for s, c in MEMBER_AREAS.items() if s != "tees-valley"] + [pay["E47000006"]]
    assert (fig.minimum, fig.median, fig.maximum) == (min(values), statistics.median(values), max(values))


def test_ratios_are_recomputed_from_their_parts(registry: None) -> None:
    fig = group_figure("key-cities", "gdp-per-head", 2023, as_of=TODAY)
    indicator = "Gross domestic product per head at current market price"
    per_head, pop = csv_values("gdp-per-head-extract.csv", indicator, "2023"), population(2023)
    gdp = sum(per_head[c] * pop[c] for c in ALL_CODES)
    assert fig.value == pytest.approx(gdp / sum(pop[c] for c in ALL_CODES), rel=1e-12)
    assert fig.denominator_total == sum(pop[c] for c in ALL_CODES)
    assert "Σ Gross domestic product (GDP) ÷ Σ Population" in fig.method


def test_comparators_and_shares(registry: None) -> None:
    summary = queries.compare_group(queries.indicator("population"), 2024, Store(), as_of=TODAY)  # type: ignore[arg-type]
    found = {c.name: c for c in summary.comparisons}
    assert found["United Kingdom"].value == population(2024)["K02000001"]
    assert found["United Kingdom"].share == pytest.approx(100 * 6_839_250 / population(2024)["K02000001"])
    assert found["Scotland"].value == population(2024)["S92000003"]
    core = ["N09000003", "E08000025", "E06000023", "W06000015", "S12000049", "E08000035", "E08000012", "E08000003",
            "E08000021", "E06000018", "E08000019"]  # fmt: skip
    assert found["Core Cities"].value == sum(population(2024)[c] for c in core)
    assert found["Core Cities"].how == "group figure"
    assert found["Core Cities"].share is None  # not a share: Key Cities is not part of the Core Cities


def test_place_profile_ranks_among_members(registry: None) -> None:
    from keycities.network.models import Place

    rows = {r.indicator.slug: r for r in queries.place_profile(Place.objects.get(slug="coventry"))}
    pop = rows["population"]
    ranked = sorted((population(2024)[c[0]] for s, c in MEMBER_AREAS.items() if s != "tees-valley"), reverse=True)
    tees = sum(population(2024)[c] for c in MEMBER_AREAS["tees-valley"])
    ranked = sorted([*ranked, tees], reverse=True)
    assert (pop.value, pop.previous_value) == (population(2024)["E08000026"], population(2023)["E08000026"])
    assert (pop.rank_members, pop.of_members) == (ranked.index(population(2024)["E08000026"]) + 1, 23)
    assert pop.uk == population(2024)["K02000001"] and pop.region == population(2024)["E12000005"]


def test_kept_figures_follow_the_places_areas_and_the_indicators_definition(registry: None) -> None:
    """Figures are kept per process for the same inputs (aggregation._FIGURES): a change to a member's areas
    or to the indicator's definition is a new input, never an old figure."""
    from keycities.network.models import PlaceArea
    from keycities.observatory.models import Indicator

    before = group_figure("key-cities", "population", 2024, as_of=TODAY)
    assert group_figure("key-cities", "population", 2024, as_of=TODAY).value == before.value == 6_839_250
    # Hull's area ends before 2024: Hull goes missing, and its residents leave the total.
    PlaceArea.objects.filter(place__slug="hull").update(end=dt.date(2020, 1, 1))
    after = group_figure("key-cities", "population", 2024, as_of=TODAY)
    assert "hull" in [m.slug for m in after.missing]
    assert after.value == before.value - population(2024)["E06000010"]
    # The same indicator stated as not combinable: no group figure at all, not the kept sum.
    Indicator.objects.filter(slug="population").update(aggregation="not-combinable")
    assert group_figure("key-cities", "population", 2024, as_of=TODAY).value is None
