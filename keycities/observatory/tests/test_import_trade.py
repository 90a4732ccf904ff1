"""ONS subnational trade in goods and in services, 2022 (Summary Sheet), through the import pipeline.

Small real extracts: the Summary Sheet's title, notes rows and header, and a
handful of real rows, including suppressed ([c]) and not-applicable ([z])
cells. Expected values were read by hand from the bundled workbooks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from keycities.observatory import catalogue, services
from keycities.observatory.models import Area, Observation, Release

from .test_import_workbooks import (
    DATA,
    assert_refused,
    edit_workbook,
    extract_workbook,
    observation,
    prepare,
    values_of,
)

pytestmark = pytest.mark.django_db

GOODS = catalogue.source("ons-trade-goods-2022")
SERVICES = catalogue.source("ons-trade-services-2022")
# UK, England, North East (ITL1), Tees Valley and Durham (ITL2), Hartlepool and Stockton-on-Tees, South Teesside
# (suppressed exports), Coventry (ITL3), Extra-regio (goods) and Unknown (services); West Cumbria (services [c]).
CODES = ("K02000001", "E92000001", "TLC", "TLC1", "TLC11", "TLC12", "TLD11", "TLG33", "K99000003", "K99000001")


def _extract(src: Path, dst: Path) -> Path:
    keep: dict[str, Callable[[int, tuple[Any, ...]], bool] | None] = {
        "Summary Sheet": lambda i, row: i <= 6 or row[1] in CODES,
    }
    return extract_workbook(src, dst, keep)


@pytest.fixture(scope="module")
def goods_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _extract(DATA / GOODS.path, tmp_path_factory.mktemp("trade") / "goods-extract.xlsx")


@pytest.fixture(scope="module")
def services_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _extract(DATA / SERVICES.path, tmp_path_factory.mktemp("trade") / "services-extract.xlsx")


def test_goods_summary_is_imported_with_its_values(tmp_path: Path, goods_extract: Path) -> None:
    prepare(tmp_path, CODES[:2])
    result = services.import_source(GOODS, path=goods_extract)
    release = result.release
    assert release is not None and release.release_date.isoformat() == "2025-02-06"
    assert (
        result.rows == 9 * 9 == Observation.objects.filter(release=release).count()
    )  # 9 areas: the services-only Unknown row is not here
    value = values_of(release)
    assert value("goods-exports", "K02000001", 2022) == (434123, "")
    assert value("goods-imports", "E92000001", 2022) == (478201, "")
    assert value("goods-trade-balance", "K02000001", 2022) == (-206536, "")
    assert value("goods-exports-eu", "TLG33", 2022) == (1082, "")
    assert value("goods-exports-non-eu", "TLG33", 2022) == (2209, "")
    assert value("goods-imports-eu", "TLG33", 2022) == (3055, "")
    assert value("goods-imports-non-eu", "TLG33", 2022) == (1879, "")
    assert value("goods-trade-balance-eu", "TLG33", 2022) == (-1973, "")
    assert value("goods-trade-balance-non-eu", "TLG33", 2022) == (330, "")
    assert value("goods-trade-balance", "TLG33", 2022) == (-1643, "")
    assert value("goods-exports", "TLC11", 2022) == (3477, "")
    # South Teesside: non-EU and total exports and balances are confidential.
    suppressed = observation(release, "goods-exports", "TLC12", 2022)
    assert (suppressed.value, suppressed.status, suppressed.note) == (None, "suppressed", "[c] confidential")
    assert value("goods-imports", "TLC12", 2022) == (1103, "")
    assert Observation.objects.filter(release=release, status="suppressed").count() == 4
    assert value("goods-exports", "K99000003", 2022) == (26857, "")
    names = dict(Area.objects.filter(code__in=["TLC", "TLC1", "TLC11", "K99000003"]).values_list("code", "name"))
    assert names == {"TLC": "North East", "TLC1": "Tees Valley and Durham", "TLC11": "Hartlepool and Stockton-on-Tees",
                     "K99000003": "Extra-regio"}  # fmt: skip


def test_services_summary_is_imported_with_its_values(tmp_path: Path, services_extract: Path) -> None:
    prepare(tmp_path, CODES[:2])
    result = services.import_source(SERVICES, path=services_extract)
    release = result.release
    assert result.rows == 9 * 9  # 9 areas (no K99000003 row)
    value = values_of(release)
    assert value("services-exports", "K02000001", 2022) == (413928, "")
    assert value("services-trade-balance", "E92000001", 2022) == (148738, "")
    assert value("services-exports", "TLG33", 2022) == (1272, "")
    assert value("services-imports-eu", "TLG33", 2022) == (225, "")
    # Tees Valley and Durham: non-EU exports confidential; West Cumbria: non-EU and total imports confidential.
    assert value("services-exports-non-eu", "TLC1", 2022) == (None, "suppressed")
    assert value("services-imports", "TLD11", 2022) == (None, "suppressed")
    assert value("services-exports", "TLD11", 2022) == (411, "")
    # Unknown region: only total imports (gambling imports) are published; the rest is [z], not applicable.
    assert value("services-imports", "K99000001", 2022) == (6171, "")
    unknown = observation(release, "services-exports", "K99000001", 2022)
    assert (unknown.value, unknown.status, unknown.note) == (None, "suppressed", "[z] not applicable")
    assert Area.objects.get(code="K99000001").name == "Unknown region"


def test_goods_and_services_are_two_releases_and_each_is_imported_once(tmp_path: Path, goods_extract: Path,
                                                                       services_extract: Path) -> None:  # fmt: skip
    prepare(tmp_path, CODES[:2])
    releases = Release.objects.filter(dataset__slug="ons-trade-subnational-2022")
    before = releases.count()
    assert services.import_source(GOODS, path=goods_extract).created
    assert not services.import_source(GOODS, path=goods_extract).created
    assert releases.count() == before + 1
    assert services.import_source(SERVICES, path=services_extract).created
    assert releases.count() == before + 2


def _set(cell: str, new: object) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb["Summary Sheet"][cell] = new

    return change


def _empty(wb: Workbook) -> None:
    index = wb.sheetnames.index("Summary Sheet")
    wb.remove(wb["Summary Sheet"])
    wb.create_sheet("Summary Sheet", index)


def _repeat_row(wb: Workbook) -> None:
    ws = wb["Summary Sheet"]
    ws.append([c.value for c in ws[9]])


# In the goods extract, row 6 is the header and rows 7-15 the areas (UK, England, TLC at row 9, ...).
MALFORMED_TRADE = {
    "missing sheet": (lambda wb: setattr(wb["Summary Sheet"], "title", "Summary"), ["has no sheet 'Summary Sheet'"]),
    "renamed header": (_set("K6", "Total Exports"), ["row 6", "Summary Sheet!K6", "'Total Exports' is not one"]),
    "renamed label": (_set("B6", "Area code"), ["row 6", "Summary Sheet!B6", "should be 'ITL code'"]),
    "text in a number cell": (_set("E8", "approx. 131797"), ["row 8", "Summary Sheet!E8", "is not a number"]),
    "unknown marker": (_set("H12", "[low]"), ["row 12", "Summary Sheet!H12", "'[low]' is not a number"]),
    "area code format": (_set("B9", "TLX"), ["row 9", "Summary Sheet!B9", "'TLX' is not a GSS or ITL area code"]),
    "local authority code": (_set("B13", "E08000026"), ["row 13", "Summary Sheet!B13", "is not an area code this"]),
    "empty sheet": (_empty, ["sheet 'Summary Sheet' is empty"]),
    "duplicate row": (_repeat_row, ["row 16", "Summary Sheet!B16", "repeats area TLC", "first at row 9"]),
    "another year": (_set("A1", "Total value of trade in goods in the UK by ITL breakdown, 2023"),
                     ["row 1", "Summary Sheet!A1", "expected a title ending in the year 2022"]),
    "unit not stated": (_set("A5", "Figures in £ thousands"), ["row 6", "does not say 'Figures in £ millions'"]),
}  # fmt: skip


def test_malformed_trade_workbooks_are_refused_and_change_nothing(tmp_path: Path, goods_extract: Path) -> None:
    prepare(tmp_path, CODES[:2])
    for case, (change, fragments) in MALFORMED_TRADE.items():
        assert_refused(GOODS, edit_workbook(goods_extract, tmp_path / f"bad {case}.xlsx", change), *fragments)
    # An ITL3 code in the file's format that no list holds is registered from the file, as ADR 0006 decides;
    # a GSS code that is not in the area list is refused at load.
    bad = edit_workbook(goods_extract, tmp_path / "unknown code.xlsx", _set("B8", "E92000009"))
    assert_refused(GOODS, bad, "row 8", "unknown area code 'E92000009'")
