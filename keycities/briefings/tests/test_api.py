"""The briefings API and the pages' access: issued packs as permitted, frozen figures as JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from keycities.accounts.models import Role, User
from keycities.briefings import presenters, services
from keycities.briefings.models import Kind
from keycities.network.models import Place, WorkArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(secretariat: User) -> dict[str, object]:
    area = services.create_pack({"kind": Kind.WORK_AREA, "title": "Skills", "work_area": WorkArea.objects.get(
        slug="skills")}, by=secretariat)  # fmt: skip
    place = services.create_pack({"kind": Kind.PLACE, "title": "Coventry in brief", "place": Place.objects.get(
        slug="coventry")}, by=secretariat)  # fmt: skip
    services.save_section(place, "People", "{{population:coventry:2024}} people.", by=secretariat)
    return {"public": services.issue_pack(area, by=secretariat), "private": services.issue_pack(place, by=secretariat)}


def test_the_list_shows_public_packs_to_everyone_and_a_place_pack_to_its_officers(  # type: ignore[no-untyped-def]
    issued, client: Client, officer: User, secretariat: User
) -> None:
    anonymous = client.get("/api/v1/briefings/").json()
    assert [r["title"] for r in anonymous["results"]] == ["Skills"]
    client.force_login(officer)  # of Bradford: Coventry's pack is not theirs
    assert [r["title"] for r in client.get("/api/v1/briefings/").json()["results"]] == ["Skills"]
    coventry = User.objects.create_user("cov", "o@coventry.test", "correct horse battery", role=Role.MEMBER_OFFICER,
                                        place=Place.objects.get(slug="coventry"))  # fmt: skip
    for user in (coventry, secretariat):
        client.force_login(user)
        staff = client.get("/api/v1/briefings/").json()
        assert [r["title"] for r in staff["results"]] == ["Coventry in brief", "Skills"]
        assert client.get("/briefings/").content.decode().count("Staff only") == 1


def test_one_issue_has_its_frozen_figures_as_json_and_csv(issued, client: Client, secretariat: User) -> None:  # type: ignore[no-untyped-def]
    private = issued["private"]
    assert client.get(f"/api/v1/briefings/{private.pk}").status_code == 404
    client.force_login(secretariat)
    body = client.get(f"/api/v1/briefings/{private.pk}").json()
    figures = {f["key"]: f for f in body["figures"]}
    token = figures["token:population:place/coventry:2024"]
    assert token["value"] == 369026 and token["release"]["publisher"] == "Office for National Statistics"
    assert body["version"] == 1 and body["changes"] == [] and body["release_ids"]
    assert body["sections"][0]["paragraphs"] == ["369,026 [1] people."]
    rows = list(csv.reader(io.StringIO(client.get(f"/api/v1/briefings/{private.pk}?format=csv").content.decode())))
    assert rows[0] == presenters.FIGURE_HEADER
    by_key = {r[0]: r for r in rows[1:]}
    assert float(by_key["token:population:place/coventry:2024"][5]) == 369026
    page = client.get(f"/briefings/{private.pack_id}/v1/csv")
    assert page.status_code == 200 and page.content.decode().splitlines()[0].startswith("key,label")


def test_the_welsh_page_shows_the_welsh_frozen_content(issued, client: Client) -> None:  # type: ignore[no-untyped-def]
    public = issued["public"]
    page = client.get(f"/cy/briefings/{public.pack_id}/v1/").content.decode()
    assert "Am y maes gwaith hwn" in page and "Ffynonellau" in page


def test_changes_compare_values_verdicts_and_statuses() -> None:
    old = [{"key": "a", "kind": "figure", "label": "Population", "value": 1, "period": 2023, "text": "1",
            "release": {"id": 1}},
           {"key": "c", "kind": "claim", "label": "Claim", "verdict": "holds"},
           {"key": "s", "kind": "ask", "label": "Ask", "status": "no-reply", "text": "No reply"}]  # fmt: skip
    new = [{"key": "a", "kind": "figure", "label": "Population", "value": 2, "period": 2024, "text": "2",
            "release": {"id": 2}},
           {"key": "s", "kind": "ask", "label": "Ask", "status": "accepted", "text": "Accepted"}]  # fmt: skip
    got = presenters.changes(old, new)
    assert [(c["key"], c["change"], c["old"], c["new"]) for c in got] == [
        ("a", "changed", "1 (2023)", "2 (2024)"), ("s", "changed", "No reply", "Accepted"),
        ("c", "removed", "holds", "")]  # fmt: skip
    assert presenters.change_sentence(got[0]) == "Population: 1 (2023), now 2 (2024)"
