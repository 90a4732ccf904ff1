"""Evidence a Minister can rely on (ADR 0025): shares of the geography the members are in, one release per
series or a marked break, the true reason for every missing member, and one row per area and period from
`/api/v1/data`. Every expected figure is recomputed here from the extract files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from keycities.network.models import Place
from keycities.observatory import catalogue, queries, services
from keycities.observatory.aggregation import Store, Value, _suppressed, group_figure
from keycities.observatory.models import Release
from keycities.observatory.tests.conftest import DATA
from keycities.observatory.tests.test_aggregation import ALL_CODES, TODAY, csv_values, population

pytestmark = pytest.mark.django_db

WELSH = ["W06000022", "W06000011"]  # Newport, Swansea
ENGLISH = [c for c in ALL_CODES if c not in WELSH]
CORE_CITIES = ["N09000003", "E08000025", "E06000023", "W06000015", "S12000049", "E08000035", "E08000012",
               "E08000003", "E08000021", "E06000018", "E08000019"]  # fmt: skip


def release_of(dataset: str) -> Release:
    return Release.objects.get(dataset__slug=dataset)


# --------------------------------------------------------------------------- shares follow geography


def test_a_group_across_nations_gets_a_uk_share_and_each_nation_its_own_members_share(registry: None) -> None:
    summary = queries.compare_group(queries.indicator("population"), 2024, Store(), as_of=TODAY)  # type: ignore[arg-type]
    found = {c.name: c for c in summary.comparisons}
    pop = population(2024)
    uk = 100 * sum(pop[c] for c in ALL_CODES) / pop["K02000001"]
    england = 100 * sum(pop[c] for c in ENGLISH) / pop["E92000001"]
    wales = 100 * sum(pop[c] for c in WELSH) / pop["W92000004"]
    assert found["United Kingdom"].share == pytest.approx(uk)
    assert found["United Kingdom"].share_label == f"Key Cities: {uk:.1f}% of the UK’s population"
    assert found["England"].share == pytest.approx(england)
    assert found["England"].share_label == f"English members: {england:.1f}% of England’s population"
    assert found["Wales"].share == pytest.approx(wales)  # not Key Cities' 6.8 million over Wales's 3.2 million
    assert found["Wales"].share_label == f"Welsh members: {wales:.1f}% of Wales’s population"
    assert found["Scotland"].share is None and found["Scotland"].share_label == ""  # no Scottish members
    assert found["Core Cities"].share is None  # another group is not a geography the members are in
    assert all(c.share is None or c.share < 100 for c in summary.comparisons)


def test_the_indicator_page_labels_the_shares(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    england = 100 * sum(population(2024)[c] for c in ENGLISH) / population(2024)["E92000001"]
    assert f"English members: {england:.1f}% of England’s population" in html
    assert "of it)" not in html


# --------------------------------------------------------------------------- one release per series


@pytest.fixture
def gdp_2021(registry: None) -> None:
    """The ITL workbook (GDP and population for ITL regions, to 2021) and the April 2025 GDP per head file's
    2021 rows for the same areas as the session's extract."""
    services.import_source(catalogue.source("ons-gdp-itl"))
    services.import_source(catalogue.source("els-gdp-per-head"), path=DATA / "gdp-per-head-2021-extract.csv")


def test_gdp_per_head_2021_uses_the_newest_release_that_covers_the_members(gdp_2021: None) -> None:
    fig = group_figure("key-cities", "gdp-per-head", 2021, as_of=TODAY)
    per_head = csv_values("gdp-per-head-2021-extract.csv", "Gross domestic product per head at current market price",
                          "2021")  # fmt: skip
    pop = population(2021)
    by_hand = sum(per_head[c] * pop[c] for c in ALL_CODES) / sum(pop[c] for c in ALL_CODES)
    assert fig.value == pytest.approx(by_hand, rel=1e-12)
    assert fig.releases[0].dataset.slug == "ons-regional-gdp-els"  # not the ITL workbook, which has no districts
    assert [m.slug for m in fig.missing] == ["carlisle"]
    assert not any("other boundaries" in m.reason for m in fig.missing if m.slug != "carlisle")


