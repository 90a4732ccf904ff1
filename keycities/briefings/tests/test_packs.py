"""Briefing packs on the real test extracts (keycities/observatory/tests/data/): every figure recomputed from the
files by hand, tokens refused with their position, issue and re-issue with what changed, the three formats."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from keycities.accounts.models import User
from keycities.briefings import content, exports, services
from keycities.briefings.models import Kind, Pack
from keycities.claims.services import evaluate_all, load_claims
from keycities.claims.tests.test_claims import CLAIMS_FILE, table_by_hand
from keycities.core.tests import pdfua
from keycities.network.models import Place, WorkArea
from keycities.observatory import services as observatory
from keycities.observatory.tests.conftest import extract_source

pytestmark = pytest.mark.django_db


def population_by_hand(year: int) -> dict[str, float]:
    """The population extract's column for a year, read without the Hub's importer."""
    _source, path = extract_source("els-population")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {code: value for code, value, period in zip(raw["areacd"], raw["value"], raw["xDomainNumb"], strict=True)
            if period == year}  # fmt: skip


def place_pack(secretariat: User, slug: str = "coventry") -> Pack:
    place = Place.objects.get(slug=slug)
    return services.create_pack({"kind": Kind.PLACE, "title": f"{place.name} in brief", "place": place},
                                by=secretariat)  # fmt: skip


def facts(data: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {f["key"]: f for f in data["facts"]}


def test_place_pack_figures_are_the_files_figures(secretariat: User) -> None:
    data = content.build(place_pack(secretariat))
    found = facts(data)
    by_hand = population_by_hand(2024)
    assert found["profile:population:coventry"]["value"] == by_hand["E08000026"] == 369026
    assert found["profile:population:United Kingdom"]["value"] == by_hand["K02000001"]
    assert found["profile:population:West Midlands"]["value"] == by_hand["E12000005"]
    # The group's population: the sum of today's members' areas in the same release.
    group = found["profile:population:key-cities"]
    assert group["period"] == 2024 and group["value"] > by_hand["E08000026"]
    # Every figure has a numbered source note naming publisher, release date and licence.
    notes = {n["number"]: n["text"] for n in data["notes"]}
    pop_note = notes[found["profile:population:coventry"]["note"]]
    assert "Office for National Statistics" in pop_note and "Open Government Licence v3.0" in pop_note
    table = next(s["table"] for s in data["sections"] if s["table"])
    row = next(r for r in table["rows"] if r[0] == "Population")
    assert row[1] == "2024" and row[2].startswith("369,026 [")


def test_a_token_is_the_workbooks_figure(secretariat: User) -> None:
    pack = place_pack(secretariat)
    section = services.save_section(pack, "Output", "Coventry's GVA was {{gva:coventry:2020}} in 2020.",
                                    by=secretariat)  # fmt: skip
    (saved,) = section.figures.values()
    assert saved["value"] == pytest.approx(table_by_hand("Table 1", 2020)["E08000026"])
    text = content.build(pack)["sections"][0]["paragraphs"][0]
    assert text.startswith("Coventry's GVA was £") and "[1]" in text and "{{" not in text


def test_unknown_and_ambiguous_tokens_are_refused_with_their_position(secretariat: User) -> None:
    pack = place_pack(secretariat)
    with pytest.raises(ValidationError) as refused:
        services.save_section(pack, "Bad", "Fine: {{gva:coventry:2020}}.\nBad: {{gvaa:coventry:2020}} and "
                              "{{gva:coventry}}", by=secretariat)  # fmt: skip
    messages = refused.value.messages
    assert messages[0].startswith("Line 2, column 6: {{gvaa:coventry:2020}}: there is no indicator “gvaa”")
    assert messages[1].startswith("Line 2, column 33: {{gva:coventry}}: write a figure as")
    assert not pack.sections.exists()
    with pytest.raises(ValidationError, match="no figure for this year"):
        services.save_section(pack, "Bad", "{{population:coventry:1990}}", by=secretariat)


def test_issue_freezes_and_reissue_says_what_changed(secretariat: User, tmp_path: Path, client: Client,
                                                    django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    pack = place_pack(secretariat)
    services.save_section(pack, "People", "{{population:coventry:latest}} people live in Coventry.", by=secretariat)
    first = services.issue_pack(pack, by=secretariat)
    assert first.version == 1 and first.changes == []
    assert first.content["en"]["sections"][0]["paragraphs"][0].startswith("369,026 [1]")
    assert "Ffynhonnell" in first.content["cy"]["notes"][0]["text"]
    source, path = extract_source("els-population")
    revised = tmp_path / "population-count.json"
    revised.write_text(path.read_text().replace("369026", "369027"), encoding="utf-8")  # Coventry, one more
    with django_capture_on_commit_callbacks(execute=True):
        observatory.import_source(source, path=revised, release_date=dt.date(2026, 9, 25))
    # The editor flags the token whose figure changed since it was written.
    client.force_login(secretariat)
    page = client.get(f"/briefings/packs/{pack.pk}/").content.decode()
    assert "A figure has changed since this text was written" in page and "was 369,026 (2024), now 369,027" in page
    # The first issue stays frozen; the second says what changed.
    second = services.issue_pack(pack, by=secretariat)
    first.refresh_from_db()
    assert first.content["en"]["sections"][0]["paragraphs"][0].startswith("369,026")
    assert second.version == 2
    changed = {c["key"]: c for c in second.changes}
    assert changed["profile:population:coventry"]["old"] == "369,026 (2024)"
    assert changed["profile:population:coventry"]["new"] == "369,027 (2024)"
    assert changed["token:population:place/coventry:latest"]["new"] == "369,027 (2024)"
    assert set(second.release_ids) - set(first.release_ids)
    html = client.get(f"/briefings/{pack.pk}/v2/").content.decode()
    assert "What changed since the last pack" in html and "369,026 (2024), now 369,027 (2024)" in html


def test_group_pack_uses_only_claims_that_hold(secretariat: User) -> None:
    load_claims(CLAIMS_FILE)
    evaluate_all()
    from keycities.claims import queries

    holding = [c for c in queries.claims() if (e := queries.latest(c)) and e.verdict == "holds"]
    pack = services.create_pack({"kind": Kind.GROUP, "title": "Key Cities in numbers"}, by=secretariat)
    data = content.build(pack)
    items = data["sections"][0]["items"]
    assert len(items) == len(holding) > 0
    for claim, item in zip(holding, items, strict=True):
        assert item.startswith(claim.headline)
    assert all(f["verdict"] == "holds" and f["note"] for f in data["facts"])


def test_work_area_pack_names_its_leads(secretariat: User) -> None:
    area = WorkArea.objects.get(slug="skills")
    pack = services.create_pack({"kind": Kind.WORK_AREA, "title": "Skills", "work_area": area}, by=secretariat)
    data = content.build(pack)
    leads = ", ".join(p.name for p in area.leads.all())
    assert data["sections"][0]["paragraphs"][1] == f"Lead: {leads}"
    assert [s["heading"] for s in data["sections"]][-2:] == ["Consultation responses", "Our asks"]


def test_pdf_and_docx_from_the_same_content(secretariat: User) -> None:
    from docx import Document

    pack = place_pack(secretariat)
    services.save_section(pack, "Ŵyr a ŷd", "{{population:coventry:2024}} o bobl.", by=secretariat)
    data = content.build(pack)
    pdf = exports.build_pdf(data, 1, "cy")
    # Tagged PDF/UA-1 in Welsh: the language, the title as the window title, H1 then H2, the table with its headers.
    found = pdfua.structure(pdf)
    assert found["ua1_failures"] == []  # a PDF/UA-1 validator passes the Welsh pack
    assert found["lang"] == "cy" and found["marked"] and found["display_doc_title"]
    assert found["title"] == "Coventry in brief" and "pdfuaid" in found["xmp"]
    tags = found["tags"]
    assert (
        tags.count("H1") == 1 and tags.index("H1") < tags.index("H2") and {"Table", "TH", "TD", "Caption"} <= set(tags)
    )
    assert found["headings"][:3] == ["Coventry in brief", "Ŵyr a ŷd", "Coventry in brief"]
    assert found["headings"][-1] == "Ffynonellau"  # the labels in the PDF's language
    assert {"KC-Sans", "KC-Sans-Bold"} <= found["fonts"] and not found["not_embedded"]  # DejaVu Sans, embedded
    text = pdfua.text(pdf)
    assert "Ŵyr a ŷd" in text and "369,026 [1] o bobl." in text and "369,026 [" in text
    doc = Document(io.BytesIO(exports.build_docx(data, 1)))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0] == ("Title", "Coventry in brief")
    assert ("Heading 1", "Ŵyr a ŷd") in headings and ("Heading 1", "Headline figures") in headings
    assert ("Heading 1", "Sources") in headings
    assert doc.tables[0].rows[1].cells[2].text.startswith("369,026 [")


def test_a_pack_for_every_member_place_is_issued_by_a_task_with_progress(
    secretariat: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from keycities.briefings.models import Batch

    places = services.member_places()
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_batch(Batch.For.PLACES, by=secretariat)
    batch.refresh_from_db()
    assert batch.state == Batch.State.DONE and batch.done == batch.total == len(places) > 20
    assert sorted(batch.issues) == sorted(p.slug for p in places)
    coventry = Pack.objects.get(kind=Kind.PLACE, place__slug="coventry")
    assert coventry.title == "Coventry in brief" and coventry.issues.get().pk == batch.issues["coventry"]
    profile = facts(coventry.issues.get().content["en"])
    assert profile["profile:population:coventry"]["value"] == population_by_hand(2024)["E08000026"]


def test_a_typed_number_that_matches_a_claim_is_offered_as_a_token(secretariat: User, client: Client) -> None:
    load_claims(CLAIMS_FILE)
    evaluate_all()
    pack = place_pack(secretariat)
    section = services.save_section(pack, "Economy", "Together we add over £135bn a year.", by=secretariat)
    client.force_login(secretariat)
    page = client.get(f"/briefings/packs/{pack.pk}/").content.decode()
    assert "“£135bn” matches “Economy: over £135bn a year”" in page
    assert "{{gva:key-cities:2020}}" in page or "{{gva:key-cities:latest}}" in page
    # Changing the section in place keeps it one section.
    form = client.get(f"/briefings/packs/{pack.pk}/?section={section.pk}").content.decode()
    assert "Together we add over £135bn a year." in form and f'name="section" value="{section.pk}"' in form
    client.post(f"/briefings/packs/{pack.pk}/", {"section": section.pk, "heading": "Economy",
                                                 "body": "We add {{gva:key-cities:2020}} a year."})  # fmt: skip
    section.refresh_from_db()
    assert pack.sections.count() == 1 and section.body == "We add {{gva:key-cities:2020}} a year."


def test_a_place_pack_lists_its_public_pilots_only(secretariat: User) -> None:
    from keycities.pilots import services as pilots

    coventry, hull = Place.objects.get(slug="coventry"), Place.objects.get(slug="hull")
    pilots.create_pilot({"name": "Coventry skills test bed", "kind": "devolved-delivery", "published": True,
                         "summary": "Adult skills budget run by the city.", "places": [coventry],
                         "start": dt.date(2025, 4, 1)}, by=secretariat)  # fmt: skip
    pilots.create_pilot({"name": "Draft pilot", "kind": "new-approach", "published": False, "summary": "Not yet.",
                         "places": [coventry]}, by=secretariat)  # fmt: skip
    pilots.create_pilot({"name": "Hull pilot", "kind": "new-approach", "published": True, "summary": "Elsewhere.",
                         "places": [hull]}, by=secretariat)  # fmt: skip
    found = next(
        s for s in content.build(place_pack(secretariat))["sections"] if s["heading"] == "Pilots and proposals"
    )
    assert found["items"] == ["Coventry skills test bed (Devolved delivery; from 1 April 2025): Adult skills budget "
                              "run by the city."]  # fmt: skip
    hull_pack = next(s for s in content.build(place_pack(secretariat, "hull"))["sections"]
                     if s["heading"] == "Pilots and proposals")  # fmt: skip
    assert [i.split(" (")[0] for i in hull_pack["items"]] == ["Hull pilot"]


def test_a_figure_named_in_many_sections_is_read_once_per_language(secretariat: User) -> None:
    """Issuing reads each token's figure once per language however many sections name it (a 14-section pack took
    seconds when every section read its figures again), and the Welsh build gets the Welsh figure, not the
    English one kept from the first build."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = "Output {{gva:coventry:2020}}, people {{population:coventry:latest}}."
    one, many = place_pack(secretariat), place_pack(secretariat, "bradford")
    services.save_section(one, "One", text, by=secretariat)
    for n in range(6):
        services.save_section(many, f"Section {n}", text.replace("bradford", "coventry"), by=secretariat)
    counts = []
    for pack in (one, many):
        with CaptureQueriesContext(connection) as queries:
            issued = services.issue_pack(pack, by=secretariat)
        counts.append(len(queries))
    # Six sections cost what one does, apart from reading the six sections themselves (a query per language
    # for the sections, and the place sections differ by place: compare the narrative's share only).
    assert counts[1] - counts[0] <= 4, counts
    paragraphs = {lang: issued.content[lang]["sections"][0]["paragraphs"][0] for lang in ("en", "cy")}
    gva = table_by_hand("Table 1", 2020)["E08000026"]
    tokens = {f["key"]: f for f in issued.figures if f["key"].startswith("token:")}
    gva_fact = tokens["token:gva:place/coventry:2020"]
    assert gva_fact["value"] == pytest.approx(gva)
    assert paragraphs["en"] == paragraphs["cy"] == "Output £9,941m [1], people 369,026 [2]."
    welsh = {f["key"]: f for f in issued.content["cy"]["facts"]}["token:gva:place/coventry:2020"]
    assert welsh["indicator_name"] == "Gwerth ychwanegol crynswth (GYC)" and welsh["value"] == gva_fact["value"]
    assert gva_fact["indicator_name"] == "Gross value added (GVA)"


