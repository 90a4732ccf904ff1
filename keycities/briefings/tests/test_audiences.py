"""Packs for an MP and for a Minister or department, on the real test extracts (engagement's ward lookup, MPs,
Centre for Cities rows, APPG entry and IfG Ministers; the observatory's population and GVA extracts): every
figure and pairing checked against the files, private interactions kept to the places the pack is about, and a
send recorded as an interaction with each person."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from keycities.accounts.models import Role, User
from keycities.briefings import content, exports, services
from keycities.briefings.models import Batch, Issue, Kind, Pack
from keycities.consultations.tests.conftest import consultation, members  # noqa: F401  (fixtures)
from keycities.consultations.tests.test_ledger_api import ledger  # noqa: F401  (fixture)
from keycities.core.tests import pdfua
from keycities.engagement import services as engagement
from keycities.engagement.models import Interaction, Organisation, Person
from keycities.engagement.tests import extracts
from keycities.network.models import Place, WorkArea

from .test_packs import facts, population_by_hand

pytestmark = pytest.mark.django_db

BRADFORD = "E08000032"


@pytest.fixture
def loaded(registry: None) -> None:
    extracts.load()


def cfc_row(code: str) -> dict[str, str]:
    """The Centre for Cities file's row for a constituency, read without the Hub's loader."""
    with extracts.CFC.open(encoding="cp1252", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[1]
    return next(dict(zip(header, r, strict=False)) for r in rows[2:] if len(r) > 1 and r[1] == code)


def mp_pack(secretariat: User, name: str = "Imran Hussain") -> Pack:
    person = Person.objects.get(name=name)
    return services.create_pack({"kind": Kind.MP, "title": f"Briefing for {name}", "person": person}, by=secretariat)


def section(data: dict, heading: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in data["sections"] if s["heading"].startswith(heading))


def test_mp_pack_is_their_constituency_and_its_member_places(loaded: None, secretariat: User) -> None:
    data = content.build(mp_pack(secretariat))
    about = section(data, "About the MP")["paragraphs"][0]
    assert about == "Imran Hussain (Labour) is the MP for Bradford East, since 7 May 2015."
    # Bradford East's wards all lie in Bradford (the ONS lookup extract: 6 ward rows, all in E08000032).
    with extracts.LOOKUP.open(encoding="utf-8-sig", newline="") as f:
        wards = [r for r in csv.DictReader(f) if r["PCON24CD"] == "E14001118"]
    assert len(wards) == 6 and {r["LAD24CD"] for r in wards} == {BRADFORD}
    table = section(data, "The constituency and member places")["table"]
    assert table["rows"] == [["Bradford", "6 of 6", "100% [1]"]]
    assert "Office for National Statistics, Ward to Westminster" in data["notes"][0]["text"]
    # Centre for Cities figures, labelled as theirs, as the file gives them.
    cfc = section(data, "Centre for Cities figures for Bradford East")
    assert "not the Hub’s" in cfc["paragraphs"][0]
    by_label = {row[0]: row[1] for row in cfc["table"]["rows"]}
    assert by_label["Jobs per resident (2022)"].startswith(cfc_row("E14001118")["Jobs per resident (2022)"].strip())
    # The place's headline figures are the files' figures, with a trend chart and its source.
    assert facts(data)["profile:population:bradford"]["value"] == population_by_hand(2024)[BRADFORD]
    headline = section(data, "Headline figures")
    chart = headline["chart"]
    assert chart["svg"].startswith("<svg") and chart["title"] == "GVA per head: Bradford against Key Cities and the UK"
    assert chart["head"][:3] == ["Period", "Bradford", "Key Cities"] and chart["note"]
    appg = section(data, "The Key Cities APPG")
    assert "Imran Hussain is not an officer of the APPG." in appg["paragraphs"]
    assert appg["items"] and all(", " in item for item in appg["items"])
    assert data["places"] == [Place.objects.get(slug="bradford").pk]


def test_mp_pack_lists_only_interactions_about_their_places(loaded: None, secretariat: User) -> None:
    person = Person.objects.get(name="Imran Hussain")
    today = dt.date.today()
    engagement.record_interaction({"kind": "meeting", "date": today, "title": "Skills devolution in Bradford",
                                   "people": [person], "places": [Place.objects.get(slug="bradford")]},
                                  by=secretariat)  # fmt: skip
    engagement.record_interaction({"kind": "call", "date": today, "title": "Coventry's bus franchise",
                                   "people": [person], "places": [Place.objects.get(slug="coventry")]},
                                  by=secretariat)  # fmt: skip
    engagement.record_interaction({"kind": "letter", "date": today, "title": "Integration pilots",
                                   "people": [person], "work_areas": [WorkArea.objects.get(slug="integration")]},
                                  by=secretariat)  # fmt: skip
    items = section(content.build(mp_pack(secretariat)), "Our interactions with them")["items"]
    assert len(items) == 2
    assert any(i.endswith("Meeting: Skills devolution in Bradford") for i in items)
    assert any(i.endswith("Letter: Integration pilots") for i in items)  # a work area Bradford leads


def test_an_mp_pack_is_for_a_sitting_mp(loaded: None, secretariat: User) -> None:
    reeves = Person.objects.get(name="Rachel Reeves")  # a Minister in the extract, with no seat loaded
    with pytest.raises(ValidationError, match="Rachel Reeves is not an MP today"):
        services.create_pack({"kind": Kind.MP, "title": "x", "person": reeves}, by=secretariat)
    with pytest.raises(ValidationError, match="Choose the MP"):
        services.create_pack({"kind": Kind.MP, "title": "x"}, by=secretariat)


def test_department_pack_has_its_asks_ministers_and_evidence(loaded: None, ledger: dict,  # type: ignore[type-arg]  # noqa: F811
                                                             secretariat: User) -> None:  # fmt: skip
    treasury = Organisation.objects.get(name="HM Treasury")
    reeves = Person.objects.get(name="Rachel Reeves")
    pack = services.create_pack({"kind": Kind.DEPARTMENT, "title": "For the Chancellor", "organisation": treasury,
                                 "person": reeves}, by=secretariat)  # fmt: skip
    data = content.build(pack)
    about = section(data, "About HM Treasury")
    assert "Prepared for Rachel Reeves, Chancellor of the Exchequer." in about["paragraphs"]
    assert "Rachel Reeves, Chancellor of the Exchequer" in about["items"]
    # The published ask to HM Treasury, with its status; the draft one is not published, so not shown.
    asks = section(data, "Our asks of the department")["items"]
    assert asks == [f"Five-year bus funding settlements (Transport): No reply [{asks[0][-2]}]"]
    transport = WorkArea.objects.get(slug="transport")
    evidence = section(data, "Evidence: Transport")
    assert evidence["paragraphs"][0] == "Lead: " + ", ".join(p.name for p in transport.leads.all())
    assert sorted(data["places"]) == sorted(p.pk for p in transport.leads.all())
    with pytest.raises(ValidationError, match="Heidi Alexander is not a Minister in HM Treasury"):
        services.create_pack({"kind": Kind.DEPARTMENT, "title": "x", "organisation": treasury,
                              "person": Person.objects.get(name="Heidi Alexander")}, by=secretariat)  # fmt: skip


def test_sending_an_issue_records_an_interaction_with_each_person(loaded: None, secretariat: User) -> None:
    issue = services.issue_pack(mp_pack(secretariat), by=secretariat)
    mp = Person.objects.get(name="Imran Hussain")
    aide = Person.objects.create(name="Sam Caseworker", email="sam@parliament.test")
    client = Client()
    client.force_login(secretariat)
    url = f"/briefings/{issue.pack_id}/v{issue.version}/send/"
    refused = client.post(url, {"people": [], "kind": "email", "on": "2026-11-27"})
    assert refused.status_code == 400 and Interaction.objects.count() == 0
    response = client.post(url, {"people": [mp.pk, aide.pk], "kind": "email", "on": "2026-11-27"})
    assert response.status_code == 302
    sent = Interaction.objects.order_by("pk")
    assert [list(i.people.all()) for i in sent] == [[mp], [aide]]
    assert {i.title for i in sent} == {"Briefing sent: Briefing for Imran Hussain, version 1"}
    assert all(i.kind == "email" and i.date == dt.date(2026, 11, 27) for i in sent)
    assert [p.slug for p in sent[0].places.all()] == ["bradford"]
    # Sending again to the same person records nothing new.
    client.post(url, {"people": [mp.pk], "kind": "letter", "on": "2026-11-28"})
    assert Interaction.objects.count() == 2 and issue.recipients.count() == 2
    for page in (f"/briefings/{issue.pack_id}/v1/", url):
        assert "Sam Caseworker, 27 November 2026" in client.get(page).content.decode()


def test_a_private_pack_is_read_by_the_officers_of_its_places(loaded: None, secretariat: User, officer: User) -> None:
    issue = services.issue_pack(mp_pack(secretariat), by=secretariat)
    hull = User.objects.create_user("hull", "o@hull.test", "correct horse battery", role=Role.MEMBER_OFFICER,
                                    place=Place.objects.get(slug="hull"))  # fmt: skip
    url = f"/briefings/{issue.pack_id}/v1/"
    for user, status in ((officer, 200), (hull, 404), (secretariat, 200)):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status, user
    assert Client().get(url).status_code == 404


def test_pdf_and_docx_carry_the_chart_with_its_alt_text(loaded: None, secretariat: User) -> None:
    from docx import Document

    data = content.build(mp_pack(secretariat))
    # In the PDF the chart is the observatory's SVG, drawn as vector graphics, tagged as a figure with its alt text.
    found = pdfua.structure(exports.build_pdf(data, 1))
    assert found["ua1_failures"] == []  # with a chart (Figure with /Alt) and its table
    (alt,) = found["alts"]
    assert alt == next(s["chart"] for s in data["sections"] if s.get("chart"))["description"]
    assert alt.startswith("Line chart: GVA per head: Bradford against Key Cities and the UK.")
    assert found["lang"] == "en-GB" and found["tags"].index("H2") < found["tags"].index("Figure")
    doc = Document(io.BytesIO(exports.build_docx(data, 1)))
    (shape,) = doc.inline_shapes
    alt = shape._inline.docPr.get("descr")
    assert alt.startswith("Line chart: GVA per head: Bradford against Key Cities and the UK.")
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("GVA per head: Bradford against Key Cities and the UK [")


def test_a_pack_for_every_mp_in_member_places_is_a_task(loaded: None, secretariat: User,
                                                       django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    mps = services.sitting_mps()
    # The extract's MPs whose constituency overlaps a member place (Bradford's and Salford's seats).
    assert {p.name for p in mps} >= {"Imran Hussain", "Judith Cummins", "Naz Shah"}
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_batch(Batch.For.MPS, by=secretariat)
    batch.refresh_from_db()
    assert batch.state == Batch.State.DONE and batch.done == batch.total == len(mps)
    issued = Issue.objects.filter(pk__in=batch.issues.values())
    assert sorted(i.pack.person_id for i in issued) == sorted(p.pk for p in mps)