def test_a_release_that_stops_earlier_says_not_yet_published(registry: None) -> None:
    la_workbook = release_of("ons-regional-gdp-la")  # 1998 to 2020
    fig = group_figure("key-cities", "population", 2021, as_of=TODAY, release=la_workbook)
    coventry = next(m for m in fig.missing if m.slug == "coventry")
    assert coventry.reason == (
        "Regional gross domestic product (GDP): local authorities (Office for National Statistics, released 30 May "
        "2022) does not yet publish E08000026 for 2021: its latest figure is for 2020."
    )


def test_a_publisher_that_does_not_cover_a_nation_says_so(registry: None) -> None:
    fig = group_figure("core-cities", "employment-rate", 2023, as_of=TODAY)
    belfast = next(m for m in fig.missing if m.slug == "belfast")
    assert belfast.reason == (
        "LI01 Regional labour market: local indicators (Office for National Statistics, released 16 April 2024) "
        "does not cover Northern Ireland: it publishes figures for England, Wales and Scotland only."
    )
    rate, pop = csv_values("employment-extract.csv", "Employment rate", "2023"), population(2023)
    counted = [c for c in CORE_CITIES if c != "N09000003"]
    assert fig.value == pytest.approx(sum(rate[c] * pop[c] for c in counted) / sum(pop[c] for c in counted))


@pytest.mark.parametrize(("note", "says"), [
    ("[c] confidential", "suppressed by the publisher as confidential (“c”)"),
    ("[u] low reliability", "suppressed by the publisher as unreliable (“u”)"),
    ("[x] not available", "marked not available by the publisher (“x”)"),
    ("", "blank in this release, with no reason given"),
])  # fmt: skip
def test_a_suppressed_figure_gives_the_publishers_marker(note: str, says: str) -> None:
    place = Place(slug="hull", name="Hull")
    missing = _suppressed(place, ["E06000010"], 2023, {"E06000010": Value(None, "suppressed", note)})
    assert missing.reason == f"The figure for E06000010 in 2023 is {says}."


def test_core_cities_population_series_marks_the_change_of_release(registry: None) -> None:
    ind = queries.indicator("population")
    points = {p.period: p for p in queries.group_series(ind, "core-cities", Store(), as_of=TODAY)}  # type: ignore[arg-type]
    assert points[2017].value == sum(population(2017)[c] for c in CORE_CITIES)
    assert points[2016].release.dataset.slug == "ons-regional-gdp-la"  # type: ignore[union-attr]
    assert points[2017].release.dataset.slug == "ons-population-estimates"  # type: ignore[union-attr]
    assert points[2017].break_reason == (
        "From 2017 the figures come from Mid-year population estimates (26 September 2025); before, from Regional "
        "gross domestic product (GDP): local authorities (30 May 2022)."
    )
    assert [p for p, point in points.items() if point.is_break] == [2017]


def test_the_series_csv_says_where_it_breaks(registry: None, client: Client) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/evidence/population/series.csv").content.decode())))
    by_period = {r["period"]: r for r in rows}
    assert by_period["2017"]["break"].startswith("Key Cities: From 2017 the figures come from Mid-year population")
    assert "Core Cities: From 2017" in by_period["2017"]["break"]
    assert by_period["2018"]["break"] == ""
    assert float(by_period["2018"]["Core Cities"]) == sum(population(2018)[c] for c in CORE_CITIES)


# --------------------------------------------------------------------------- /api/v1/data


def test_data_returns_one_row_per_area_and_period_by_default(registry: None, client: Client) -> None:
    url = "/api/v1/data?indicator=population&group=key-cities&period=2020&limit=100"
    preferred = client.get(url).json()
    every = client.get(url + "&releases=all").json()
    pairs = [(r["area_code"], r["period"]) for r in preferred["results"]]
    assert len(pairs) == len(set(pairs)) == preferred["count"]
    assert every["count"] > preferred["count"]  # both vintages of the same areas
    pop = population(2020)
    for row in preferred["results"]:
        if row["area_code"] in pop:  # the newer release publishes it: its figure, not the 2022 workbook's
            assert (row["release_dataset"], row["value"]) == ("ons-population-estimates", pop[row["area_code"]])
        else:  # Carlisle (E07000028) is only in the 2022 workbook
            assert (row["area_code"], row["release_dataset"]) == ("E07000028", "ons-regional-gdp-la")
    la = release_of("ons-regional-gdp-la").pk
    one = client.get(f"{url}&release={la}").json()
    assert {r["release_id"] for r in one["results"]} == {la}
    assert one["count"] == every["count"] - len(pop.keys() & {r["area_code"] for r in preferred["results"]})