def test_a_welsh_places_pack_names_it_in_welsh(secretariat: User) -> None:
    issued = services.issue_pack(place_pack(secretariat, "swansea"), by=secretariat)
    english, welsh = issued.content["en"], issued.content["cy"]
    assert english["sections"][0]["heading"] == "Swansea in brief"
    assert welsh["sections"][0]["heading"].startswith("Abertawe")
    assert welsh["sections"][1]["table"]["head"][2] == "Abertawe"
    labels = [f["label"] for f in welsh["facts"] if f["key"] == "profile:population:swansea"]
    assert labels and labels[0].startswith("Poblogaeth, Abertawe, ")


def test_a_pack_in_welsh_names_the_region_and_sources_in_welsh(secretariat: User) -> None:
    """England's regions by their official Welsh names (core.bilingual.AREA_NAMES), in sentences that need no
    mutation; the sources' publisher and dataset title in Welsh."""
    issued = services.issue_pack(place_pack(secretariat, "coventry"), by=secretariat)
    english, welsh = (json.dumps(issued.content[k], ensure_ascii=False) for k in ("en", "cy"))
    assert "Coventry is in West Midlands, England." in english
    assert "Rhanbarth Coventry yw Gorllewin Canolbarth Lloegr (Lloegr)." in welsh
    assert "Gorllewin Canolbarth Lloegr" in issued.content["cy"]["sections"][1]["table"]["head"]
    # What a reader sees (the facts keep English keys and release records, as identifiers):
    shown = json.dumps([issued.content["cy"]["sections"], issued.content["cy"].get("notes"),
                        [f["label"] for f in issued.content["cy"]["facts"]]], ensure_ascii=False)  # fmt: skip
    assert "West Midlands" not in shown
    assert "Ffynhonnell: y Swyddfa Ystadegau Gwladol, Amcangyfrifon canol blwyddyn o’r boblogaeth" in shown
    assert "Office for National Statistics" not in shown and "Mid-year population estimates" not in shown
    swansea = services.issue_pack(place_pack(secretariat, "swansea"), by=secretariat).content["cy"]
    assert "Gwlad Abertawe yw Cymru." in json.dumps(swansea, ensure_ascii=False)
