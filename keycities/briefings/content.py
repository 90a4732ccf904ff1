"""The one content builder: a pack as a plain dict that the HTML page, the PDF and the DOCX all render, and that
an issue freezes. Built once per language (`build_all`), since labels are translated when the pack is built.

    {"title", "kind", "kind_label", "built_on", "sections": [{"heading", "paragraphs", "items", "table"}],
     "notes": [{"number", "text"}], "facts": [...every figure, claim and ask, with its key and note...]}

`table` is {"caption", "head": [...], "rows": [[...]]}. Each figure carries the number of its source note (one
note per release). `facts` is what "what changed since the last pack" compares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keycities.claims import queries as claims
from keycities.claims.models import Verdict
from keycities.consultations import queries as consultations
from keycities.consultations.policy import published_asks
from keycities.core import charts
from keycities.core.bilingual import area_name, localised_text, official_name
from keycities.core.charts import format_value
from keycities.network.models import Group, Place, WorkArea
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import Store
from keycities.pilots.policy import visible_pilots
from keycities.voice import policy as voice_policy
from keycities.voice import results as voice_results
from keycities.voice.analysis import MIN_CELL

from . import audiences, tokens
from .figures import group_value, release_record
from .models import Kind, Pack

# The headline indicators of a place's profile, in the order shown.
HEADLINE = ("population", "gva", "gva-per-head", "gdp-per-head", "employment-rate", "median-weekly-pay")
# The trend a place's pack draws: output per head, the place against the group and the UK.
TREND = "gva-per-head"
UK = "K02000001"


class Builder:
    """Collects facts and numbers their source notes while a pack is built."""

    def __init__(self) -> None:
        self.notes: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.places: set[int] = set()  # the member places the pack is about (who may read a private pack)
        self._by_release: dict[Any, int] = {}

    def note(self, release: dict[str, Any] | None, source: str = "") -> int:
        """The number of the release's note (or of a source that is not a release, such as the asks ledger)."""
        key = release["id"] if release else source
        if key not in self._by_release:
            self._by_release[key] = len(self.notes) + 1
            self.notes.append({"number": len(self.notes) + 1, "release_id": release["id"] if release else None,
                               "text": source_text(release) if release or not source else source})  # fmt: skip
        return self._by_release[key]

    def add(self, fact: dict[str, Any]) -> dict[str, Any]:
        fact = {**fact, "note": self.note(fact.get("release"), fact.get("source", ""))}
        if not any(f["key"] == fact["key"] for f in self.facts):
            self.facts.append(fact)
        return fact


def source_text(release: dict[str, Any] | None) -> str:
    if release is None:
        return _("Source not recorded.")
    on = date_format(dt.date.fromisoformat(release["release_date"]), "j F Y")
    return _("Source: %(publisher)s, %(dataset)s, released %(date)s (release %(id)s); licensed under the "
             "%(licence)s.") % {"publisher": official_name(release["publisher"]),
                                "dataset": observatory.dataset_title(release["dataset"]), "date": on,
                                "id": release["id"], "licence": official_name(release["licence"])}  # fmt: skip


def _with_note(fact: dict[str, Any] | None) -> str:
    return f"{fact['text']} [{fact['note']}]" if fact else "–"


def narrative(pack: Pack, b: Builder, store: Store) -> list[dict[str, Any]]:
    out = []
    for section in pack.sections.all():
        try:
            values = tokens.validate(section.body, store)
        except tokens.TokenError:
            values = {}
        for key, value in values.items():
            values[key] = b.add({**value, "key": "token:" + key, "kind": "figure"})
        text = tokens.render(section.body, values, lambda f: int(f["note"]), store)
        out.append({"heading": section.heading, "paragraphs": [p.strip() for p in text.split("\n\n") if p.strip()],
                    "items": [], "table": None})  # fmt: skip
    return out


