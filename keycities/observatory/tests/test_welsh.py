"""Indicators in Welsh (issue 14, item 2): the catalogue's Welsh twins, checked when loaded and shown on /cy/ pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.test import Client

from keycities.core.errors import DataFileError
from keycities.observatory import catalogue
from keycities.observatory.models import Indicator


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = catalogue.INDICATORS_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "indicators.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the catalogue


def test_every_bundled_indicator_is_in_welsh() -> None:
    assert len(catalogue.INDICATORS) == 111
    for d in catalogue.INDICATORS:
        assert d.name_cy and d.definition_cy and d.topic_cy, d.slug
        assert bool(d.caveats_cy) == bool(d.caveats), d.slug
        assert d.name_cy != d.name, d.slug  # translated, not copied
        assert d.definition_cy != d.definition, d.slug
    by_slug = {d.slug: d for d in catalogue.INDICATORS}
    assert by_slug["gva"].name_cy == "Gwerth ychwanegol crynswth (GYC)"
    assert by_slug["gdp"].name_cy == "Cynnyrch domestig gros (CDG)"
    assert by_slug["employment-rate"].name_cy == "Cyfradd cyflogaeth"
    assert by_slug["population"].topic_cy == "Pobl"
    # One Welsh name per topic.
    assert len({(d.topic, d.topic_cy) for d in catalogue.INDICATORS}) == len({d.topic for d in catalogue.INDICATORS})


def test_the_welsh_keys_are_optional(tmp_path: Path) -> None:
    text = catalogue.INDICATORS_FILE.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for ind in data["indicators"]:
        for key in ("name_cy", "topic_cy", "definition_cy", "caveats_cy"):
            ind.pop(key, None)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = catalogue.load(indicators_file=path)
    population = next(d for d in loaded.indicators if d.slug == "population")
    assert (population.name, population.name_cy, population.definition_cy) == ("Population", "", "")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("  name_cy: Poblogaeth\n", "  name_cymraeg: Poblogaeth\n", r"Extra inputs are not permitted"),
    ("  name_cy: Poblogaeth\n", f"  name_cy: {'P' * 151}\n", r"at most 150 characters \(at indicators.0.name_cy\)"),
    ("  topic_cy: Pobl\n", "  topic_cy: Pobol\n", r"population-16-64: topic 'People' is 'Pobol' in Welsh elsewhere"),
    ("  definition_cy: Amcangyfrif canol blwyddyn", "  caveats_cy: Rhybudd.\n  definition_cy: Amcangyfrif",
     r"population: caveats_cy translates caveats, which are missing"),
])  # fmt: skip
def test_a_mistake_in_the_welsh_is_refused_with_where_to_fix_it(tmp_path: Path, old: str, new: str,
                                                                message: str) -> None:  # fmt: skip
    with pytest.raises(DataFileError, match=r"^indicators.yaml: .*" + message):
        catalogue.load(indicators_file=broken(tmp_path, old, new))


# --------------------------------------------------------------------------- the pages


@pytest.mark.django_db
def test_indicator_page_is_in_the_language_of_its_address(registry: None, client: Client) -> None:
    english = client.get("/evidence/population/").content.decode()
    welsh = client.get("/cy/evidence/population/").content.decode()
    assert '<h1 class="govuk-heading-xl">Population</h1>' in english
    assert "<title>Population –" in english and "Amcangyfrif canol blwyddyn" not in english
    assert '<h1 class="govuk-heading-xl">Poblogaeth</h1>' in welsh
    assert "<title>Poblogaeth –" in welsh
    assert '<span class="govuk-caption-xl">Pobl</span>' in welsh
    assert "Amcangyfrif canol blwyddyn o gyfanswm nifer y bobl sy’n byw yn yr ardal." in welsh
    assert "Mid-year estimate" not in welsh
    pay = client.get("/cy/evidence/median-weekly-pay/").content.decode()
    assert "Cyflog wythnosol canolrifol" in pay and "Ni ellir cyfuno canolrifau" in pay


@pytest.mark.django_db
def test_english_is_shown_marked_where_the_welsh_is_missing(registry: None, client: Client) -> None:
    Indicator.objects.filter(slug="population").update(name_cy="", definition_cy="")
    welsh = client.get("/cy/evidence/population/").content.decode()
    assert '<h1 class="govuk-heading-xl"><span lang="en-GB" class="kc-fallback">Population</span></h1>' in welsh
    assert "<title>Population –" in welsh  # plain text in the title, never markup
    assert "Nid yw’r disgrifiad hwn ar gael yn Gymraeg eto" in welsh
    english = client.get("/evidence/population/").content.decode()
    assert "kc-fallback" not in english and "not yet available in Welsh" not in english


@pytest.mark.django_db
def test_catalogue_and_profile_name_indicators_and_themes_in_welsh(registry: None, client: Client) -> None:
    every = client.get("/cy/evidence/").content.decode()
    assert '<option value="People">Pobl</option>' in every  # the parameter stays the English topic
    assert ">Poblogaeth</a>" in every and ">Cyfradd cyflogaeth</a>" in every
    assert '<h2 class="govuk-heading-l">Pobl</h2>' in every
    # Welsh words find Welsh names; the English words still work on the Welsh page.
    assert ">Cyflog wythnosol canolrifol</a>" in client.get("/cy/evidence/?q=cyflog").content.decode()
    assert ">Cyflog wythnosol canolrifol</a>" in client.get("/cy/evidence/?q=weekly+pay").content.decode()
    people = client.get("/cy/evidence/?theme=People").content.decode()
    assert ">Poblogaeth</a>" in people and "Cyflog wythnosol" not in people
    profile = client.get("/cy/evidence/places/hull/").content.decode()
    themes = re.findall(r'<h2 class="govuk-heading-l" id="theme-\d+">([^<]+)</h2>', profile)
    assert "Pobl" in themes and "People" not in themes
    assert ">Poblogaeth</a>" in profile


@pytest.mark.django_db
def test_compare_lists_indicators_by_their_welsh_names(registry: None, client: Client) -> None:
    html = client.get("/cy/evidence/compare/?indicator=population&groups=key-cities").content.decode()
    assert '<option value="population" selected>Poblogaeth</option>' in html
    assert "Poblogaeth: " in html  # the chart's title


def test_period_labels_and_bases_follow_the_language() -> None:
    from django.utils import translation

    ind = Indicator(period_label="mid-{year}", base="residents aged 16 to 64")
    with translation.override("cy"):
        assert (ind.label_period(2023), ind.base_text) == ("canol 2023", "preswylwyr 16 i 64 oed")
        assert Indicator(period_label="April {year}", base="residents").label_period(2021) == "Ebrill 2021"
        assert Indicator(period_label="Q{year}", base="jobs").label_period(2020) == "Q2020"  # not known: as written
    with translation.override("en-gb"):
        assert (ind.label_period(2023), ind.base_text) == ("mid-2023", "residents aged 16 to 64")


def test_every_dataset_title_of_the_catalogue_has_its_welsh() -> None:
    """The catalogue's dataset titles are the msgids of observatory.models.DATASET_TITLES, each with its Welsh; a
    dataset added to the catalogue fails here until its title is added there."""
    from django.utils import translation

    from keycities.observatory.models import DATASET_TITLES, dataset_title

    titles = {d["title"] for d in catalogue.DATASETS.values()}
    assert titles == DATASET_TITLES
    with translation.override("cy"):
        welsh = {t: dataset_title(t) for t in titles}
    assert all(w != t for t, w in welsh.items()), [t for t, w in welsh.items() if w == t]
    assert welsh["Claimant Count"] == "Nifer yr Hawlwyr"
    assert dataset_title("A new dataset") == "A new dataset"


def test_the_dataset_title_filter_marks_an_untranslated_title_on_a_welsh_page() -> None:
    from django.utils import translation

    from keycities.observatory.templatetags.observatory_links import dataset_title

    with translation.override("cy"):
        assert dataset_title("Mid-year population estimates") == "Amcangyfrifon canol blwyddyn o’r boblogaeth"
        assert dataset_title("A new dataset") == '<span lang="en-GB" class="kc-fallback">A new dataset</span>'
    with translation.override("en"):
        assert dataset_title("A new dataset") == "A new dataset"


@pytest.mark.django_db
def test_welsh_places_and_areas_have_their_official_welsh_names_on_welsh_pages(registry: None, client: Client) -> None:
    """Names from the ONS lookup's *NMW columns (W06000022 is Casnewydd), on /cy/ pages only."""
    welsh = client.get("/cy/evidence/population/").content.decode()
    assert '<th scope="row">Casnewydd <span class="c">W06000022</span></th>' in welsh
    assert 'href="/cy/evidence/places/newport/">Casnewydd</a>' in welsh
    assert '<th scope="row">Leeds <span class="c">E08000035</span></th>' in welsh  # no Welsh name: as written
    assert re.search(r"<desc>[^<]*Casnewydd[^<]*</desc>", welsh)  # the map's outlined members
    english = client.get("/evidence/population/").content.decode()
    assert '<th scope="row">Newport <span class="c">W06000022</span></th>' in english and "Casnewydd" not in english
    profile = client.get("/cy/evidence/places/newport/").content.decode()
    assert '<h1 class="govuk-heading-xl">Casnewydd mewn ffigurau</h1>' in profile and "Newport" not in profile
    member = client.get("/cy/members/newport/").content.decode()
    assert '<td class="govuk-table__cell">Casnewydd<' in member and "Newport" not in member.split("<h2")[1]


def test_a_gss_code_gives_the_official_welsh_name() -> None:
    from keycities.core.bilingual import gss_name

    assert gss_name("Newport East", "W07000104", "cy") == "Dwyrain Casnewydd"
    assert gss_name("Newport", "W06000022", "cy") == "Casnewydd"
    assert gss_name("Newport", "W06000022", "en") == "Newport"
    assert gss_name("Salford", "E08000006", "cy") == "Salford"
