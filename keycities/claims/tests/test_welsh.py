"""Claims in Welsh (issue 14, item 2): the published sentence and its headline have Welsh twins, loaded from
data/claims.yaml, shown on /cy/ pages and in the API; where a claim has no Welsh yet its English is marked."""

from __future__ import annotations

import re
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
    # The members named in the stored working: a Welsh place by its Welsh name on the Welsh page only.
    row = '<th scope="row" class="govuk-table__header">%s</th><td class="govuk-table__cell">W06000022</td>'
    assert row % "Casnewydd" in welsh and row % "Newport" not in welsh
    assert row % "Newport" in english and "Casnewydd" not in english


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


def test_api_gives_the_check_in_both_languages(seeded: dict[str, Claim], client: Client) -> None:
    """The evaluation's summary and working in English and in Welsh, the same whatever Accept-Language says."""
    claim = seeded["Population: nearly 6 million"]
    one = client.get(f"/api/v1/claims/{claim.pk}").json()["evaluation"]
    assert one["summary"].startswith("Key Cities’ Population in mid-2024 was 6,839,250; “nearly 6,000,000” needs")
    assert one["summary_cy"].startswith(
        "Poblogaeth (Key Cities), canol 2024: 6,839,250. I’r honiad (“nearly "
        "6,000,000”) fod yn wir, rhaid i’r ffigur fod rhwng 5,400,000 a 6,000,000."
    )
    assert one["working"]["test"] == "6,839,250 is not between 5,400,000 and 6,000,000"
    assert one["working_cy"]["test"] == "Nid yw 6,839,250 rhwng 5,400,000 a 6,000,000"
    assert one["working_cy"]["figure"] == one["working"]["figure"] == 6839250
    assert [(r["title"], r["title_cy"]) for r in one["releases"]] == [
        ("Mid-year population estimates", "Amcangyfrifon canol blwyddyn o’r boblogaeth")]  # fmt: skip
    then = one["as_published"]
    assert then["summary"].startswith("No bundled release of ")
    assert then["summary_cy"].startswith(
        "Nid oes unrhyw ddatganiad o’r set ddata “Amcangyfrifon canol blwyddyn o’r boblogaeth” sydd gyda’r Hwb mor "
        "hen â 1 Ionawr 2018. Y cyfnod cyntaf yn y ffigurau sydd gyda’r Hwb yw canol 2017,"
    )
    assert then["working_cy"]["reason"] == then["summary_cy"] and "welsh" not in then
    welsh = client.get(f"/api/v1/claims/{claim.pk}", headers={"accept-language": "cy"}).json()["evaluation"]
    assert (welsh["summary"], welsh["summary_cy"]) == (one["summary"], one["summary_cy"])
    assert welsh["working_cy"] == one["working_cy"] and welsh["verdict_label"] == "Nid yw’n wir"  # labels follow it
    csv = client.get("/api/v1/claims/?format=csv").content.decode()
    assert ",summary,summary_cy,evaluated_at," in csv.splitlines()[0]
    assert "Poblogaeth (Key Cities), canol 2024: 6,839,250." in csv


def test_api_evaluation_stored_before_the_welsh(seeded: dict[str, Claim], client: Client) -> None:
    claim = seeded["Population: nearly 6 million"]
    e = claim.evaluations.get()
    e.welsh, e.as_published = {}, {k: v for k, v in e.as_published.items() if k != "welsh"}  # type: ignore[union-attr]
    e.save()
    one = client.get(f"/api/v1/claims/{claim.pk}").json()["evaluation"]
    assert (one["summary_cy"], one["working_cy"]) == ("", None)
    assert (one["as_published"]["summary_cy"], one["as_published"]["working_cy"]) == ("", None)


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


