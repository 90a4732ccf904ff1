import csv
import io
import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_indicators_list_and_detail(registry: None, client: Client) -> None:
    body = client.get("/api/v1/indicators/?limit=100").json()
    found = {i["slug"]: i for i in body["results"]}
    assert found["population"]["latest_period"] == 2024 and found["population"]["first_period"] == 1998  # GDP tables
    assert found["gdp-per-head"]["numerator"] == "gdp" and found["gdp-per-head"]["denominator"] == "population"
    assert found["employment-rate"]["weight"] == "population-16-64"
    assert found["median-weekly-pay"]["aggregation"] == "not-combinable"
    detail = client.get("/api/v1/indicators/median-weekly-pay").json()
    assert [r["dataset"] for r in detail["releases"]] == ["ons-ashe-pay"]
    assert detail["releases"][0]["licence"] == "Open Government Licence v3.0"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/indicators/?format=csv").content.decode())))
    assert {"population", "employment-rate"} <= {r["slug"] for r in rows}


def test_data_filters_and_release_on_every_row(registry: None, client: Client) -> None:
    body = client.get("/api/v1/data?indicator=population&area=E08000026,W06000011&period=2024").json()
    assert body["count"] == 2
    assert [(r["area_code"], r["value"]) for r in body["results"]] == [("E08000026", 369026.0),
                                                                       ("W06000011", 251304.0)]  # fmt: skip
    assert body["results"][0]["release_dataset"] == "ons-population-estimates"
    assert body["results"][0]["release_date"] == "2025-09-26"
    group = client.get("/api/v1/data?indicator=population&group=key-cities&period=2024&limit=5").json()
    assert group["count"] == 27 and len(group["results"]) == 5 and group["next"]  # 22 single areas + 5 in Tees Valley
    rows = list(csv.DictReader(io.StringIO(b"".join(
        client.get("/api/v1/data?indicator=population&group=key-cities&period=2024&format=csv").streaming_content
    ).decode())))  # fmt: skip
    assert len(rows) == 27 and rows[0]["release_id"]


def test_data_errors(registry: None, client: Client) -> None:
    assert client.get("/api/v1/data").status_code == 422
    assert client.get("/api/v1/data?indicator=happiness").json()["error"]["code"] == "not_found"
    unknown = client.get("/api/v1/data?indicator=population&area=E08000999").json()["error"]
    assert unknown["message"] == "Unknown area code(s): E08000999."
    derived = client.get("/api/v1/data?indicator=gva-per-head")
    assert derived.status_code == 400 and "computed by the Hub" in derived.json()["error"]["message"]


def test_aggregate_names_members_missing_and_method(registry: None, client: Client) -> None:
    body = client.get("/api/v1/groups/key-cities/aggregate?indicator=population&period=2024&as_of=2026-01-01").json()
    assert body["value"] == 6839250 and body["complete"] is False
    assert [m["place"] for m in body["missing"]] == ["carlisle"]
    assert len(body["members"]) == 23 and body["method"].startswith("Sum")
    assert body["releases"][0]["release_date"] == "2025-09-26"
    early = client.get("/api/v1/groups/key-cities/aggregate?indicator=population&period=2016")
    assert early.status_code == 404 and "no members recorded" in early.json()["error"]["message"]
    median = client.get("/api/v1/groups/key-cities/aggregate?indicator=median-weekly-pay&as_of=2026-01-01").json()
    assert median["value"] is None and median["members_median"] is not None and median["period"] == 2025


def test_bulk_download_and_data_package(registry: None, client: Client) -> None:
    package = json.loads(client.get("/api/v1/download/datapackage.json").content)
    assert [r["name"] for r in package["resources"]] == ["observations", "areas", "indicators", "releases"]
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    obs = package["resources"][0]
    assert {"fields": "area_code", "reference": {"resource": "areas", "fields": "code"}} in obs["schema"]["foreignKeys"]
    response = client.get("/api/v1/download/releases.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["dataset"] for r in rows} >= {"ons-population-estimates", "ons-ashe-pay"}
    assert client.get("/api/v1/download/secrets.csv").status_code == 404


def test_data_pages_are_cached_until_a_release_is_imported(registry: None, client: Client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from keycities.observatory import services
    from keycities.observatory.tests.conftest import extract_source

    url = "/api/v1/data?indicator=population&area=E08000026&period=2024"
    assert client.get(url).json()["results"][0]["value"] == 369026.0
    source, path = extract_source("els-population")
    revised = tmp_path / "population-count.json"
    revised.write_text(path.read_text().replace("369026", "369027"), encoding="utf-8")
    services.import_source(source, path=revised, release_date=dt.date(2026, 9, 25))
    assert [r["value"] for r in client.get(url).json()["results"]] == [369027.0]  # the newest vintage; no stale page
    values = [r["value"] for r in client.get(url + "&releases=all").json()["results"]]
    assert values == [369026.0, 369027.0]  # both vintages, each with its release
