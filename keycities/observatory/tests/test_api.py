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


# --------------------------------------------------------------------------- /data's JSON, written without json.dumps


def previous_data_page(url: str) -> bytes:
    """The page as /data built it before it wrote its JSON itself: the rows through the ORM as dicts, paginated by
    `core.api.paginate` and encoded by `json.dumps` (the reference the fast path must equal byte for byte)."""
    from urllib.parse import parse_qs, urlsplit

    from django.db.models import F, Window
    from django.db.models.functions import RowNumber
    from django.test import RequestFactory

    from keycities.core.api import ListParams, paginate
    from keycities.observatory import queries
    from keycities.observatory.aggregation import Store
    from keycities.observatory.api import _vintages_overlap
    from keycities.observatory.models import Indicator, Observation, Release

    q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    page = ListParams(**{k: q[k] for k in ("limit", "offset") if k in q})
    ind = Indicator.objects.get(slug=q["indicator"])
    qs = Observation.objects.filter(indicator=ind)
    if "area" in q:
        qs = qs.filter(area__code__in=[c.strip() for c in q["area"].split(",") if c.strip()])
    if "group" in q:
        qs = qs.filter(area__code__in=queries.member_area_codes(q["group"]).keys())
    period = int(q["period"]) if "period" in q else None
    if period is not None:
        qs = qs.filter(period=period)
    if "release" in q:
        qs = qs.filter(release_id=int(q["release"]))
    elif q.get("releases", "preferred") == "preferred" and _vintages_overlap(Store(), ind.pk, period):
        newest_first = [F("release__release_date").desc(), F("release__imported_at").desc(), F("release_id").desc()]
        qs = qs.annotate(vintage=Window(RowNumber(), partition_by=[F("area_id"), F("period")],
                                        order_by=newest_first)).filter(vintage=1)  # fmt: skip
    qs = qs.order_by("area__code", "period", "release_id")
    releases = {r.pk: r for r in Release.objects.select_related("dataset")}

    def row(o: Observation) -> dict[str, object]:
        r = releases[o.release_id]
        return {"indicator": ind.slug, "area_code": o.area.code, "area_name": o.area.name, "period": o.period,
                "value": o.value, "lower_ci": o.lower_ci, "upper_ci": o.upper_ci, "status": o.status, "note": o.note,
                "release_id": o.release_id, "release_dataset": r.dataset.slug,
                "release_date": r.release_date.isoformat()}  # fmt: skip

    return json.dumps(paginate(RequestFactory().get(url), qs.select_related("area"), page, row)).encode()


def test_data_json_is_what_the_orm_and_json_dumps_gave(registry: None, client: Client) -> None:
    from django.core.cache import cache

    from keycities.observatory.models import Area, Observation, Release

    # Text that JSON escapes (a Welsh letter, quotes, a backslash) and confidence intervals, on one row.
    Area.objects.filter(code="W06000011").update(name='Abertawe "Swansea" \\ Ŵ')
    Observation.objects.filter(area__code="W06000011", indicator__slug="population", period=2024).update(
        lower_ci=250000.5, upper_ci=1e16, note="ONS: “c” – suppressed", status="provisional"
    )
    older = Release.objects.filter(dataset__slug="ons-regional-gdp-la").get().pk
    urls = [
        "/api/v1/data?indicator=population&area=E08000026,W06000011&period=2024",
        "/api/v1/data?indicator=population&group=key-cities&period=2020&limit=100",  # two vintages: the preferred
        "/api/v1/data?indicator=population&group=key-cities&period=2020&releases=all",
        f"/api/v1/data?indicator=population&group=key-cities&release={older}&limit=7&offset=14",
        "/api/v1/data?indicator=population&group=key-cities&limit=5&offset=10",  # next and previous links
        "/api/v1/data?indicator=population&limit=3&offset=1000000",  # past the end
        "/api/v1/data?indicator=population&area=,&period=2024",  # no code at all: nothing
        "/api/v1/data?indicator=employment-rate&group=core-cities&area=E08000026,E08000035",
        "/api/v1/data?indicator=median-weekly-pay&area=W06000011",
    ]
    for url in urls:
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200
        assert response.content == previous_data_page(url), url
        assert response["Content-Type"] == "application/json"

    body = client.get(urls[0]).json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    swansea = body["results"][1]
    assert swansea == {
        "indicator": "population", "area_code": "W06000011", "area_name": 'Abertawe "Swansea" \\ Ŵ', "period": 2024,
        "value": 251304.0, "lower_ci": 250000.5, "upper_ci": 1e16, "status": "provisional",
        "note": "ONS: “c” – suppressed", "release_id": swansea["release_id"],
        "release_dataset": "ons-population-estimates", "release_date": "2025-09-26",
    }  # fmt: skip
    assert b'"area_name": "Abertawe \\"Swansea\\" \\\\ \\u0174"' in client.get(urls[0] + "&x=1").content  # ASCII only
    paged = client.get(urls[4]).json()
    assert paged["count"] == 752 and [r["area_code"] for r in paged["results"]] == sorted(
        r["area_code"] for r in paged["results"]
    )
    assert paged["next"] == "http://testserver/api/v1/data?indicator=population&group=key-cities&limit=5&offset=15"
    assert paged["previous"] == "http://testserver/api/v1/data?indicator=population&group=key-cities&limit=5&offset=5"


@pytest.mark.parametrize("value", [None, 0.0, -0.0, 1.5, 98180.0, 1e16, 1e-05, 123456789.123, float("nan"),
                                   float("inf"), float("-inf"), 3, 2**53 + 1])  # fmt: skip
def test_data_numbers_are_written_as_json_dumps_writes_them(value: object) -> None:
    from keycities.observatory.api import _number

    assert _number(value) == json.dumps(value)