# --------------------------------------------------------------------------- words and numbers


def test_profile_changes_in_rates_are_in_percentage_points(registry: None) -> None:
    rows = {r.indicator.slug: r for r in queries.place_profile(Place.objects.get(slug="coventry"), as_of=TODAY)}
    rate = rows["employment-rate"]
    now = csv_values("employment-extract.csv", "Employment rate", "2023")["E08000026"]
    before = csv_values("employment-extract.csv", "Employment rate", "2022")["E08000026"]
    exact = Decimal(str(now)) - Decimal(str(before))
    assert rate.change == float(exact)  # no float artefacts
    sign = "+" if exact > 0 else "−" if exact < 0 else ""
    assert rate.change_text == f"{sign}{abs(exact):.1f} pp"
    pop = rows["population"]
    grew = population(2024)["E08000026"] - population(2023)["E08000026"]
    pct = 100 * grew / population(2023)["E08000026"]
    assert pop.change_text == f"+{grew:,.0f} (+{pct:.1f}%)"


def test_pages_take_the_membership_date(registry: None, client: Client) -> None:
    default = client.get("/evidence/population/").content.decode()
    assert "membership as of" in default and "(today, the default" in default
    dated = client.get("/evidence/population/?as_of=2020-06-30").content.decode()
    assert "membership as of 30 June 2020." in dated
    assert 'value="2020-06-30"' in dated
    profile = client.get("/evidence/places/coventry/?as_of=2020-06-30").content.decode()
    assert "Ranks among members use the members on 30 June 2020." in profile
    compare = client.get("/evidence/compare/?indicator=population&groups=key-cities&as_of=2020-06-30")
    assert "Groups use their members on 30 June 2020 throughout" in compare.content.decode()
    assert "That is today, the default." not in compare.content.decode()
    plain = client.get("/evidence/compare/?indicator=population&groups=key-cities").content.decode()
    assert "That is today, the default." in plain


def test_membership_date_changes_the_members_ranked(registry: None) -> None:
    from keycities.network.models import Membership

    Membership.objects.filter(place__slug="preston", group__slug="key-cities").update(end=dt.date(2020, 12, 31))
    coventry = Place.objects.get(slug="coventry")
    today = {r.indicator.slug: r for r in queries.place_profile(coventry, as_of=TODAY)}["population"]
    earlier = {r.indicator.slug: r for r in queries.place_profile(coventry, as_of=dt.date(2020, 6, 30))}["population"]
    assert (today.of_members, earlier.of_members) == (22, 23)


def test_indicators_list_years_actually_served(gdp_2021: None, client: Client) -> None:
    """The ITL workbook has GVA for 2021 for regions only; the pages serve local authority years (to 2020)."""
    body = client.get("/api/v1/indicators/?limit=200").json()
    found = {i["slug"]: i for i in body["results"]}
    assert (found["gva"]["first_period"], found["gva"]["latest_period"]) == (1998, 2020)
    served = json.loads((DATA / "population-extract.json").read_text())["xDomainNumb"]
    assert found["population"]["latest_period"] == max(served)
    assert "1998–2020" in client.get("/evidence/").content.decode()


@pytest.fixture
def iod(registry: None) -> None:
    services.import_source(catalogue.source("mhclg-iod-2019"))


def test_iod_ranks_are_shown_as_published_and_welsh_members_are_not_covered(iod: None) -> None:
    store = Store()
    published = queries.indicator("imd-rank-average-score")
    rows, _releases = queries.area_values(published, 2019, store)  # type: ignore[arg-type]
    assert all(r.rank == round(r.value) for r in rows if r.value is not None)  # the rank as published
    assert rows[0].rank == 1 and rows[0].name == "Blackpool"  # 1 = most deprived
    profile = {r.indicator.slug: r for r in queries.place_profile(Place.objects.get(slug="coventry"), store,
                                                                   as_of=TODAY)}  # fmt: skip
    assert (profile["imd-rank-average-score"].rank_all, profile["imd-rank-average-score"].rank_members) == (None, None)
    score = profile["imd-average-score"]
    assert score.rank_all == profile["imd-rank-average-score"].value  # the Hub's ranking of scores agrees
    fig = group_figure("key-cities", "imd-average-score", 2019, as_of=TODAY, store=store)
    assert "not a share" in fig.method and "The rate is a share" not in fig.method
    assert {m.slug: m.reason for m in fig.missing if m.slug in ("newport", "swansea")} == dict.fromkeys(
        ("newport", "swansea"),
        "English indices of deprivation 2019: local authority district summaries (Ministry of Housing, Communities "
        "and Local Government, released 26 September 2019) does not cover Wales: it publishes figures for England "
        "only.",
    )


