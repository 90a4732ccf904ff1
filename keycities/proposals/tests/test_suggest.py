"""The work-area suggester, with the real model (all-MiniLM-L6-v2, int8 ONNX) on the labelled proposals.

No database: the work areas come from data/network.yaml, the proposals from labelled_proposals.yaml.
The model is loaded once for the module. Accuracy, not speed, is asserted here (speed: benchmarks/suggest.py).
"""

from __future__ import annotations

import math
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from keycities.proposals import suggest as sg
from keycities.proposals.suggest import EmbeddingSuggester, KeywordSuggester, Suggestion, WorkAreaText

HERE = Path(__file__).resolve().parent
NETWORK = HERE.parents[2] / "data" / "network.yaml"
LABELLED = HERE / "labelled_proposals.yaml"

TOP1_TARGET = 0.85  # issue 5: on proposals written independently of the project
TOP2_TARGET = 0.95


def work_areas() -> list[WorkAreaText]:
    data = yaml.safe_load(NETWORK.read_text(encoding="utf-8"))
    return [WorkAreaText(w["slug"], w["name"], " ".join(w["description"].split())) for w in data["work_areas"]]


def labelled(split: str | None = None) -> list[dict[str, Any]]:
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["proposals"]
    return [p for p in items if split is None or p["split"] == split]


def accuracy(suggester: Any, items: list[dict[str, Any]], areas: list[WorkAreaText]) -> tuple[float, float, list[str]]:
    top1 = top2 = 0
    misses = []
    for p in items:
        ranked = [s.slug for s in suggester.suggest(p["title"], p["text"], areas)]
        top1 += ranked[0] == p["work_area"]
        top2 += p["work_area"] in ranked[:2]
        if ranked[0] != p["work_area"]:
            misses.append(f"{p['title']!r}: {p['work_area']}, suggested {ranked[:3]}")
    return top1 / len(items), top2 / len(items), misses


@pytest.fixture(scope="module")
def areas() -> list[WorkAreaText]:
    return work_areas()


@pytest.fixture(scope="module")
def model() -> EmbeddingSuggester:
    assert sg.model_available(), "the model packages are not installed: pip install -e . (see pyproject.toml)"
    return EmbeddingSuggester(sg.get_embedder())


# --- the data ----------------------------------------------------------------------


def test_labelled_set_is_well_formed(areas: list[WorkAreaText]) -> None:
    slugs = {a.slug for a in areas}
    items = labelled()
    assert len(slugs) == 11
    assert len(items) >= 40
    for p in items:
        assert set(p) >= {"title", "text", "work_area", "split"}, p
        assert p["work_area"] in slugs, p["title"]
        assert p["split"] in ("dev", "test"), p["title"]
        assert 2 <= p["text"].count(". ") + 1 <= 6, p["title"]  # 2-5 sentences, roughly
    assert len({p["title"] for p in items}) == len(items)
    tests = labelled("test")
    assert 0.4 <= len(tests) / len(items) <= 0.6
    assert {p["work_area"] for p in tests} == slugs  # every work area is in the held-out half


def test_every_work_area_has_a_profile(areas: list[WorkAreaText]) -> None:
    profiles = sg.load_profiles()
    assert set(profiles) == {a.slug for a in areas}
    assert all(len(sentences) >= 5 for sentences in profiles.values())


# --- accuracy with the real model --------------------------------------------------


