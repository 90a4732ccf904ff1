"""What the observatory measures and where each bundled figure comes from.

`INDICATORS` defines each indicator once: unit, how it may be aggregated
(DESIGN.md §2), definition and direction. `DATASETS` and `SOURCES` name every
bundled file with its publisher and release date. The import command creates
or updates the indicators and datasets from here and loads each source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .importers import ons_csv, ons_json
from .importers.base import Source

OGL = "Open Government Licence v3.0"
ONS = "Office for National Statistics"


@dataclass(frozen=True)
class IndicatorDef:
    slug: str
    name: str
    topic: str
    unit: str
    aggregation: str
    definition: str
    higher_is_better: bool | None
    caveats: str = ""
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    weight: str | None = None
    base: str = ""
    derived: bool = False
    period_label: str = "{year}"
    extra: dict[str, str] = field(default_factory=dict)


WEIGHTED_BY_POPULATION = (
    "The group figure weights each member's rate by its total resident population (mid-year estimate), because "
    "the population aged 16 to 64 that the rate is a share of is not in the bundled data; it approximates the "
    "rate for the group as a whole."
)

INDICATORS: list[IndicatorDef] = [
    IndicatorDef(
        "population",
        "Population",
        "People",
        "persons",
        "sum",
        "Mid-year estimate of the total number of people living in the area.",
        None,
        period_label="mid-{year}",
    ),
    IndicatorDef(
        "gva",
        "Gross value added (GVA)",
        "Economy",
        "£m",
        "sum",
        "Balanced gross value added at current basic prices: the value of goods and services produced in "
        "the area, less what was used up in producing them. £ million.",
        True,
        caveats="The latest year is provisional and is revised in later releases.",
    ),
    IndicatorDef(
        "gdp",
        "Gross domestic product (GDP)",
        "Economy",
        "£m",
        "sum",
        "GDP at current market prices: GVA plus taxes on products less subsidies on products. £ million.",
        True,
    ),
    IndicatorDef(
        "gdp-cvm",
        "GDP in 2019 money (chained volume)",
        "Economy",
        "£m",
        "sum",
        "GDP in chained volume measures, in 2019 money: GDP with the effect of price changes removed. £ million.",
        True,
    ),
    IndicatorDef(
        "gdp-real-growth",
        "Real GDP growth",
        "Economy",
        "%",
        "growth",
        "Year-on-year change in GDP in chained volume measures (price changes removed), per cent.",
        True,
        numerator="gdp-cvm",
        caveats="For a group, growth is recomputed from the members' summed GDP in 2019 money; growth "
        "rates are never averaged.",
    ),
    IndicatorDef(
        "gdp-per-head",
        "GDP per head",
        "Productivity",
        "£",
        "ratio",
        "GDP at current market prices divided by the resident population, £.",
        True,
        numerator="gdp",
        denominator="population",
        scale=1_000_000,
        caveats="Commuting flows inflate GDP per head where many workers live elsewhere.",
    ),
    IndicatorDef(
        "gva-per-head",
        "GVA per head",
        "Productivity",
        "£",
        "ratio",
        "Gross value added divided by the resident population, £. Computed by the Hub from the two "
        "published series of the same release.",
        True,
        numerator="gva",
        denominator="population",
        scale=1_000_000,
        derived=True,
    ),
    IndicatorDef(
        "gva-per-filled-job",
        "GVA per filled job",
        "Productivity",
        "£",
        "not-combinable",
        "Gross value added (current prices) divided by the number of filled jobs, £.",
        True,
        caveats="The number of filled jobs is not in the bundled data, so a group figure cannot be "
        "recomputed from its parts; the members' range and median are shown instead.",
    ),
    IndicatorDef(
        "gva-per-hour",
        "GVA per hour worked",
        "Productivity",
        "£",
        "not-combinable",
        "Gross value added (current prices) divided by the number of hours worked, £.",
        True,
        caveats="Hours worked are not in the bundled data, so a group figure cannot be recomputed from "
        "its parts; the members' range and median are shown instead.",
    ),
    IndicatorDef(
        "employment-rate",
        "Employment rate",
        "Work",
        "%",
        "weighted-mean",
        "Percentage of people aged 16 to 64 in employment (Annual Population Survey).",
        True,
        weight="population",
        base="residents aged 16 to 64",
        caveats=WEIGHTED_BY_POPULATION,
    ),
    IndicatorDef(
        "economic-inactivity-rate",
        "Economic inactivity rate",
        "Work",
        "%",
        "weighted-mean",
        "Percentage of people aged 16 to 64 who are neither in work nor looking for work (Annual Population Survey).",
        False,
        weight="population",
        base="residents aged 16 to 64",
        caveats=WEIGHTED_BY_POPULATION,
    ),
    IndicatorDef(
        "claimant-rate",
        "Claimant count rate",
        "Work",
        "%",
        "weighted-mean",
        "People claiming unemployment-related benefits as a percentage of residents aged 16 to 64.",
        False,
        weight="population",
        base="residents aged 16 to 64",
        caveats=WEIGHTED_BY_POPULATION,
    ),
    IndicatorDef(
        "median-weekly-pay",
        "Median weekly pay",
        "Work",
        "£",
        "not-combinable",
        "Gross median weekly pay of employees who live in the area (Annual Survey of Hours and Earnings), £.",
        True,
        period_label="April {year}",
        caveats="Medians cannot be combined: the members' range and median are shown, not a group median.",
    ),
    IndicatorDef(
        "house-price-to-earnings",
        "House price to earnings ratio",
        "Housing",
        "ratio",
        "not-combinable",
        "Median house price divided by the median annual earnings of residents.",
        False,
        caveats="A ratio of two medians cannot be combined across areas: the members' range and median are shown.",
    ),
    IndicatorDef(
        "exports",
        "Exports of goods and services",
        "Trade",
        "£m",
        "sum",
        "Estimated value of exports of goods and services, £ million.",
        True,
        caveats="Published for ITL regions and combined authorities only, not for local authorities; "
        "some cells are suppressed.",
    ),
]


DATASETS: dict[str, dict[str, str]] = {
    "ons-population-estimates": {
        "title": "Mid-year population estimates",
        "publisher": ONS,
        "source_url": "https://www.nomisweb.co.uk/datasets/pestsyoala",
        "geography": "Local authorities on April 2023 boundaries, combined authorities, regions, nations, UK",
    },
    "ons-subregional-productivity": {
        "title": "Subregional productivity: labour productivity indices by UK ITL2 and ITL3 subregions",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/labourproductivity/datasets/"
        "subregionalproductivitylabourproductivitygvaperhourworkedandgvaperfilledjobindicesbyuknuts2"
        "andnuts3subregions",
        "geography": "Local authorities on April 2023 boundaries, combined authorities, ITL1 regions",
    },
    "ons-local-labour-market": {
        "title": "LI01 Regional labour market: local indicators",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/employmentandemployeetypes/"
        "datasets/li01regionallabourmarketlocalindicatorsforcountieslocalandunitaryauthorities",
        "geography": "Local authorities on April 2023 boundaries, regions, nations, UK",
    },
    "ons-claimant-count": {
        "title": "Claimant Count",
        "publisher": ONS,
        "source_url": "https://www.nomisweb.co.uk/sources/cc",
        "geography": "Local authorities on April 2023 boundaries, regions, nations, UK",
    },
    "ons-ashe-pay": {
        "title": "Annual Survey of Hours and Earnings: median weekly pay by place of residence",
        "publisher": ONS,
        "source_url": "https://www.nomisweb.co.uk/datasets/asher",
        "geography": "Local authorities on April 2023 boundaries, regions, nations, UK",
    },
    "ons-housing-affordability": {
        "title": "Housing affordability in England and Wales",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/peoplepopulationandcommunity/housing/datasets/"
        "ratioofhousepricetoresidencebasedearningslowerquartileandmedian",
        "geography": "Local authorities in England and Wales on April 2023 boundaries",
    },
    "ons-trade-regions-cities": {
        "title": "International trade in UK nations, regions and cities",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/businessindustryandtrade/internationaltrade/datasets/"
        "internationaltradeinuknationsregionsandcities",
        "geography": "ITL1, ITL2 and ITL3 regions (2025 codes) and combined authorities",
    },
    "ons-regional-gdp-els": {
        "title": "Regional gross domestic product: GDP per head",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/economy/grossdomesticproductgdp/datasets/"
        "regionalgrossdomesticproductlocalauthorities",
        "geography": "Local authorities on April 2023 boundaries, combined authorities, ITL regions, UK",
    },
}
for _d in DATASETS.values():
    _d.setdefault("licence", OGL)


def els(key: str, dataset: str, file: str, released: str, indicators: dict[str, str]) -> Source:
    return Source(key=key, dataset=dataset, path=f"ons/els-data/{file}", read=ons_csv.read,
                  release_date=released, indicators=indicators)  # fmt: skip


SOURCES: list[Source] = [
    Source(key="els-population", dataset="ons-population-estimates", path="ons/els-app/population-count.json",
           read=ons_json.read_population, release_date="2025-09-26",
           indicators={"population-indicators-Population count": "population"}),
    els("els-gva", "ons-subregional-productivity", "gross-value-added.csv", "2025-06-19",
        {"Gross value added per filled job": "gva-per-filled-job",
         "Gross value added per hour worked": "gva-per-hour"}),
    els("els-employment", "ons-local-labour-market", "employment-rate.csv", "2024-04-16",
        {"Employment rate": "employment-rate", "Economically inactive": "economic-inactivity-rate"}),
    els("els-claimant-count", "ons-claimant-count", "claimant-count.csv", "2026-01-20",
        {"Claimant Count": "claimant-rate"}),
    els("els-pay", "ons-ashe-pay", "gross-median-weekly-pay.csv", "2025-10-23",
        {"Gross median weekly pay": "median-weekly-pay"}),
    els("els-affordability", "ons-housing-affordability", "housing-affordability-ratio.csv", "2026-03-26",
        {"Housing affordability ratio (residence-based)": "house-price-to-earnings"}),
    els("els-exports", "ons-trade-regions-cities", "total-value-of-uk-exports.csv", "2025-08-06",
        {"Value of UK exports": "exports"}),
    Source(key="els-gdp-per-head", dataset="ons-regional-gdp-els", path="ons/els-data/gdp-per-head.csv",
           read=ons_csv.read, release_date="2025-04-17",
           indicators={"Gross domestic product per head at current market price": "gdp-per-head",
                       "Gross domestic product per head in chained volume measure": "gdp-per-head-cvm"},
           # The release's metadata says "2023 data are provisional"; the CSV does not mark them.
           options={"provisional_periods": [2023]}),
]  # fmt: skip

INDICATORS.append(
    IndicatorDef("gdp-per-head-cvm", "GDP per head, chained volume measures", "Productivity", "£", "ratio",
                 "GDP in chained volume measures (price changes removed) divided by the resident population, £.",
                 True, numerator="gdp-cvm", denominator="population", scale=1_000_000,
                 caveats="The April 2025 release describes its series as 2019 money, but its values equal current "
                         "prices in 2022, which indicates a 2022 reference year. Compare levels only within one "
                         "release; use it for growth over time."),
)  # fmt: skip

AREA_LIST = "ons/els-app/areas-list.json"
AREA_PARENTS = "ons/els-app/areas-parents-lookup.csv"
BOUNDARIES = "ons/els-app/topo.json"
# Country groupings that the statistics publish but the ONS area list omits (their ONS names).
# Each is a name, or (name, last year the area existed).
EXTRA_AREAS: dict[str, str | tuple[str, int]] = {
    "K03000001": "Great Britain", "K04000001": "England and Wales", "K99000002": "UK less Extra-Regio",
}  # fmt: skip


def source(key: str) -> Source:
    for s in SOURCES:
        if s.key == key:
            return s
    raise KeyError(key)


# ----------------------------------------------------------------------------------------------------------------
# Regional GDP workbooks, English and Welsh indices of deprivation, subnational trade 2022.
# Appended as one block, leaving the entries above untouched; hence this import is not at the top (E402).
from .importers import deprivation, ons_workbook, trade  # noqa: E402

MHCLG = "Ministry of Housing, Communities and Local Government"

PRODUCT_TAXES = (
    "ONS allocates the UK's taxes and subsidies on products to areas in its regional accounts; they are not the "
    "taxes collected, or subsidies paid, in the area."
)
INDEX_2019 = (
    "An index of the area against its own 2019 level, so it shows change over time, not how areas compare; it "
    "cannot be combined across areas from the published tables. The values are index points (2019 = 100)."
)
INDICATORS.extend([
    IndicatorDef("vat-on-products", "VAT on products", "Economy", "£m", "sum",
                 "Value added tax (VAT) on products at current prices, £ million: one of the three adjustments that "
                 "turn gross value added into GDP (GDP = GVA + VAT + other taxes on products − subsidies on "
                 "products).", None, caveats=PRODUCT_TAXES),
    IndicatorDef("other-taxes-on-products", "Other taxes on products", "Economy", "£m", "sum",
                 "Taxes on products other than VAT, such as excise duties, at current prices, £ million; added to "
                 "gross value added to reach GDP.", None, caveats=PRODUCT_TAXES),
    IndicatorDef("subsidies-on-products", "Subsidies on products", "Economy", "£m", "sum",
                 "Subsidies paid per unit of a good or service produced or sold, at current prices, £ million; "
                 "subtracted from gross value added to reach GDP.", None, caveats=PRODUCT_TAXES),
    IndicatorDef("gva-implied-deflator", "GVA implied deflator (2019 = 100)", "Economy", "index-2019", "not-combinable",
                 "Index of the prices of what the area produces: whole-economy gross value added at current prices "
                 "divided by GVA in chained volume measures, with 2019 = 100. ONS uses it to take price changes out "
                 "of GDP.", None, caveats=INDEX_2019),
    IndicatorDef("gdp-cvm-index", "GDP volume index (2019 = 100)", "Economy", "index-2019", "not-combinable",
                 "GDP in chained volume measures (price changes removed) as an index of the area's own 2019 level: "
                 "90 means real GDP 10% below 2019.", None, caveats=INDEX_2019),
    IndicatorDef("gdp-per-head-real-growth", "Real GDP per head growth", "Productivity", "%", "not-combinable",
                 "Year-on-year change in GDP per head in chained volume measures (price changes removed), per cent.",
                 True,
                 caveats="Shown member by member, not as a group figure: a group's growth would have to be "
                 "recomputed from its GDP per head in 2019 money (summed GDP over summed population) in each year, "
                 "which the Hub does not do yet; growth rates are never averaged. ONS suppressed growth from 2020 "
                 "to 2021 in the April 2023 ITL release as unreliable, because Census 2021 broke the population "
                 "series of some areas."),
])  # fmt: skip

# English Indices of Deprivation 2019, File 10: (slug part, sheet, header prefix, name, what it measures, score).
IOD_DOMAINS = [
    (
        "imd",
        "IMD",
        "IMD",
        "Index of Multiple Deprivation",
        "The IMD combines seven domains of deprivation, weighted: income and employment 22.5% each, education and "
        "health 13.5% each, crime, barriers to housing and services and living environment 9.3% each.",
        "The score has no fixed scale.",
    ),
    (
        "income",
        "Income",
        "Income",
        "Income deprivation",
        "The domain measures the share of people on low incomes (in families receiving means-tested benefits or "
        "tax credits).",
        "Its score is the proportion of the population that is income deprived (0.2 = 20%).",
    ),
    (
        "employment",
        "Employment",
        "Employment",
        "Employment deprivation",
        "The domain measures working-age people involuntarily out of work: unemployed, or unable to work through "
        "sickness, disability or caring.",
        "Its score is the proportion of the working-age population that is employment deprived.",
    ),
    (
        "education",
        "Education",
        "Education, Skills and Training",
        "Education, skills and training deprivation",
        "The domain measures the lack of attainment and skills among children and young people and among adults.",
        "Its score is on the domain's own points scale.",
    ),
    (
        "health",
        "Health",
        "Health Deprivation and Disability",
        "Health deprivation and disability",
        "The domain measures the risk of premature death and of a life impaired by poor physical or mental health.",
        "Its score is a standardised score around zero (below zero: less deprived than the average small area).",
    ),
    (
        "crime",
        "Crime",
        "Crime",
        "Crime",
        "The domain measures the risk of personal and material victimisation.",
        "Its score is a standardised score around zero (below zero: less deprived than the average small area).",
    ),
    (
        "barriers",
        "Barriers",
        "Barriers to Housing and Services",
        "Barriers to housing and services",
        "The domain measures the physical and financial accessibility of housing and of local services.",
        "Its score is on the domain's own points scale.",
    ),
    (
        "living",
        "Living",
        "Living Environment",
        "Living environment deprivation",
        "The domain measures the quality of the local environment: housing in poor condition or without central "
        "heating, air quality and road traffic accidents.",
        "Its score is on the domain's own points scale.",
    ),
    (
        "idaci",
        "IDACI",
        "IDACI",
        "Income deprivation affecting children (IDACI)",
        "The supplementary index measures children aged 0 to 15 living in income-deprived families.",
        "Its score is the proportion of children aged 0 to 15 living in income-deprived families.",
    ),
    (
        "idaopi",
        "IDAOPI",
        "IDAOPI",
        "Income deprivation affecting older people (IDAOPI)",
        "The supplementary index measures people aged 60 and over who are income deprived.",
        "Its score is the proportion of people aged 60 and over who are income deprived.",
    ),
]  # fmt: skip
IOD_ABOUT = (
    "From the English Indices of Deprivation 2019 (MHCLG), which rank England's 32,844 small areas (lower-layer "
    "super output areas, LSOAs, 2011 boundaries); most of the underlying data are for 2015/16."
)
IOD_RELATIVE = (
    "A relative measure: it ranks areas within England, and cannot be compared with the Welsh, Scottish or "
    "Northern Irish indices, nor read as a change in absolute deprivation. Districts are on 2019 boundaries "
    "(Buckinghamshire's four districts and Northamptonshire's seven have since been abolished)."
)
IOD_WEIGHTED = (
    " MHCLG averages a district's small areas weighted by their population; a group figure weights each member's "
    "average by its mid-year population, which approximates the average MHCLG would publish for the combined area."
)
IOD_RANK = "Rank among England's 317 districts (2019 boundaries): 1 is the most deprived."
IOD_FRACTIONS = {"imd-extent"}


def _iod(slug: str, name: str, unit: str, aggregation: str, definition: str, higher_is_better: bool,
         caveats: str = IOD_RELATIVE, weight: str | None = None, base: str = "") -> IndicatorDef:  # fmt: skip
    return IndicatorDef(slug, name, "Deprivation", unit, aggregation, definition, higher_is_better, caveats=caveats,
                        weight=weight, base=base)  # fmt: skip


IOD_COLUMNS: dict[str, str] = {}  # "sheet!header" -> slug
for _part, _sheet, _prefix, _name, _what, _score in IOD_DOMAINS:
    _s = "imd" if _part == "imd" else f"iod-{_part}"
    _weighted = {"weight": "population", "base": "residents"}  # MHCLG's weights: each LSOA's population
    INDICATORS.extend([
        _iod(f"{_s}-average-score", f"{_name}: average score", "score", "weighted-mean",
             f"Population-weighted average of the {_name.lower()} scores of the district's small areas (LSOAs); "
             f"higher means more deprived. {_what} {_score} {IOD_ABOUT}", False,
             caveats=IOD_RELATIVE + IOD_WEIGHTED, **_weighted),
        _iod(f"{_s}-rank-average-score", f"{_name}: rank of average score", "rank", "not-combinable",
             f"{IOD_RANK} Districts ranked by their {_name.lower()} average score. {IOD_ABOUT}", True),
        _iod(f"{_s}-average-rank", f"{_name}: average rank", "rank", "weighted-mean",
             f"Population-weighted average of the national {_name.lower()} ranks of the district's small areas, "
             "with the ranks reversed for this measure (the most deprived of the 32,844 small areas counts "
             f"32,844), so a higher average rank means more deprivation. {IOD_ABOUT}", False,
             caveats=IOD_RELATIVE + IOD_WEIGHTED, **_weighted),
        _iod(f"{_s}-rank-average-rank", f"{_name}: rank of average rank", "rank", "not-combinable",
             f"{IOD_RANK} Districts ranked by the average rank of their small areas. {IOD_ABOUT}", True),
        _iod(f"{_s}-share-most-deprived-10pc", f"{_name}: share of small areas in the most deprived 10%", "%",
             "not-combinable",
             f"Percentage of the district's small areas (LSOAs) that are among the 10% most deprived in England on "
             f"the {_name.lower()} measure. MHCLG publishes it as a proportion (0.36); the Hub shows per cent (36). "
             f"{IOD_ABOUT}", False,
             caveats=IOD_RELATIVE + " The number of small areas in each district is not in the bundled data, so a "
             "group figure cannot be recomputed; the members' range and median are shown."),
        _iod(f"{_s}-rank-share-most-deprived-10pc", f"{_name}: rank of share in the most deprived 10%", "rank",
             "not-combinable",
             f"{IOD_RANK} Districts ranked by the share of their small areas in England's most deprived 10%; "
             f"districts with the same share have the same rank. {IOD_ABOUT}", True),
    ])  # fmt: skip
    IOD_FRACTIONS.add(f"{_s}-share-most-deprived-10pc")
    IOD_COLUMNS.update({
        f"{_sheet}!{_prefix} - Average score": f"{_s}-average-score",
        f"{_sheet}!{_prefix} - Rank of average score": f"{_s}-rank-average-score",
        f"{_sheet}!{_prefix} - Average rank": f"{_s}-average-rank",
        f"{_sheet}!{_prefix} - Rank of average rank": f"{_s}-rank-average-rank",
        f"{_sheet}!{_prefix} - Proportion of LSOAs in most deprived 10% nationally": f"{_s}-share-most-deprived-10pc",
        f"{_sheet}!{_prefix} - Rank of proportion of LSOAs in most deprived 10% nationally":
            f"{_s}-rank-share-most-deprived-10pc",
    })  # fmt: skip

INDICATORS.extend([
    _iod("imd-extent", "Index of Multiple Deprivation: extent", "%", "weighted-mean",
         "Percentage of the district's population living in England's most deprived small areas: everyone in the "
         "most deprived 10% of LSOAs, and a share of those in the next 20% that falls on a sliding scale from the "
         "11th to the 30th percentile. MHCLG publishes it as a proportion; the Hub shows per cent. " + IOD_ABOUT,
         False, caveats=IOD_RELATIVE + IOD_WEIGHTED, weight="population", base="residents"),
    _iod("imd-rank-extent", "Index of Multiple Deprivation: rank of extent", "rank", "not-combinable",
         f"{IOD_RANK} Districts ranked by extent; districts with the same extent have the same rank. {IOD_ABOUT}",
         True),
    _iod("imd-local-concentration", "Index of Multiple Deprivation: local concentration", "rank", "not-combinable",
         "Population-weighted average of the national IMD ranks of the district's most deprived small areas that "
         "together hold 10% of its population, with the ranks reversed (the most deprived small area counts "
         "32,844): how deprived its worst-off neighbourhoods are. " + IOD_ABOUT, False,
         caveats=IOD_RELATIVE + " It depends on which small areas are the worst 10% of each district, so it cannot "
         "be recomputed for a group."),
    _iod("imd-rank-local-concentration", "Index of Multiple Deprivation: rank of local concentration", "rank",
         "not-combinable", f"{IOD_RANK} Districts ranked by local concentration. {IOD_ABOUT}", True),
    _iod("iod-income-scale", "Income deprivation: number of people", "persons", "sum",
         "Number of people in the district who are income deprived (the income scale). " + IOD_ABOUT, False),
    _iod("iod-income-rank-scale", "Income deprivation: rank of number of people", "rank", "not-combinable",
         "Rank among England's 317 districts (2019 boundaries) by the number of income-deprived people: 1 is the "
         "largest number. " + IOD_ABOUT, True),
    _iod("iod-employment-scale", "Employment deprivation: number of people", "persons", "sum",
         "Number of working-age people in the district who are employment deprived (the employment scale), "
         "averaged over the year's quarters, so not always a whole number. " + IOD_ABOUT, False),
    _iod("iod-employment-rank-scale", "Employment deprivation: rank of number of people", "rank", "not-combinable",
         "Rank among England's 317 districts (2019 boundaries) by the number of employment-deprived people: 1 is "
         "the largest number. " + IOD_ABOUT, True),
])  # fmt: skip
IOD_COLUMNS.update({
    "IMD!IMD 2019 - Extent": "imd-extent",
    "IMD!IMD 2019 - Rank of extent": "imd-rank-extent",
    "IMD!IMD 2019 - Local concentration": "imd-local-concentration",
    "IMD!IMD 2019 - Rank of local concentration": "imd-rank-local-concentration",
    "Income!Income scale": "iod-income-scale",
    "Income!Rank of Income Scale": "iod-income-rank-scale",
    "Employment!Employment scale": "iod-employment-scale",
    "Employment!Rank of Employment Scale": "iod-employment-rank-scale",
})  # fmt: skip

WIMD_COMPUTED = (
    "Computed by the Hub from the Welsh Index of Multiple Deprivation 2019 (Welsh Government), which scores "
    "Wales's 1,909 small areas (lower-layer super output areas, LSOAs, 2011 boundaries)."
)
INDICATORS.extend([
    IndicatorDef("wimd-average-score", "Welsh Index of Multiple Deprivation: average score", "Deprivation", "score",
                 "not-combinable",
                 "The WIMD 2019 score of a local authority, computed by the Hub: the unweighted mean of the scores of "
                 "the area's small areas (LSOAs). Higher means more deprived. " + WIMD_COMPUTED, False,
                 derived=True,
                 caveats="Not an official statistic: the Welsh Government publishes ranks of small areas and advises "
                 "using ranks rather than scores. Each small area counts once, whatever its population. Not "
                 "comparable with the English IMD scores."),
    IndicatorDef("wimd-share-most-deprived-10pc", "Welsh Index of Multiple Deprivation: share of small areas in "
                 "the most deprived 10%", "Deprivation", "%", "not-combinable",
                 "Percentage of the local authority's small areas (LSOAs) that are among the 10% most deprived in "
                 "Wales on WIMD 2019, that is ranks 1 to 191 of 1,909, computed by the Hub. " + WIMD_COMPUTED, False,
                 derived=True,
                 caveats="The file's scores are rounded to one decimal place and three small areas tie at the 10% "
                 "boundary (score 44.0); the file lists them in rank order, and that order decides. Relative to "
                 "Wales: not comparable with England's indices."),
])  # fmt: skip

TRADE_ABOUT = {
    "goods": "ONS experimental estimates for 2022, which apportion each business's trade in goods (HMRC data by "
    "industry) to its local units by their employment.",
    "services": "ONS experimental estimates for 2022, which allocate businesses' trade in services to the areas "
    "where they operate.",
}  # fmt: skip
TRADE_CAVEATS = (
    "Experimental statistics, for ITL regions (2021 codes), England and the UK only, not local authorities. Some "
    "cells are suppressed as confidential. Smaller areas may not add up to larger ones because of rounding."
)
SERVICES_IMPORTS = (
    " Travel imports are counted for ITL1 regions and the UK but not for ITL2 and ITL3 areas, which therefore do "
    "not add up to their region."
)
TRADE_FLOWS = {  # slug part -> (workbook column, name, higher is better, what it is)
    "exports": ("Exports", "exports", True, "Value of the area's exports of {kind}"),
    "imports": ("Imports", "imports", None, "Value of the area's imports of {kind}"),
    "trade-balance": (
        "Balance",
        "trade balance",
        None,
        "The area's trade balance in {kind} (exports minus imports, as published; a negative figure is a deficit)",
    ),
}  # fmt: skip
TRADE_PARTNERS = {  # slug suffix -> (workbook column prefix, words by flow)
    "": (
        "Total",
        {
            "exports": " to other countries",
            "imports": " from other countries",
            "trade-balance": " with other countries",
        },
    ),
    "-eu": ("EU", {"exports": " to the EU", "imports": " from the EU", "trade-balance": " with the EU"}),
    "-non-eu": (
        "Non-EU",
        {
            "exports": " to countries outside the EU",
            "imports": " from countries outside the EU",
            "trade-balance": " with countries outside the EU",
        },
    ),
}  # fmt: skip
EU = " (the 27 member countries and the EU's institutions)"
TRADE_COLUMNS: dict[str, dict[str, str]] = {"goods": {}, "services": {}}  # kind -> workbook column -> slug
for _kind in TRADE_COLUMNS:
    for _flow, (_column, _name, _higher, _what) in TRADE_FLOWS.items():
        for _suffix, (_partner, _words) in TRADE_PARTNERS.items():
            _slug = f"{_kind}-{_flow}{_suffix}"
            TRADE_COLUMNS[_kind][f"{_partner} - {_column}"] = _slug
            INDICATORS.append(IndicatorDef(
                _slug, f"{_kind.capitalize()} {_name}{_words[_flow] if _suffix else ''}", "Trade", "£m", "sum",
                f"{_what.format(kind=_kind)}{_words[_flow]}{EU if _suffix == '-eu' else ''}, £ million. "
                f"{TRADE_ABOUT[_kind]}", _higher,
                caveats=TRADE_CAVEATS + (SERVICES_IMPORTS if _kind == "services" and _flow != "exports" else ""),
            ))  # fmt: skip

DATASETS.update({
    "ons-regional-gdp-la": {
        "title": "Regional gross domestic product (GDP): local authorities",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/economy/grossdomesticproductgdp/datasets/"
        "regionalgrossdomesticproductlocalauthorities",
        "geography": "Local authorities on April 2021 boundaries",
        "description": "Reference tables of 'Regional economic activity by gross domestic product, UK: 1998 to "
        "2020': GVA, taxes and subsidies on products, GDP, population, GDP per head, deflators and chained volume "
        "measures for 374 local authorities. The latest year (2020) is provisional. No UK or nation totals.",
        "licence": OGL,
    },
    "ons-regional-gdp-itl": {
        "title": "Regional gross domestic product (GDP): all ITL regions",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/economy/grossdomesticproductgdp/datasets/"
        "regionalgrossdomesticproductallnutslevelregions",
        "geography": "ITL regions (2021 codes) and the UK",
        "description": "The same thirteen tables for the UK (code UK, including Extra-Regio), UK less Extra-Regio "
        "(published as UKX, stored as K99000002), England (TLB), Extra-Regio (TLZ) and the ITL1, ITL2 and ITL3 "
        "regions, 1998 to 2021. The latest year (2021) is provisional.",
        "licence": OGL,
    },
    "mhclg-iod-2019": {
        "title": "English indices of deprivation 2019: local authority district summaries",
        "publisher": MHCLG,
        "source_url": "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        "geography": "English local authority districts on 2019 boundaries",
        "description": "File 10 (lower-tier local authority summaries): for the IMD, its seven domains and the two "
        "supplementary indices, each district's average rank, average score, share of small areas in the most "
        "deprived 10% and their ranks; for the IMD also extent and local concentration; for income and "
        "employment the number of deprived people.",
        "licence": OGL,
    },
    "welsh-government-wimd-2019": {
        "title": "Welsh Index of Multiple Deprivation 2019: index and domain scores by small area",
        "publisher": "Welsh Government",
        "source_url": "https://www.gov.wales/welsh-index-multiple-deprivation-full-index-update-ranks-2019",
        "geography": "Welsh local authorities (computed from 2011 LSOAs)",
        "description": "Scores of the 1,909 small areas (LSOAs) of Wales. The Hub computes two local authority "
        "summaries from them: the mean score and the share of small areas in the most deprived 10%.",
        "licence": OGL,
    },
    "ons-trade-subnational-2022": {
        "title": "International trade in UK nations, regions and cities: 2022",
        "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/businessindustryandtrade/internationaltrade/bulletins/"
        "internationaltradeinuknationsregionsandcities/latest",
        "geography": "ITL1, ITL2 and ITL3 regions (2021 codes), England and the UK",
        "description": "The summary sheets of the subnational trade in goods and trade in services workbooks "
        "(experimental statistics): imports, exports and balance with the EU, outside the EU and in total, 2022. "
        "The workbooks' industry and partner-country tables are not imported.",
        "licence": OGL,
    },
})  # fmt: skip

# Areas the statistics publish that the ONS area list omits, with the names the files give them.
EXTRA_AREAS.update({
    # IoD 2019 districts abolished since, not in the ONS area list, with the last year they existed
    # (Buckinghamshire's on 1 April 2020, Northamptonshire's on 1 April 2021).
    "E07000004": ("Aylesbury Vale", 2019), "E07000005": ("Chiltern", 2019), "E07000006": ("South Bucks", 2019),
    "E07000007": ("Wycombe", 2019), "E07000150": ("Corby", 2020), "E07000151": ("Daventry", 2020),
    "E07000152": ("East Northamptonshire", 2020), "E07000153": ("Kettering", 2020),
    "E07000154": ("Northampton", 2020), "E07000155": ("South Northamptonshire", 2020),
    "E07000156": ("Wellingborough", 2020),
    # Subnational trade 2022: trade not allocated to a region.
    "K99000001": "Unknown region", "K99000003": "Extra-regio",
})  # fmt: skip

GDP_TABLES = {
    "Table 1": "gva", "Table 2": "vat-on-products", "Table 3": "other-taxes-on-products",
    "Table 4": "subsidies-on-products", "Table 5": "gdp", "Table 6": "population", "Table 7": "gdp-per-head",
    "Table 8": "gva-implied-deflator", "Table 9": "gdp-cvm-index", "Table 10": "gdp-cvm",
    "Table 11": "gdp-per-head-cvm", "Table 12": "gdp-real-growth", "Table 13": "gdp-per-head-real-growth",
}  # fmt: skip
GDP_OPTIONS: dict[str, object] = {
    "titles": {
        "Table 1": "Gross Value Added (Balanced) at current basic prices, pounds million",
        "Table 2": "Value Added Tax (VAT) on products, pounds million",
        "Table 3": "Other taxes on products, pounds million",
        "Table 4": "Subsidies on products, pounds million",
        "Table 5": "Gross Domestic Product (GDP) at current market prices, pounds million",
        "Table 6": "Total resident population numbers, persons",
        "Table 7": "Gross Domestic Product (GDP) per head at current market prices, pounds",
        "Table 8": "Whole economy GVA implied deflators, 2019 equals 100",
        "Table 9": "Gross Domestic Product (GDP) chained volume measures (CVM) index, 2019 equals 100",
        "Table 10": "(CVM) in 2019 money value, pounds million",
        "Table 11": "(CVM) in 2019 money value, per head, pounds",
        "Table 12": "(CVM) annual growth rates, percentage",
        "Table 13": "(CVM) per head annual growth rates, percentage",
    },
    "ignored_sheets": ("Information", "Contents", "Notes"),
    "provisional": ("Information", "The latest year's data are provisional."),
}
TRADE_OPTIONS: dict[str, object] = {
    "sheet": "Summary Sheet", "labels": ("ITL level", "ITL code", "ITL name"), "code_label": "ITL code",
    "name_label": "ITL name", "code_prefixes": ("K02", "E92", "K99", "TL"), "period": 2022,
    "unit_note": "Figures in £ millions",
}  # fmt: skip

SOURCES.extend([
    Source(key="ons-gdp-la", dataset="ons-regional-gdp-la",
           path="ons/regional-gdp-la/regionalgrossdomesticproductgdplocalauthorities_1998to2020.xlsx",
           read=ons_workbook.read, release_date="2022-05-30", indicators=GDP_TABLES,
           options={**GDP_OPTIONS, "labels": ("ITL1 Region", "LA code", "LA name"), "code_label": "LA code",
                    "name_label": "LA name", "code_prefixes": ("E06", "E07", "E08", "E09", "W06", "S12", "N09")}),
    Source(key="ons-gdp-itl", dataset="ons-regional-gdp-itl",
           path="ons/regional-gdp-itl/regionalgrossdomesticproductgdpallitlregions_1998to2021.xlsx",
           read=ons_workbook.read, release_date="2023-04-25", indicators=GDP_TABLES,
           options={**GDP_OPTIONS, "labels": ("ITL", "ITL code", "Region name"), "code_label": "ITL code",
                    "name_label": "Region name", "code_prefixes": ("TL", "UK"),
                    "recode": {"UKX": "K99000002"}, "extra_codes": ("TLZ",),
                    "markers": {"u": ("suppressed", "u: suppressed as unreliable (the workbook's note 5)")}}),
    Source(key="mhclg-iod-2019", dataset="mhclg-iod-2019",
           path="mhclg/iod2019-england/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
           read=deprivation.read_iod, release_date="2019-09-26", indicators=IOD_COLUMNS,
           options={"period": 2019, "code_label": "Local Authority District code (2019)",
                    "name_label": "Local Authority District name (2019)", "code_prefixes": ("E06", "E07", "E08", "E09"),
                    "ignored_sheets": ("Notes",), "fractions": tuple(sorted(IOD_FRACTIONS))}),
    Source(key="wimd-2019", dataset="welsh-government-wimd-2019",
           path="welsh-government/wimd2019/wimd-2019-index-and-domain-scores.csv",
           read=deprivation.read_wimd, release_date="2019-11-27",
           options={"period": 2019, "expected_rows": 1909, "area_list": AREA_LIST,
                    "header": ("lsoa", "LSOA Name", "Local Authority Name", "WIMD 2019", "Income", "Employment",
                               "Health", "Education", "Access to Services", "Housing", "Community Safety",
                               "Physical Environment"),
                    "code_label": "lsoa", "la_label": "Local Authority Name", "score_label": "WIMD 2019",
                    "average": "wimd-average-score", "share_most_deprived": "wimd-share-most-deprived-10pc"}),
    Source(key="ons-trade-goods-2022", dataset="ons-trade-subnational-2022",
           path="ons/subnational-trade-2022/subnationaltradeingoods2022.xlsx", read=trade.read,
           release_date="2025-02-06", indicators=TRADE_COLUMNS["goods"], options=TRADE_OPTIONS),
    Source(key="ons-trade-services-2022", dataset="ons-trade-subnational-2022",
           path="ons/subnational-trade-2022/subnationaltradeinservices2022.xlsx", read=trade.read,
           release_date="2025-02-06", indicators=TRADE_COLUMNS["services"], options=TRADE_OPTIONS),
])  # fmt: skip

# ----------------------------------------------------------------------------------------------------------------
# Population by age (ADR 0025 and issue 9 item 11): residents aged 16 to 64, the base of the employment,
# inactivity and claimant rates, from Census 2021 (England and Wales) and the mid-2022 estimates (UK).
# Appended as one block, leaving the entries above untouched.
from .importers import population_age  # noqa: E402

INDICATORS.append(
    IndicatorDef("population-16-64", "Population aged 16 to 64", "People", "persons", "sum",
                 "Residents aged 16 to 64: the sum of the single years of age 16 to 64 published by ONS (Census 2021 "
                 "for England and Wales; mid-year estimates by single year of age). The base of the employment, "
                 "economic inactivity and claimant rates.", None,
                 caveats="Ages are published for 2021 (Census) and mid-2022 only in the bundled data. Census 2021 "
                 "figures are protected by small perturbations, so they may differ from other Census tables by a "
                 "few people."),
)  # fmt: skip
WEIGHTED_BY_AGE = (
    "The group figure weights each member's rate by its residents aged 16 to 64, the population the rate is a "
    "share of. Ages are held for 2021 (Census, England and Wales) and mid-2022 (UK) only; every other year uses "
    "the nearest of those years, and each figure's method says which."
)
for _ind in INDICATORS:
    if _ind.slug in ("employment-rate", "economic-inactivity-rate", "claimant-rate"):
        INDICATORS[INDICATORS.index(_ind)] = IndicatorDef(**{**_ind.__dict__, "weight": "population-16-64",
                                                             "caveats": WEIGHTED_BY_AGE})  # fmt: skip
DATASETS.update({
    "ons-census-2021-age": {
        "title": "Census 2021: age by single year of age (TS007)", "publisher": ONS,
        "source_url": "https://www.nomisweb.co.uk/sources/census_2021_bulk",
        "geography": "Local authorities in England and Wales on 2021 boundaries", "licence": OGL,
        "description": "Usual residents on Census Day, 21 March 2021, by single year of age (Nomis bulk file "
        "census2021-ts007). The Hub sums ages 16 to 64.",
    },
    "ons-population-estimates-by-age": {
        "title": "Mid-year population estimates by single year of age and sex", "publisher": ONS,
        "source_url": "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/"
        "populationestimates/datasets/populationestimatesforukenglandandwalesscotlandandnorthernireland",
        "geography": "UK, nations, regions, counties and local authorities on April 2023 boundaries", "licence": OGL,
        "description": "Sheet MYE2 - Persons of the mid-2022 workbook. The Hub sums ages 16 to 64.",
    },
})  # fmt: skip
AGE_OPTIONS: dict[str, object] = {"indicator": "population-16-64", "age_from": 16, "age_to": 64}
SOURCES.extend([
    Source(key="ons-census-2021-age", dataset="ons-census-2021-age",
           path="ons/population-by-age/census2021-ts007-ltla.csv", read=population_age.read_census,
           release_date="2022-11-02", options={**AGE_OPTIONS, "period": 2021}),
    Source(key="ons-mye-2022-age", dataset="ons-population-estimates-by-age",
           path="ons/population-by-age/mye22final.xlsx", read=population_age.read_mye,
           release_date="2024-03-26", options={**AGE_OPTIONS, "period": 2022, "sheet": "MYE2 - Persons",
                    "skip_geographies": ("Metropolitan County",)}),
])  # fmt: skip
