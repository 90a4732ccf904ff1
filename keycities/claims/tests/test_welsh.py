"""Claims in Welsh (issue 14, item 2): the published sentence and its headline have Welsh twins, loaded from
data/claims.yaml, shown on /cy/ pages and in the API; where a claim has no Welsh yet its English is marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from keycities.claims.models import Claim, Document, Reading
from keycities.claims.services import evaluate_all, load_claims

pytestmark = pytest.mark.django_db

CLAIMS_FILE = Path(settings.BASE_DIR) / "data" / "claims.yaml"


@pytest.fixture
def seeded(registry: None) -> dict[str, Claim]:
    load_claims(CLAIMS_FILE)
    evaluate_all()
    return {c.headline: c for c in Claim.objects.all()}


def test_every_bundled_claim_is_in_welsh(seeded: dict[str, Claim]) -> None:
    for claim in seeded.values():
        assert claim.headline_cy and claim.text_cy, claim.headline
        assert claim.text_cy != claim.text
        assert bool(claim.not_checkable_reason_cy) == bool(claim.not_checkable_reason), claim.headline
    assert seeded["Population: nearly 6 million"].text_cy == "Mae gennym boblogaeth gyfunol o bron i 6 miliwn o bobl"
    assert Document.objects.get().title_cy == "Key Cities: Cyflwyniad"
    assert all(r.explanation_cy for r in Reading.objects.all())


def test_loading_again_fills_blank_welsh_and_keeps_staff_welsh(seeded: dict[str, Claim]) -> None:
    scotland, population = seeded["Larger than the economy of Scotland"], seeded["Population: nearly 6 million"]
    Claim.objects.filter(pk=scotland.pk).update(text_cy="", headline_cy="")
    Claim.objects.filter(pk=population.pk).update(text_cy="Testun gan y staff.")
    assert load_claims(CLAIMS_FILE) == 0
    scotland.refresh_from_db()
    population.refresh_from_db()
    assert (scotland.headline_cy, scotland.text_cy) == ("Mwy nag economi’r Alban", "ac mae’n fwy nag economi’r Alban.")
    assert population.text_cy == "Testun gan y staff."


def test_welsh_claim_page(seeded: dict[str, Claim], client: Client) -> None:
    claim = seeded["Larger than the economy of Scotland"]
    welsh = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    assert '<h1 class="govuk-heading-xl">Mwy nag economi’r Alban</h1>' in welsh
    assert "“ac mae’n fwy nag economi’r Alban.”" in welsh
    assert "Key Cities: Cyflwyniad (heb ddyddiad, tua 2018)" in welsh
    assert "<title>Mwy nag economi’r Alban –" in welsh
    assert "“mwy na” (“larger than”) = mwy na ffigur yr ardal arall" in welsh
    assert "and is larger than the economy of Scotland." not in welsh
    english = client.get(f"/claims/{claim.pk}/").content.decode()
    assert '<h1 class="govuk-heading-xl">Larger than the economy of Scotland</h1>' in english
    assert "Mwy nag economi’r Alban" not in english


def test_a_claim_without_welsh_shows_its_english_marked(seeded: dict[str, Claim], client: Client) -> None:
    claim = seeded["Over 250,000 manufacturing jobs"]
    Claim.objects.filter(pk=claim.pk).update(headline_cy="", text_cy="", not_checkable_reason_cy="")
    welsh = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    assert '<span lang="en-GB" class="kc-fallback">Over 250,000 manufacturing jobs</span></h1>' in welsh
    assert ('“<span lang="en-GB" class="kc-fallback">Key Cities members are: Home to over 250,000 manufacturing '
            'jobs in the UK.</span>”') in welsh  # fmt: skip
    assert '<span lang="en-GB" class="kc-fallback">There is no manufacturing employment' in welsh
    english = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "kc-fallback" not in english


def test_welsh_in_numbers_and_document(seeded: dict[str, Claim], client: Client) -> None:
    numbers = client.get("/cy/in-numbers/").content.decode()
    assert numbers.count("kc-fallback") == 0
    assert "Poblogaeth: bron i 6 miliwn" in numbers and "Tua 8% o economi’r DU" in numbers
    assert "“bron” (“nearly”) = dim mwy na’r rhif, a dim mwy na 10% yn is nag ef" in numbers
    document = client.get("/cy/claims/documents/key-cities-an-introduction/").content.decode()
    assert '<h1 class="govuk-heading-xl">Key Cities: Cyflwyniad</h1>' in document
    assert "Nid oes ffigurau cyflogaeth gweithgynhyrchu fesul awdurdod lleol" in document


def test_api_gives_both_languages(seeded: dict[str, Claim], client: Client) -> None:
    one = client.get(f"/api/v1/claims/{seeded['Economy: over £135bn a year'].pk}").json()
    assert one["text"] == "and contribute over £135bn a year to the UK economy."
    assert one["text_cy"] == "ac rydym yn cyfrannu dros £135bn y flwyddyn at economi’r DU."
    assert one["headline_cy"] == "Economi: dros £135bn y flwyddyn"
    assert one["document_cy"] == "Key Cities: Cyflwyniad"
    assert one["reading"]["explanation_cy"] == "“dros” (“over”) = mwy na’r rhif"
    assert one["not_checkable_reason"] is None
    csv = client.get("/api/v1/claims/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("id,headline,headline_cy,text,text_cy,document,")
    assert "Tua 8% o economi’r DU" in csv


def test_staff_edit_the_welsh_with_the_english(seeded: dict[str, Claim], client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    claim = seeded["Five of the top ten goods-exporting cities"]
    form = client.get(f"/claims/{claim.pk}/edit/").content.decode()
    assert 'name="text_cy"' in form and 'name="headline_cy"' in form and 'name="not_checkable_reason_cy"' in form
    data = {
        "document": claim.document_id, "headline": claim.headline, "headline_cy": "Pump o’r deg uchaf",
        "text": claim.text, "text_cy": "Testun newydd.", "comparison": "not-checkable", "indicator": "",
        "dataset": "", "group": claim.group_id, "membership_date": "2018-06-30", "period": "", "reading": "",
        "target": "", "comparator_area": "", "rank_within": "", "growth_windows": "",
        "not_checkable_reason": claim.not_checkable_reason, "not_checkable_reason_cy": "Rheswm newydd.",
        "save": "1",
    }  # fmt: skip
    assert client.post(f"/claims/{claim.pk}/edit/", data).status_code == 302
    claim.refresh_from_db()
    assert (claim.headline_cy, claim.text_cy, claim.not_checkable_reason_cy) == (
        "Pump o’r deg uchaf", "Testun newydd.", "Rheswm newydd.")  # fmt: skip
    page = Client().get(f"/cy/claims/{claim.pk}/").content.decode()
    assert "Rheswm newydd." in page and "“Testun newydd.”" in page