def test_the_check_is_written_in_welsh_as_well(seeded: dict[str, Claim], client: Client) -> None:
    """The summary and working are stored in both languages; the English is what it always was."""
    claim = seeded["Population: nearly 6 million"]
    e = claim.evaluations.get()
    assert e.summary.startswith("Key Cities’ Population in mid-2024 was 6,839,250; “nearly 6,000,000” needs between")
    assert e.welsh["summary"].startswith(
        "Poblogaeth (Key Cities), canol 2024: 6,839,250. I’r honiad (“nearly 6,000,000”) fod yn wir, rhaid i’r ffigur "
        "fod rhwng 5,400,000 a 6,000,000. Aelodaeth: y 24 aelod ar 30 Mehefin 2018, 23 wedi’u cynnwys; "
        "daearyddiaeth: Awdurdodau lleol ar ffiniau Ebrill 2023")  # fmt: skip
    assert e.welsh["working"]["test"] == "Nid yw 6,839,250 rhwng 5,400,000 a 6,000,000"
    assert e.working["test"] == "6,839,250 is not between 5,400,000 and 6,000,000"
    assert e.welsh["working"]["rounding"] == ("±14: mae pob un o’r 27 ffigur a gyhoeddwyd y mae’n eu hadio wedi’i "
                                              "dalgrynnu i 1")  # fmt: skip
    welsh = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    assert '<p class="govuk-body">Poblogaeth (Key Cities), canol 2024: 6,839,250.' in welsh
    assert "Nid yw 6,839,250 rhwng 5,400,000 a 6,000,000" in welsh and "Heb eu cynnwys" in welsh
    assert "Nid oedd gan Carlisle ardal ystadegol ei hun ar 30 Mehefin 2024." in welsh
    # The dataset's title in Welsh (observatory.models.DATASET_TITLES), in the source line and the history.
    assert "Ffynhonnell: y Swyddfa Ystadegau Gwladol, Amcangyfrifon canol blwyddyn o’r boblogaeth" in welsh
    assert "Mid-year population estimates" not in welsh
    assert "Trwydded Llywodraeth Agored v3.0" in welsh
    assert "is not between" not in welsh and "Membership: the 24 members" not in welsh
    english = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "6,839,250 is not between 5,400,000 and 6,000,000" in english and "Poblogaeth (Key" not in english
    # Dates kept as ISO text in the frozen working and release records are written for the page's language.
    assert "Key Cities, aelodau ar 30 Mehefin 2018" in welsh and "2018-06-30" not in welsh
    assert "Key Cities, members on 30 June 2018" in english and "2018-06-30" not in english
    assert re.search(r"released \d{1,2} [A-Z][a-z]+ 20\d\d;", english), "the source line's release date"


def test_an_evaluation_stored_before_the_welsh_gets_it_in_place(seeded: dict[str, Claim], client: Client) -> None:
    from keycities.claims.services import evaluate_claim

    claim = seeded["Larger than the economy of Scotland"]
    e = claim.evaluations.get()
    e.welsh, e.as_published = {}, {k: v for k, v in e.as_published.items() if k != "welsh"}  # type: ignore[union-attr]
    e.save()  # as stored before the Welsh existed
    page = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    import html

    assert f'<span lang="en-GB" class="kc-fallback">{html.escape(e.summary)}</span>' in page  # the English, marked
    assert evaluate_claim(claim).pk == e.pk and claim.evaluations.count() == 1  # filled in, no new row
    e.refresh_from_db()
    assert e.welsh["summary"].startswith("Gwerth ychwanegol crynswth (GYC) (Key Cities), 2020: £153,865m; ffigur yr "
                                         "Alban oedd £145,247m")  # fmt: skip
    assert e.as_published["welsh"]["working"]["basis"].startswith(
        "Nid oes datganiad o’r set ddata “Cynnyrch domestig gros (CDG) rhanbarthol: awdurdodau lleol” o’r cyfnod cyn "
        "1 Ionawr"
    )
    page = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    assert "kc-fallback" not in page.split("<h2", 1)[1].split("Hanes")[0]


def test_ties_and_marginal_verdicts_read_naturally_in_welsh(seeded: dict[str, Claim]) -> None:
    from django.utils import translation

    from keycities.claims.evaluate import evaluate

    growth = seeded["Some of the fastest growing local economies"]
    growth.growth_windows = ""
    with translation.override("cy"):
        result = evaluate(growth)
    (part,) = result.working["rankings"]
    assert part["tie_note"] == ("Mae 4 ardal yn gydradd yn safle 35 (−7.3%), felly mae’r 37 uchaf yn cynnwys 38 ardal: "
                                "cyfrifir pob ardal gydradd.")  # fmt: skip
    assert part["how"].startswith("Wedi’u trefnu yn ôl Twf real CDG fel y’i cyhoeddwyd yn y datganiad ")
    assert "O fewn y talgrynnu, gallai rhwng" in result.summary and "byddai’r dyfarniad yn newid" in result.summary
    economy = seeded["Economy: over £135bn a year"]
    economy.target = (result_target := 153_860.0)
    with translation.override("cy"):
        marginal = evaluate(economy)
    assert marginal.marginal and result_target
    assert "Ymylol: o fewn talgrynnu’r ffigurau a gyhoeddwyd (±£14m: mae pob un o’r 28 ffigur" in marginal.summary
    with translation.override("cy"):
        twice = seeded["Economy: over £135bn a year"].evaluations.get().judged_twice
    assert twice == "Roedd yn wir pan gyhoeddwyd (data 2015); ar y data diweddaraf (2020) mae’n wir."


