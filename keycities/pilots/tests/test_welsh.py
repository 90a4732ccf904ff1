"""Pilots in Welsh (issue 14, item 2): a name, public summary and expected outcomes with Welsh twins, shown on
/cy/ pages and in the API; English shown marked where no Welsh exists yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from keycities.network.models import Place
from keycities.pilots import services
from keycities.pilots.models import Pilot

pytestmark = pytest.mark.django_db

DATA = {"name": "Adult skills test bed", "kind": "devolved-delivery", "published": True,
        "summary": "Adult skills budget run by the city.", "expected_outcomes": "More adults in work."}  # fmt: skip
WELSH = {"name_cy": "Gwely prawf sgiliau oedolion", "summary_cy": "Cyllideb sgiliau oedolion yn cael ei rhedeg gan "
         "y ddinas.", "expected_outcomes_cy": "Mwy o oedolion mewn gwaith."}  # fmt: skip


def make(by: Any, **changes: Any) -> Pilot:
    return services.create_pilot({**DATA, "places": [Place.objects.get(slug="swansea")], **changes}, by=by)


def test_welsh_pilot_page_list_and_api(registry: None, secretariat: Any) -> None:
    pilot = make(secretariat, **WELSH)
    english = Client()
    assert '<h1 class="govuk-heading-xl">Adult skills test bed</h1>' in english.get(
        pilot.get_absolute_url()).content.decode()  # fmt: skip
    welsh = Client().get(f"/cy{pilot.get_absolute_url()}").content.decode()
    assert '<h1 class="govuk-heading-xl">Gwely prawf sgiliau oedolion</h1>' in welsh
    assert "Cyllideb sgiliau oedolion yn cael ei rhedeg gan y ddinas." in welsh
    assert "Mwy o oedolion mewn gwaith." in welsh and "Abertawe" in welsh
    assert "kc-fallback" not in welsh and "has not been translated" not in welsh
    assert "Gwely prawf sgiliau oedolion" in Client().get("/cy/pilots/").content.decode()
    api = Client().get(f"/api/v1/pilots/{pilot.slug}").json()
    assert (api["name_cy"], api["summary_cy"], api["expected_outcomes_cy"]) == (
        WELSH["name_cy"], WELSH["summary_cy"], WELSH["expected_outcomes_cy"])  # fmt: skip
    assert Client().get("/api/v1/pilots/").json()["results"][0]["name_cy"] == "Gwely prawf sgiliau oedolion"


def test_a_pilot_without_welsh_shows_its_english_marked(registry: None, secretariat: Any) -> None:
    pilot = make(secretariat)
    welsh = Client().get(f"/cy{pilot.get_absolute_url()}").content.decode()
    assert ('<h1 class="govuk-heading-xl"><span lang="en-GB" class="kc-fallback">Adult skills test bed</span>'
            "</h1>") in welsh  # fmt: skip
    assert '<p class="govuk-body-l" lang="en-GB">Adult skills budget run by the city.</p>' in welsh
    assert "Nid yw crynodeb y cynllun peilot hwn wedi’i gyfieithu i’r Gymraeg eto" in welsh


def test_staff_enter_the_welsh_on_the_form(registry: None, client_for: Any) -> None:
    client = client_for("secretariat")
    page = client.get("/pilots/new/").content.decode()
    assert 'name="name_cy"' in page and 'name="summary_cy"' in page and 'name="expected_outcomes_cy"' in page