def headline_table(places: list[Place], b: Builder, store: Store, caption: str) -> dict[str, Any]:
    """Each headline indicator for the places, against the group, their region and the UK, with ranks."""
    group = Group.objects.get(slug=observatory.KEY_CITIES)
    single = len(places) == 1
    names = {p.slug: localised_text(p, "name") for p in places}
    head = [_("Indicator"), _("Year"), *names.values(), _("Rank among members"), group.name]
    if single:
        head += [area_name(places[0].region_name), _("United Kingdom")]
    rows = []
    profiles = {p.slug: {r.indicator.slug: r for r in observatory.place_profile(p, store, only=HEADLINE)}
                for p in places}  # fmt: skip
    for slug in HEADLINE:
        first = next((profiles[p.slug].get(slug) for p in places if profiles[p.slug].get(slug)), None)
        if first is None or first.period is None:
            continue
        ind, period = first.indicator, first.period
        release = release_record(first.release)
        ind_name = localised_text(ind, "name")
        row = [ind_name, str(period)]
        ranks = []
        for place in places:
            r = profiles[place.slug].get(slug)
            if r is None or r.value is None:
                row.append(r.reason if r else "–")
                continue
            fact = b.add({"key": f"profile:{slug}:{place.slug}", "kind": "figure",
                          "label": f"{ind_name}, {names[place.slug]}, {r.period}", "indicator": slug,
                          "subject": place.slug, "period": r.period, "value": r.value,
                          "text": format_value(r.value, ind.unit), "release": release_record(r.release)})  # fmt: skip
            row.append(_with_note(fact))
            if r.rank_members:
                ranks.append(_("%(rank)s of %(of)s") % {"rank": r.rank_members, "of": r.of_members})
        row.append("; ".join(ranks) or "–")
        found = group_value(group, ind, period, store)
        row.append(_with_note(b.add({**found, "key": f"profile:{slug}:{group.slug}", "kind": "figure"})
                              if found and found["value"] is not None else None))  # fmt: skip
        if single:
            r = profiles[places[0].slug][slug]
            for name, label, value in ((places[0].region_name, area_name(places[0].region_name), r.region),
                                       ("United Kingdom", _("United Kingdom"), r.uk)):  # fmt: skip
                row.append(_with_note(b.add({"key": f"profile:{slug}:{name}", "kind": "figure",
                                             "label": f"{ind_name}, {label}, {period}", "indicator": slug,
                                             "subject": name, "period": period, "value": value,
                                             "text": format_value(value, ind.unit), "release": release})
                                      if value is not None else None))  # fmt: skip
        rows.append(row)
    return {"caption": caption, "head": head, "rows": rows}


def trend_chart(place: Place, b: Builder, store: Store) -> dict[str, Any] | None:
    """The place's GVA per head over time against Key Cities and the UK: the observatory's chart (SVG for the page,
    its spec for the PDF and DOCX picture), with the source note of its newest release."""
    ind = observatory.indicator(TREND)
    if ind is None:
        return None
    name = localised_text(place, "name")
    named = {name: observatory.place_series(ind, place, store),
             "Key Cities": observatory.group_series(ind, observatory.KEY_CITIES, store)}  # fmt: skip
    if not any(p.value is not None for p in named[name]):
        return None
    uk = observatory.area_series(ind, UK, store)
    if any(p.value is not None for p in uk):
        named[_("United Kingdom")] = uk
    series, breaks = observatory.chart_series(named)
    title = _("%(indicator)s: %(place)s against Key Cities and the UK") % {
        "indicator": localised_text(ind, "name"),
        "place": name,
    }
    chart = charts.line_chart(title, series, unit=ind.unit, highlight=name, breaks=breaks)
    newest = next((p.release for p in reversed(named[name]) if p.release), None)
    note = b.note(release_record(newest)) if newest else None
    return {"title": title, "svg": chart.svg, "spec": chart.spec, "description": chart.spec.get("description", ""),
            "note": note, "head": chart.columns, "rows": chart.rows}  # fmt: skip


def _leads(area: WorkArea) -> str:
    return ", ".join(localised_text(p, "name") for p in area.leads.all()) or _("no lead recorded")


def place_sections(place: Place, b: Builder, store: Store) -> list[dict[str, Any]]:
    b.places.add(place.pk)
    summary = [place.summary] if place.summary else []
    covers = ", ".join(f"{a.area_name} ({a.area_code})" for a in place.areas_on(timezone.localdate()))
    name = localised_text(place, "name")
    said = {"name": name, "region": area_name(place.region_name), "nation": place.get_nation_display(),
            "areas": covers}  # fmt: skip
    if place.region_name == place.nation:  # Welsh, Scottish and Northern Irish places: the nation is the region
        where = _("%(name)s is in %(nation)s. It covers %(areas)s.") % said
    else:
        where = _("%(name)s is in %(region)s, %(nation)s. It covers %(areas)s.") % said
    facts = [*summary, where]
    led = [_("%(area)s (leads: %(leads)s)") % {"area": localised_text(a, "name"), "leads": _leads(a)}
           for a in place.work_areas_led.prefetch_related("leads").order_by("name")]  # fmt: skip
    return [
        {"heading": _("%(name)s in brief") % {"name": name}, "paragraphs": facts, "items": [], "table": None},
        {"heading": _("Headline figures"), "paragraphs": [], "items": [], "table": headline_table(
            [place], b, store, _("%(name)s against Key Cities, its region and the UK") % {"name": name}),
         "chart": trend_chart(place, b, store)},
        {"heading": _("Work areas it leads"), "paragraphs": [] if led else [_("It leads no work area.")],
         "items": led, "table": None},
        pilot_section(place),
        *survey_sections(b, place=place),
    ]  # fmt: skip


