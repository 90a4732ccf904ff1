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
    els("els-gdp-per-head", "ons-regional-gdp-els", "gdp-per-head.csv", "2025-04-17",
        {"Gross domestic product per head at current market price": "gdp-per-head",
         "Gross domestic product per head in chained volume measure": "gdp-per-head-cvm"}),
]  # fmt: skip

INDICATORS.append(
    IndicatorDef("gdp-per-head-cvm", "GDP per head in 2019 money", "Productivity", "£", "ratio",
                 "GDP in chained volume measures (2019 money) divided by the resident population, £.", True,
                 numerator="gdp-cvm", denominator="population", scale=1_000_000),
)  # fmt: skip

AREA_LIST = "ons/els-app/areas-list.json"
AREA_PARENTS = "ons/els-app/areas-parents-lookup.csv"
BOUNDARIES = "ons/els-app/topo.json"
# Country groupings that the statistics publish but the ONS area list omits (their ONS names).
EXTRA_AREAS = {"K03000001": "Great Britain", "K04000001": "England and Wales", "K99000002": "UK less Extra-Regio"}


def source(key: str) -> Source:
    for s in SOURCES:
        if s.key == key:
            return s
    raise KeyError(key)
