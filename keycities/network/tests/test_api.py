import csv
import io

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def test_key_cities_in_2018_are_exactly_the_24(registry: None, client: Client) -> None:
    body = get(client, "/api/v1/places/?group=key-cities&as_of=2018-06-01")
    assert body["count"] == 24
    assert [p["name"] for p in body["results"]][:3] == ["Blackpool", "Bournemouth", "Bradford"]
    tees = next(p for p in body["results"] if p["slug"] == "tees-valley")
    counted = [a["code"] for a in tees["areas"] if a["counted"]]
    assert counted == ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"]
    assert [a["code"] for a in tees["areas"] if a["relation"] == "same"] == ["E47000006"]
    assert get(client, "/api/v1/places/?group=key-cities&as_of=2017-06-01")["count"] == 0


def test_filters_group_and_nation(registry: None, client: Client) -> None:
    assert get(client, "/api/v1/places/?group=core-cities")["count"] == 11
    welsh = get(client, "/api/v1/places/?group=key-cities&nation=Wales")
    assert [p["slug"] for p in welsh["results"]] == ["newport", "swansea"]
    assert get(client, "/api/v1/places/")["count"] == 35


def test_pagination(registry: None, client: Client) -> None:
    first = get(client, "/api/v1/places/?group=key-cities&limit=10")
    assert (first["count"], len(first["results"]), first["previous"]) == (24, 10, None)
    assert first["next"].endswith("offset=10")
    last = get(client, "/api/v1/places/?group=key-cities&limit=10&offset=20")
    assert [p["slug"] for p in last["results"]] == ["swansea", "tees-valley", "wakefield", "wolverhampton"]
    assert last["next"] is None


def test_place_detail_shows_cover_over_time_and_work_areas_led(registry: None, client: Client) -> None:
    body = get(client, "/api/v1/places/bournemouth")
    assert [(a["code"], a["start"], a["end"]) for a in body["areas"]] == [
        ("E06000028", None, "2019-03-31"),
        ("E06000058", "2019-04-01", None),
    ]
    assert body["work_areas_led"] == [{"slug": "inclusive-growth", "name": "Inclusive Growth"}]
    carlisle = get(client, "/api/v1/places/carlisle")
    assert [(a["code"], a["counted"]) for a in carlisle["areas"]] == [("E07000028", True), ("E06000063", False)]
    assert "Cumberland" in carlisle["note"]


def test_places_as_csv(registry: None, client: Client) -> None:
    response = client.get("/api/v1/places/?group=key-cities&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 24
    bournemouth = next(r for r in rows if r["slug"] == "bournemouth")
    assert bournemouth["area_codes"] == "E06000028 (/2019-03-31); E06000058 (2019-04-01/)"
    assert bournemouth["work_areas_led"] == "inclusive-growth"


def test_work_areas_list_their_leads(registry: None, client: Client) -> None:
    body = get(client, "/api/v1/work-areas/")
    leads = {w["name"]: [p["name"] for p in w["leads"]] for w in body["results"]}
    assert leads["Integration"] == ["Bradford", "Norwich"]
    assert leads["Employment and Welfare reform"] == ["Blackpool"]
    assert body["count"] == 11
    one = get(client, "/api/v1/work-areas/young-people")
    assert (one["name_cy"], one["leads"]) == ("Pobl ifanc", [{"slug": "kirklees", "name": "Kirklees"}])
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/work-areas/?format=csv").content.decode())))
    assert rows[0] == ["slug", "name", "name_cy", "leads", "description", "description_cy", "url"]
    assert rows[10][:4] == ["integration", "Integration", "Integreiddio", "bradford; norwich"]