def test_the_staff_form_is_in_welsh(seeded: dict[str, Claim], client_for) -> None:  # type: ignore[no-untyped-def]
    claim = seeded["Population: nearly 6 million"]
    page = client_for("secretariat").get(f"/cy/claims/{claim.pk}/edit/").content.decode()
    for label in ("Y frawddeg fel y’i cyhoeddwyd", "Pennawd yn Gymraeg", "Sut y dehonglir y geiriau", "Targed",
                  "Rhif (ffigur y grŵp o’i gymharu â tharged)", ">Poblogaeth<", "Key Cities: Cyflwyniad",
                  "“nearly”: “bron” (“nearly”) = dim mwy na’r rhif"):  # fmt: skip
        assert label in page, label
    assert "The sentence as published" not in page and "How the words are read" not in page
    preview = client_for("secretariat").post(f"/cy/claims/{claim.pk}/edit/", {
        "document": claim.document_id, "headline": claim.headline, "text": claim.text, "comparison": "number",
        "indicator": claim.indicator_id, "group": claim.group_id, "membership_date": "2018-06-30",
        "reading": claim.reading_id, "target": "6000000", "preview": "1"}).content.decode()  # fmt: skip
    assert "Poblogaeth (Key Cities), canol 2024: 6,839,250." in preview


def test_related_items_show_their_welsh_titles(seeded: dict[str, Claim], client: Client) -> None:
    claim = seeded["Economy: over £135bn a year"]
    welsh = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    related = welsh.split('id="related-heading"', 1)[1].split("</aside>")[0]
    assert ">Tua 8% o economi’r DU</a>" in related and ">Mwy nag economi’r Alban</a>" in related
    assert "Around 8% of the UK economy" not in related
    english = client.get(f"/claims/{claim.pk}/").content.decode()
    assert ">Around 8% of the UK economy</a>" in english.split('id="related-heading"', 1)[1]


def test_registry_notes_and_dataset_titles_are_welsh_in_the_welsh_working(
    seeded: dict[str, Claim], client: Client
) -> None:
    """The registry's notes (network.yaml `note_cy`) and the datasets' titles are in Welsh in the Welsh working;
    a note with no Welsh is given in English and said to be English."""
    from keycities.claims.services import evaluate_claim
    from keycities.network.models import PlaceArea

    claim = seeded["Economy: over £135bn a year"]
    e = claim.evaluations.get()
    (bcp,) = [s for s in e.welsh["working"]["substitutions"] if "Bournemouth, Christchurch and Poole" in s]
    assert "ei olynydd o 1 Ebrill 2019 ymlaen. Y cyngor olynol; mae’n cynnwys Christchurch a Poole." in bcp
    assert "Successor council" not in bcp
    (english,) = [s for s in e.working["substitutions"] if s.startswith("Bournemouth")]
    assert "Successor council; includes Christchurch and Poole." in english
    page = client.get(f"/cy/claims/{claim.pk}/").content.decode()
    assert "Y cyngor olynol; mae’n cynnwys Christchurch a Poole." in page and "Successor council" not in page
    assert "Cynnyrch domestig gros (CDG) rhanbarthol: awdurdodau lleol" in page
    assert "Regional gross domestic product" not in page

    PlaceArea.objects.filter(area_code="E06000058").update(note_cy="")  # staff's English note, not yet in Welsh
    claim.evaluations.update(welsh={})  # so that the next check writes its Welsh again, in place
    e = evaluate_claim(claim)
    (bcp,) = [s for s in e.welsh["working"]["substitutions"] if "Bournemouth, Christchurch and Poole" in s]
    assert "ymlaen. Successor council; includes Christchurch and Poole (yn Saesneg). Nid oes" in bcp