def pilot_section(place: Place) -> dict[str, Any]:
    """The place's public pilots (those the pilots' policy shows to anyone), with their public summary. Proposals
    have no public state: a proposal is listed only through the published pilot it became."""
    items = []
    for pilot in visible_pilots(AnonymousUser()).filter(places=place).order_by("name"):
        said = [str(pilot.get_kind_display())]
        if pilot.work_area:
            said.append(localised_text(pilot.work_area, "name"))
        if pilot.start:
            said.append(_("from %(start)s") % {"start": date_format(pilot.start, "j F Y")})
        text = f"{localised_text(pilot, 'name')} ({'; '.join(said)}): {localised_text(pilot, 'summary').strip()}"
        if pilot.proposal_id:
            text += " " + _("It came from a proposal to the group.")
        items.append(text)
    return {"heading": _("Pilots and proposals"), "items": items, "table": None,
            "paragraphs": [] if items else [_("No public pilot or proposal involves this place yet.")]}  # fmt: skip


def _percent(value: float | None, low: float | None, high: float | None) -> str:
    return "" if value is None or low is None or high is None else f"{value:.0f}% ({low:.0f}–{high:.0f}%)"


def survey_sections(b: Builder, *, place: Place | None = None, area: WorkArea | None = None) -> list[dict[str, Any]]:
    """Residents' voice: each published survey of the place (its respondents there) or of the work area (all
    respondents, weighted across places), with each question's most chosen answer, unweighted and weighted with
    95% intervals. Every figure cites the survey (its dates, responses and address) as its source. No section
    when there is no published survey."""
    surveys = voice_policy.published_surveys()
    surveys = surveys.filter(places=place) if place else surveys.filter(work_areas=area)
    sections = []
    for survey in surveys.distinct().order_by("-closes_on", "slug"):
        built = voice_results.build(survey)
        report = next((p for p in built.places if place and p.place_id == place.pk), None)
        respondents = report.respondents if report else built.responses
        source = _("Source: Key Cities Hub, residents’ survey “%(title)s”, open %(opens)s to %(closes)s, "
                   "%(n)s responses in all; weighted to Census 2021 usual residents aged 16 and over by age band and "
                   "sex; results at %(url)s.") % {
            "title": localised_text(survey, "title"), "opens": date_format(survey.opens_on, "j F Y"),
            "closes": date_format(survey.closes_on, "j F Y"), "n": built.responses,
            "url": settings.SITE_URL.rstrip("/") + survey.get_results_url()}  # fmt: skip
        number = b.note(None, source)
        who = place.name if place else _("all the places surveyed")
        said = [_("%(n)s people in %(who)s answered “%(title)s” [%(note)s].") % {
            "n": respondents, "who": who, "title": localised_text(survey, "title"), "note": number}]  # fmt: skip
        if report and not report.weighted:
            said.append(_("Too few respondents here gave their age band and sex for the answers to be weighted."))
        rows = []
        for h in voice_results.headlines(built, place.pk if place else None):
            s = h.share
            if not s.base:
                continue
            if s.suppressed:
                base = str(s.base) if s.base >= MIN_CELL else _("fewer than 10")
                rows.append([h.question, "–", _("fewer than 10"), "", base])
                continue
            key = f"survey:{survey.slug}:{place.slug if place else 'all'}:{h.position}"
            fact = b.add({"key": key, "kind": "figure", "label": f"{survey.title}: {h.question}: {h.category}",
                          "value": round(s.percent or 0, 1), "text": f"{s.percent:.0f}%",
                          "source": source})  # fmt: skip
            rows.append([h.question, h.category, f"{_percent(s.percent, s.low, s.high)} [{fact['note']}]",
                         _percent(s.weighted_percent, s.weighted_low, s.weighted_high), str(s.base)])  # fmt: skip
        head = [_("Question"), _("Most chosen answer"), _("Share of respondents"), _("Weighted to residents"),
                _("Number answering")]  # fmt: skip
        caption = _("The answer chosen most often, with 95%% intervals: %(title)s") % {
            "title": localised_text(survey, "title")}  # fmt: skip
        table = {"caption": caption, "head": head, "rows": rows} if rows else None
        sections.append({"heading": _("Residents’ voice: %(title)s") % {"title": localised_text(survey, "title")},
                         "paragraphs": said, "items": [], "table": table})  # fmt: skip
    return sections