def test_accuracy_on_held_out_proposals(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    top1, top2, misses = accuracy(model, labelled("test"), areas)
    assert top1 >= TOP1_TARGET, (top1, misses)
    assert top2 >= TOP2_TARGET, (top2, misses)


def test_profiles_beat_plain_similarity_to_the_descriptions(model: EmbeddingSuggester,
                                                            areas: list[WorkAreaText]) -> None:  # fmt: skip
    baseline = EmbeddingSuggester(sg.get_embedder(), method=sg.BASELINE)
    items = labelled()
    ours, base = accuracy(model, items, areas), accuracy(baseline, items, areas)
    assert ours[0] > base[0] and ours[1] > base[1], (ours[:2], base[:2])


def test_default_suggest_is_the_model(areas: list[WorkAreaText]) -> None:
    assert isinstance(sg.get_suggester(), EmbeddingSuggester)
    result = sg.suggest("Bus franchising", "We want the council to set bus routes, fares and timetables.", areas)
    assert result[0].slug == "transport"


# --- the shape of an answer --------------------------------------------------------


def check_ranking(result: list[Suggestion], areas: list[WorkAreaText]) -> None:
    assert sorted(s.slug for s in result) == sorted(a.slug for a in areas)
    assert all(0.0 <= s.score <= 1.0 for s in result)
    assert [s.score for s in result] == sorted((s.score for s in result), reverse=True)
    assert math.isclose(sum(s.score for s in result), 1.0, abs_tol=1e-6)
    names = {a.slug: a.name for a in areas}
    assert all(s.name == names[s.slug] for s in result)


def test_all_work_areas_ranked_best_first(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    result = model.suggest("Warm homes", "Insulating council flats and fitting heat pumps for tenants.", areas)
    check_ranking(result, areas)
    assert result[0].score > result[-1].score
    assert {result[0].slug, result[1].slug} == {"housing", "environment"}


def test_deterministic(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    p = labelled("dev")[0]
    first = model.suggest(p["title"], p["text"], areas)
    assert model.suggest(p["title"], p["text"], areas) == first
    assert EmbeddingSuggester(sg.get_embedder()).suggest(p["title"], p["text"], areas) == first  # cold caches


def test_title_only(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    result = model.suggest("English conversation classes for refugees", "   ", areas)
    check_ranking(result, areas)
    assert result[0].slug == "integration"


def test_nothing_to_go_on_gives_equal_scores(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    result = model.suggest("", "  \n ", areas)
    assert [s.slug for s in result] == [a.slug for a in areas]
    assert len({s.score for s in result}) == 1
    assert model.suggest("anything", "", []) == []


def test_very_long_text_is_truncated(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    opening = "We propose franchising the city's buses so the council sets routes, fares and timetables. "
    filler = " ".join(["passengers"] * 9_985)
    text = opening + filler  # about 10,000 words; the model reads the first 256 tokens
    result = model.suggest("Buses", text, areas)
    check_ranking(result, areas)
    assert result[0].slug == "transport"
    assert model.suggest("Buses", text + " Refugees, housing, culture and the NHS.", areas) == result  # past the cut


def test_work_area_without_a_profile_uses_its_description(model: EmbeddingSuggester,
                                                          areas: list[WorkAreaText]) -> None:  # fmt: skip
    extra = WorkAreaText("digital", "Digital", "Broadband, mobile coverage and digital inclusion in our cities.")
    result = model.suggest("Gigabit broadband", "Full-fibre broadband for every home and business.", [*areas, extra])
    check_ranking(result, [*areas, extra])
    assert result[0].slug == "digital"


def test_reworded_work_area_is_embedded_again(model: EmbeddingSuggester) -> None:
    a = WorkAreaText("x", "X", "Buses, trams and trains.")
    b = WorkAreaText("x", "X", "Theatres, museums and galleries.")
    other = WorkAreaText("y", "Y", "Parks and trees.")
    assert model.suggest("A new tram line", "", [a, other])[0].slug == "x"
    assert model.suggest("A new tram line", "", [b, other])[0].slug == "y"


# --- the model and its files -------------------------------------------------------


def test_embed_gives_unit_vectors_that_reflect_meaning() -> None:
    buses, trams, opera = (sg.embed(t) for t in ("More buses at night", "A new tram route", "Opera in the park"))
    assert len(buses) == sg.DIMENSION
    assert math.isclose(math.fsum(x * x for x in buses), 1.0, rel_tol=1e-4)

    def dot(u: list[float], v: list[float]) -> float:
        return math.fsum(x * y for x, y in zip(u, v, strict=True))

    assert dot(buses, trams) > dot(buses, opera)


def test_model_loads_without_the_network(monkeypatch: pytest.MonkeyPatch, areas: list[WorkAreaText]) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the suggester tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    embedder = sg.MiniLMEmbedder(*sg.model_files())  # a fresh load from the installed packages
    result = EmbeddingSuggester(embedder).suggest("Rail electrification", "Faster electric trains.", areas)
    assert result[0].slug == "transport"


def test_a_different_model_file_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "model.onnx"
    wrong.write_bytes(b"not the model")
    with pytest.raises(sg.ModelFileError):
        sg.MiniLMEmbedder(wrong, sg.model_files()[1])


# --- the fallback ------------------------------------------------------------------


def test_keyword_fallback_ranks_sensibly(areas: list[WorkAreaText]) -> None:
    fallback = KeywordSuggester()
    result = fallback.suggest("Bus franchising", "Cheaper fares and more bus routes in the evening.", areas)
    check_ranking(result, areas)
    assert result[0].slug == "transport"
    assert (
        fallback.suggest("Apprenticeships", "Apprenticeship levy transfers to small firms.", areas)[0].slug == "skills"
    )
    assert len({s.score for s in fallback.suggest("zzz qqq", "", areas)}) == 1  # no known word: all equal


def test_fallback_is_used_only_when_the_model_is_not_installed(monkeypatch: pytest.MonkeyPatch,
                                                               areas: list[WorkAreaText]) -> None:  # fmt: skip
    monkeypatch.setattr(sg, "_default", None)
    monkeypatch.setattr(sg, "_embedder", None)
    monkeypatch.setattr(sg, "_package_dir", lambda name: None)  # as if pip had not installed the model
    assert not sg.model_available()
    assert sg.embed("anything") == []
    assert isinstance(sg.get_suggester(), KeywordSuggester)
    assert sg.suggest("Flood defences", "Natural flood management upstream.", areas)[0].slug == "environment"


# --- Welsh, informal, indirect and multi-area proposals (issue 14 item 6, ADR 0030) --------

ROUTING_DEV = HERE / "routing_dev.yaml"
ROUTING_HELDOUT = HERE / "routing_heldout.yaml"
KINDS = ("welsh", "informal", "indirect", "multi")
# Below what the held-out set measures (ADR 0030), with room for a proposal or two.
ROUTING_TOP1_TARGET = {"welsh": 0.85, "informal": 0.8, "indirect": 0.6, "multi": 0.85}
ROUTING_TOP2_TARGET = {"welsh": 0.95, "informal": 0.9, "indirect": 0.7, "multi": 0.95}


def routing(path: Path, kind: str | None = None) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["proposals"]
    return [p for p in items if kind is None or p["kind"] == kind]


def routing_accuracy(suggester: Any, items: list[dict[str, Any]],
                     areas: list[WorkAreaText]) -> tuple[float, float, list[str]]:  # fmt: skip
    """Top-1 and top-2, where any of a proposal's work areas counts as right."""
    top1 = top2 = 0
    misses = []
    for p in items:
        ranked = [s.slug for s in suggester.suggest(p["title"], p["text"], areas)]
        top1 += ranked[0] in p["areas"]
        top2 += bool(set(ranked[:2]) & set(p["areas"]))
        if ranked[0] not in p["areas"]:
            misses.append(f"{p['title']!r}: {p['areas']}, suggested {ranked[:3]}")
    return top1 / len(items), top2 / len(items), misses


def test_routing_sets_are_well_formed_and_apart(areas: list[WorkAreaText]) -> None:
    slugs = {a.slug for a in areas}
    held_out, dev = routing(ROUTING_HELDOUT), routing(ROUTING_DEV)
    for p in held_out + dev:
        assert set(p) == {"kind", "areas", "title", "text"}, p
        assert p["kind"] in KINDS, p["title"]
        assert set(p["areas"]) <= slugs and len(set(p["areas"])) == len(p["areas"]), p["title"]
        assert (len(p["areas"]) >= 2) == (p["kind"] == "multi"), p["title"]
    for kind in KINDS:
        assert len(routing(ROUTING_HELDOUT, kind)) >= 25, kind
        assert len(routing(ROUTING_DEV, kind)) >= 10, kind
    titles = [p["title"] for p in held_out + dev + labelled()]
    assert len(set(titles)) == len(titles)  # no proposal is in two sets
    texts = {p["text"] for p in held_out}
    assert not texts & {p["text"] for p in dev}
    assert {a for p in routing(ROUTING_HELDOUT, "welsh") for a in p["areas"]} == slugs


@pytest.mark.parametrize("kind", KINDS)
def test_routing_accuracy_on_held_out_proposals(kind: str, model: EmbeddingSuggester,
                                                areas: list[WorkAreaText]) -> None:  # fmt: skip
    top1, top2, misses = routing_accuracy(model, routing(ROUTING_HELDOUT, kind), areas)
    assert top1 >= ROUTING_TOP1_TARGET[kind], (top1, misses)
    assert top2 >= ROUTING_TOP2_TARGET[kind], (top2, misses)


def test_welsh_is_routed_as_well_as_english(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    welsh = routing_accuracy(model, routing(ROUTING_HELDOUT, "welsh"), areas)
    english = accuracy(model, labelled("test"), areas)
    assert welsh[0] >= english[0] - 0.05, (welsh[:2], english[:2], welsh[2])
    assert welsh[1] >= english[1] - 0.05, (welsh[:2], english[:2], welsh[2])


@pytest.mark.parametrize(
    ("title", "text", "slug"),
    [
        ("Bysiau gyda'r nos", "Does dim bws ar ôl saith o'r gloch ac mae'r prisiau'n rhy uchel.", "transport"),
        ("Rhagor o dai cyngor", "Mae'r rhestr aros am dŷ cymdeithasol yn hirach nag erioed yn ein sir ni.", "housing"),
        ("Unigrwydd mewn cartrefi gofal", "Mae llawer o'n preswylwyr hŷn yn unig ac heb ymwelwyr.",
         "health-and-social-care"),
        ("Gwersi Saesneg", "Mae ffoaduriaid sydd wedi ymgartrefu yma yn aros misoedd am ddosbarth Saesneg.",
         "integration"),
        ("Paneli solar", "Dylai'r cyngor osod paneli solar ar ei adeiladau i leihau allyriadau carbon.", "environment"),
    ],
)  # fmt: skip
def test_welsh_proposals_go_to_the_right_work_area(title: str, text: str, slug: str, model: EmbeddingSuggester,
                                                   areas: list[WorkAreaText]) -> None:  # fmt: skip
    assert model.suggest(title, text, areas)[0].slug == slug
    assert KeywordSuggester().suggest(title, text, areas)[0].slug == slug  # the fallback reads Welsh too


def test_welsh_glosses_are_what_was_before(model: EmbeddingSuggester, areas: list[WorkAreaText]) -> None:
    before = EmbeddingSuggester(sg.get_embedder(), method=sg.BEFORE_WELSH)
    english = ("Bus franchising", "We want the council to set bus routes, fares and timetables.")
    assert model.suggest(*english, areas) == before.suggest(*english, areas)  # English is read as before


def test_welsh_is_told_from_english() -> None:
    assert sg.is_welsh("Mae'r trenau'n hwyr bob bore ac rydym am weld gwell gwasanaeth.")
    assert sg.is_welsh("Tai cymdeithasol\nHoffem godi rhagor o dai rhent cymdeithasol yn y ddinas.")
    assert not sg.is_welsh("buses are a joke, the 42 never turns up after 6pm")
    assert not sg.is_welsh("Bus franchising")
    english = [p for p in labelled()] + routing(ROUTING_HELDOUT) + routing(ROUTING_DEV)
    for p in english:
        assert sg.is_welsh(f"{p['title']}\n{p['text']}") == (p.get("kind") == "welsh"), p["title"]


def test_mutations_are_undone() -> None:
    assert "bysiau" in sg.radicals("fysiau")  # soft
    assert "tai" in sg.radicals("nhai")  # nasal
    assert "cartrefi" in sg.radicals("chartrefi")  # aspirate
    assert "cartref" in sg.radicals("gartref")
    assert "ysgol" in sg.radicals("hysgol")  # h- before a vowel
    assert "gofal" in sg.radicals("ofal")  # soft mutation of g
    assert "dinas" in sg.radicals("ddinas") and "tinas" not in sg.radicals("ddinas")
    assert sg.radicals("ffordd") == ["ffordd"]


def test_welsh_glosses() -> None:
    text = "Mae angen i'r cyngor reoli llwybrau a phrisiau'r bysiau, a gwella'n cartrefi gofal."
    assert sg.welsh_glosses(text) == ["routes", "fares prices", "buses", "care homes"]
    assert sg.welsh_glosses("Dim byd perthnasol yma.") == []
    terms = sg.welsh_terms()
    assert len(terms) >= 200
    assert all(k == k.lower() and v for k, v in terms.items())


def test_every_work_area_has_a_welsh_profile(areas: list[WorkAreaText]) -> None:
    profiles = sg.load_profiles(sg.PROFILES_CY_FILE)
    assert set(profiles) == {a.slug for a in areas}
    assert all(len(sentences) >= 5 for sentences in profiles.values())