def test_indices_say_their_unit(registry: None, client: Client) -> None:
    body = client.get("/api/v1/indicators/gdp-cvm-index").json()
    assert body["unit"] == "index-2019"
    from keycities.observatory.models import Unit

    assert Unit("index-2019").label == "index, 2019 = 100"


def test_uk_totals_on_the_page_say_why_they_differ_from_data(gdp_2021: None, client: Client) -> None:
    """The page's (and claims') UK total is on the members' release; the ITL release's own total differs."""
    from keycities.core.charts import format_value
    from keycities.observatory.aggregation import area_figure

    store, ind = Store(), queries.indicator("gva")
    summary = queries.compare_group(ind, 2020, store, as_of=TODAY)  # type: ignore[arg-type]
    uk = next(c for c in summary.comparisons if c.name == "United Kingdom")
    claims_total = area_figure("United Kingdom", ind, 2020, summary.key_cities.releases[0], store)  # type: ignore[arg-type]
    assert uk.value == claims_total.value  # type: ignore[union-attr]
    published = client.get("/api/v1/data?indicator=gva&area=UK&period=2020").json()["results"]
    assert len(published) == 1 and published[0]["release_dataset"] == "ons-regional-gdp-itl"
    assert published[0]["value"] != uk.value
    assert f"Other releases publish {format_value(published[0]['value'], '£m')} (Regional gross domestic product " \
           "(GDP): all ITL regions, 25 April 2023, including Extra-Regio)" in uk.how  # fmt: skip


def test_series_api_marks_breaks(registry: None, client: Client) -> None:
    body = client.get("/api/v1/groups/core-cities/series?indicator=population&as_of=2026-11-26").json()
    points = {p["period"]: p for p in body["points"]}
    assert points[2018]["value"] == sum(population(2018)[c] for c in CORE_CITIES)
    assert points[2018]["release_dataset"] == "ons-population-estimates" and not points[2018]["is_break"]
    assert points[2017]["is_break"] and points[2017]["break_reason"].startswith("From 2017 the figures come from")
    assert len(points[2018]["members_counted"]) == 11 and body["value_kind"] == "group figure"
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/groups/core-cities/series?indicator=population&format=csv").content.decode())))  # fmt: skip
    assert [r["period"] for r in rows if r["is_break"] == "True"] == ["2017"]
    assert client.get("/api/v1/groups/nobody/series?indicator=population").status_code == 404


# --------------------------------------------------------------------------- the right base for rates


def ages_16_to_64_census() -> dict[str, float]:
    from django.conf import settings

    path = settings.BASE_DIR / "data/ons/population-by-age/census2021-ts007-ltla.csv"
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    return {r["geography code"]: float(sum(int(r[f"Age: Aged {a} years; measures: Value"]) for a in range(16, 65)))
            for r in rows}  # fmt: skip


def ages_16_to_64_mye() -> dict[str, float]:
    from django.conf import settings
    from openpyxl import load_workbook

    wb = load_workbook(settings.BASE_DIR / "data/ons/population-by-age/mye22final.xlsx", read_only=True)
    rows = list(wb["MYE2 - Persons"].iter_rows(values_only=True))
    header = list(rows[7])
    columns = [header.index(str(a)) for a in range(16, 65)]
    return {r[0]: float(sum(r[c] for c in columns)) for r in rows[8:] if r[0]}


@pytest.fixture
def ages(registry: None) -> None:
    services.sync_catalogue()
    services.import_source(catalogue.source("ons-census-2021-age"))
    services.import_source(catalogue.source("ons-mye-2022-age"))