def work_area_sections(area: WorkArea, b: Builder, store: Store) -> list[dict[str, Any]]:
    leads = list(area.leads.all().order_by("name"))
    sections: list[dict[str, Any]] = [
        {
            "heading": _("About this work area"),
            "items": [],
            "table": None,
            "paragraphs": [localised_text(area, "description"), _("Lead: %(leads)s") % {"leads": _leads(area)}],
        }
    ]
    if leads:
        sections.append(
            {
                "heading": _("Evidence: the lead places"),
                "paragraphs": [],
                "items": [],
                "table": headline_table(leads, b, store, _("The lead places against Key Cities")),
            }
        )
    responses = audiences.response_items(consultations.published().filter(work_areas=area))
    sections.append(
        {
            "heading": _("Consultation responses"),
            "table": None,
            "items": responses,
            "paragraphs": [] if responses else [_("No published response in this work area yet.")],
        }
    )
    asks = audiences.ask_items(published_asks().filter(work_area=area), b, area=False)
    sections.append(
        {
            "heading": _("Our asks"),
            "table": None,
            "items": asks,
            "paragraphs": [] if asks else [_("No ask recorded in this work area yet.")],
        }
    )
    sections += survey_sections(b, area=area)
    return sections


def group_sections(b: Builder) -> list[dict[str, Any]]:
    """Key Cities in numbers: only the claims that hold on the latest data, each with its source."""
    items = []
    for claim in claims.claims():
        latest = claims.latest(claim)
        if latest is None or latest.verdict != Verdict.HOLDS:
            continue
        releases = latest.releases or [None]
        first = releases[0]
        release = ({"id": first["id"], "dataset": first["title"], "publisher": first["publisher"],
                    "release_date": first["release_date"], "licence": first["licence"]} if first else None)  # fmt: skip
        fact = b.add({"key": f"claim:{claim.pk}", "kind": "claim", "label": claim.headline,
                      "verdict": latest.verdict, "value": latest.figure, "period": latest.period, "text": claim.text,
                      "release": release})  # fmt: skip
        items.append(f"{claim.headline}: {claim.text} [{fact['note']}]")
    return [{"heading": _("Key Cities in numbers"), "table": None, "items": items,
             "paragraphs": [] if items else [_("No claim holds on the latest data.")]}]  # fmt: skip


def build(pack: Pack, store: Store | None = None) -> dict[str, Any]:
    """The pack's content on the live data, in the active language."""
    store = store or Store()
    b = Builder()
    sections = narrative(pack, b, store)
    if pack.kind == Kind.PLACE and pack.place:
        sections += place_sections(pack.place, b, store)
    elif pack.kind == Kind.WORK_AREA and pack.work_area:
        sections += work_area_sections(pack.work_area, b, store)
    elif pack.kind == Kind.GROUP:
        sections += group_sections(b)
    elif pack.kind == Kind.MP and pack.person:
        sections += audiences.mp_sections(pack.person, b, store)
    elif pack.kind == Kind.DEPARTMENT and pack.organisation:
        sections += audiences.department_sections(pack.organisation, pack.person, b, store)
    return {"title": pack.title, "kind": pack.kind, "kind_label": str(Kind(pack.kind).label),
            "built_on": timezone.localdate().isoformat(), "sections": sections, "notes": b.notes,
            "facts": b.facts, "places": sorted(b.places)}  # fmt: skip


def build_all(pack: Pack, store: Store | None = None) -> dict[str, dict[str, Any]]:
    """The content in English and in Welsh (an issue freezes both)."""
    store = store or Store()
    out = {}
    for language in ("en", "cy"):
        with translation.override(language):
            out[language] = build(pack, store)
    return out