def test_rates_are_weighted_by_residents_aged_16_to_64(ages: None) -> None:
    rate = csv_values("employment-extract.csv", "Employment rate", "2023")
    base = ages_16_to_64_mye()  # mid-2022, the nearest year with ages to 2023
    fig = group_figure("key-cities", "employment-rate", 2023, as_of=TODAY)
    assert fig.value == pytest.approx(sum(rate[c] * base[c] for c in ALL_CODES) / sum(base[c] for c in ALL_CODES))
    assert "weighted by its population aged 16 to 64 (2022, the nearest year with figures to 2023)" in fig.method
    by_total = sum(rate[c] * population(2023)[c] for c in ALL_CODES) / sum(population(2023)[c] for c in ALL_CODES)
    assert fig.value != pytest.approx(by_total, abs=1e-6)  # the base matters
    assert {r.dataset.slug for r in fig.releases} == {"ons-local-labour-market", "ons-population-estimates-by-age"}


def test_without_ages_for_an_area_the_nearest_year_stands_in(ages: None) -> None:
    """Census 2021 covers England and Wales: Glasgow's 2021 weight comes from mid-2022, and the method says so."""
    from keycities.observatory.aggregation import _nearest_weights

    store, ind = Store(), queries.indicator("population-16-64")
    weights, year_of, _releases = _nearest_weights(store, ind, 2021, {"E08000026", "S12000049"})  # type: ignore[arg-type,misc]
    assert (weights["E08000026"].value, year_of["E08000026"]) == (ages_16_to_64_census()["E08000026"], 2021)
    assert (weights["S12000049"].value, year_of["S12000049"]) == (ages_16_to_64_mye()["S12000049"], 2022)
    from keycities.observatory.aggregation import _years_said

    said = _years_said(ind, 2021, list(year_of.values()))  # type: ignore[arg-type]
    assert said == "2021; 2022 for areas without 2021 figures"


def test_population_aged_16_to_64_is_imported_from_both_files(ages: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from keycities.core.errors import DataFileError
    from keycities.observatory.models import Observation

    def held(code: str, period: int) -> float | None:
        found = Observation.objects.filter(indicator__slug="population-16-64", area__code=code, period=period)
        return found.values_list("value", flat=True).first()

    assert held("E08000026", 2021) == ages_16_to_64_census()["E08000026"]  # Coventry, Census 2021
    assert held("K02000001", 2022) == ages_16_to_64_mye()["K02000001"]  # the UK, mid-2022
    assert held("S12000049", 2022) == ages_16_to_64_mye()["S12000049"]  # Glasgow
    assert held("E11000007", 2022) is None  # metropolitan counties are left out
    source = catalogue.source("ons-census-2021-age")
    lines = (services.DATA_DIR / source.path).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    wrong = tmp_path / "census.csv"
    wrong.write_text(lines[0] + lines[1].replace("2021", "2022", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="expected 2021"):
        list(source.read(wrong, source))


def test_sums_have_no_float_artefacts() -> None:
    from keycities.observatory.aggregation import exact_sum

    assert exact_sum([4.1, 16.2]) == 20.3 != 4.1 + 16.2
    assert exact_sum([0.1, 0.2]) == 0.3


def test_profile_marks_a_change_across_releases(ages: None) -> None:
    rows = {r.indicator.slug: r for r in queries.place_profile(Place.objects.get(slug="coventry"), as_of=TODAY)}
    base = rows["population-16-64"]
    now, before = ages_16_to_64_mye()["E08000026"], ages_16_to_64_census()["E08000026"]
    assert (base.period, base.value, base.previous_value) == (2022, now, before)
    assert base.change_text == f"+{now - before:,.0f} (+{100 * (now - before) / before:.1f}%)"
    assert base.change_break == (
        "From 2022 the figures come from Mid-year population estimates by single year of age and sex (26 March "
        "2024); before, from Census 2021: age by single year of age (TS007) (2 November 2022)."
    )
    assert rows["population"].change_break == ""  # one release for both years


def test_a_member_without_a_weight_says_so(registry: None) -> None:
    from keycities.observatory.aggregation import Context, _weighted_parts
    from keycities.observatory.models import Indicator

    hull = Place.objects.get(slug="hull")
    rate = {"E06000010": Value(csv_values("employment-extract.csv", "Employment rate", "2023")["E06000010"], "")}
    store = Store()
    ctx = Context(store, release_of("ons-local-labour-market"), Indicator.objects.get(slug="employment-rate"))
    parts, missing = _weighted_parts([hull], 2023, rate, {}, ctx)
    assert (
        parts == []
        and missing[0].reason == "The Hub holds no weight for E06000010 to combine its figure with the others’."
    )
