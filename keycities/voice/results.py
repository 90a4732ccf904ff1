"""A survey's results, from its sent responses: counts and percentages per question, per place and per group,
unweighted and weighted side by side, and each place's respondents against its population.

Weights: each place's respondents who gave an age band and a sex are raked to that place's residents aged 16
and over by age band and by sex (`analysis.rake`); for figures across places, each place's weights are then
scaled so that the place counts in proportion to its population. Respondents without an age band or a sex get
no weight: weighted figures are of those who gave both, and the page says so.

Everything returned is an aggregate: no response, free text or postcode leaves this module (quotes come from
`themes.py`, anonymised).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from keycities.core.bilingual import localised_text

from . import analysis, services, wards
from .models import PREFER_NOT, AgeBand, Question, Sex, Survey

VARIABLES = ("age_band", "sex")


@dataclass
class Respondent:
    place_id: int
    age_band: str
    sex: str
    answers: dict[int, Any]  # question id -> list of option ids | scale | True (text answered)
    ward: str = ""  # ONS ward code, PREFER_NOT or ""
    weight: float = 0.0  # across places
    place_weight: float = 0.0  # within its place


@dataclass
class PlaceReport:
    place_id: int
    slug: str
    name: str
    respondents: int
    with_demographics: int
    population: int
    deff: float | None
    effective_n: float | None
    trimmed: int
    cells: list[analysis.GroupCompare]
    ages: list[analysis.GroupCompare]
    sexes: list[analysis.GroupCompare]
    statements: list[str] = field(default_factory=list)
    weighted: bool = False


@dataclass
class Row:
    """One category of one question, in one group."""

    group_kind: str  # "all", "place", "age_band", "sex", "ward"
    group: str
    category: str
    share: analysis.Share


@dataclass
class QuestionResult:
    question: Question
    text: str
    base: int
    rows: list[Row]
    mean: float | None = None  # scale: mean point; ranking: none (see rows: ranked first)
    weighted_mean: float | None = None
    mean_ranks: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    responses: int
    places: list[PlaceReport]
    questions: list[QuestionResult]
    deff: float | None
    effective_n: float | None
    asks_ward: bool = False


def age_label(value: str) -> str:
    return str(dict(AgeBand.choices).get(value, _("Prefer not to say") if value == PREFER_NOT else value))


def sex_label(value: str) -> str:
    return str(dict(Sex.choices).get(value, _("Prefer not to say") if value == PREFER_NOT else value))


def load(survey: Survey) -> list[Respondent]:
    responses = (services.submitted(survey).prefetch_related("answers")
                 .only("pk", "place_id", "age_band", "sex", "ward").order_by("pk"))  # fmt: skip
    out = []
    for r in responses:
        answers: dict[int, Any] = {}
        for a in r.answers.all():
            answers[a.question_id] = a.options if a.options else (a.scale if a.scale is not None else bool(a.text))
        out.append(Respondent(r.place_id, r.age_band, r.sex, answers, ward=r.ward))
    return out


def _statements(report: PlaceReport) -> list[str]:
    out = []
    if not report.population:
        return [_("There are no population figures for this place, so its responses cannot be weighted.")]
    if report.with_demographics < analysis.MIN_GROUP:
        return [_("Fewer than %(n)s respondents here gave their age band and sex: the results cannot be weighted, "
                  "and they describe only the people who answered.") % {"n": analysis.MIN_GROUP}]  # fmt: skip
    for group in [*report.ages, *report.sexes]:
        label = age_label(group.key[0]) if group.key[0] in AgeBand.values else sex_label(group.key[0])
        values = {"group": label, "pop": round(100 * group.population_share), "n": group.respondents,
                  "resp": round(100 * group.respondent_share)}  # fmt: skip
        if group.respondents == 0:
            out.append(_("%(group)s: %(pop)s%% of residents, but no respondents. Weighting cannot represent this "
                         "group at all; the weighted results leave it out.") % values)  # fmt: skip
        elif group.cannot_fix:
            out.append(_("%(group)s: %(pop)s%% of residents, but only %(n)s respondents (%(resp)s%%). So few that "
                         "weighting cannot make up for it: treat the weighted results for this group with great "
                         "caution.") % values)  # fmt: skip
    return out


def build(survey: Survey) -> Results:
    respondents = load(survey)
    by_place: dict[int, list[Respondent]] = defaultdict(list)
    for r in respondents:
        by_place[r.place_id].append(r)
    reports = []
    total_population = 0
    for place in survey.places.order_by("name"):
        mine = by_place.get(place.pk, [])
        cells = services.population_of(place.pk)
        population = sum(cells.values())
        total_population += population
        rows = [{"age_band": r.age_band, "sex": r.sex} for r in mine]
        margins: dict[str, dict[str, float]] = {"age_band": defaultdict(float), "sex": defaultdict(float)}
        for (band, sex), count in cells.items():
            margins["age_band"][band] += count
            margins["sex"][sex] += count
        complete = [r for r in rows if r["age_band"] in AgeBand.values and r["sex"] in Sex.values]
        weighted = bool(population) and len(complete) >= analysis.MIN_GROUP
        raking = analysis.rake(rows, margins) if weighted else None
        weights = raking.weights if raking else [0.0] * len(rows)
        for r, w in zip(mine, weights, strict=True):
            r.place_weight = w
        report = PlaceReport(
            place.pk, place.slug, localised_text(place, "name"), len(mine), len(complete), population,
            raking.deff if raking else None, raking.effective_n if raking else None, raking.trimmed if raking else 0,
            analysis.compare(rows, weights, cells, VARIABLES),
            analysis.compare(rows, weights, _sum(cells, 0), ("age_band",)),
            analysis.compare(rows, weights, _sum(cells, 1), ("sex",)), weighted=weighted,
        )  # fmt: skip
        report.statements = _statements(report)
        reports.append(report)
    # Across places: each place's weights scaled to its share of the population.
    for report in reports:
        mine = by_place.get(report.place_id, [])
        total = sum(r.place_weight for r in mine)
        for r in mine:
            r.weight = r.place_weight * report.population / total if total and total_population else 0.0
    all_weights = [r.weight for r in respondents if r.weight > 0]
    mean = sum(all_weights) / len(all_weights) if all_weights else 1.0
    for r in respondents:
        r.weight = r.weight / mean if mean else 0.0
    deff, effective = analysis.kish(all_weights) if all_weights else (None, None)
    names = {p.place_id: p.name for p in reports}
    asks_ward = any(q.kind == Question.Kind.WARD for q in survey.questions.all())
    ward_labels = _ward_labels(survey) if asks_ward else {}
    questions = [_question(q, respondents, names, ward_labels) for q in survey.questions.prefetch_related("options")
                 if q.kind != Question.Kind.POSTCODE]  # fmt: skip
    return Results(survey, len(respondents), reports, questions, deff, effective, asks_ward)


def _sum(cells: dict[tuple[str, str], int], index: int) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for key, count in cells.items():
        out[(key[index],)] += count
    return dict(out)


def _ward_labels(survey: Survey) -> dict[str, str]:
    """Ward code -> its name in the active language, for the wards of the survey's places."""
    return {code: wards.label(w) for code, w in wards.ward_names(list(survey.places.all())).items()}


def _wards_answered(respondents: Sequence[Respondent], labels: dict[str, str]) -> list[str]:
    """The wards respondents gave, by name (codes no longer in the ward list are left out)."""
    return sorted({r.ward for r in respondents if r.ward in labels}, key=lambda c: labels[c])


def _categories(q: Question, respondents: Sequence[Respondent] = (), ward_labels: dict[str, str] | None = None
                ) -> list[tuple[str, Callable[[Respondent], bool | None]]]:  # fmt: skip
    """(label, test) per category; a test answers None when the respondent did not answer the question."""
    if q.kind == Question.Kind.WARD:
        labels = ward_labels or {}
        return [(labels[c], _demo("ward", c)) for c in _wards_answered(respondents, labels)] + [
            (_("Prefer not to say"), _demo("ward", PREFER_NOT))]  # fmt: skip
    if q.kind == Question.Kind.AGE:
        return [(age_label(v), _demo("age_band", v)) for v in [*AgeBand.values, PREFER_NOT]]
    if q.kind == Question.Kind.SEX:
        return [(sex_label(v), _demo("sex", v)) for v in [*Sex.values, PREFER_NOT]]
    if q.kind == Question.Kind.SCALE:
        return [(str(p), _scale(q.pk, p)) for p in range(1, q.scale_points + 1)]
    if q.kind == Question.Kind.TEXT:
        return [(_("Answered"), _wrote(q.pk))]
    first = q.kind == Question.Kind.RANKING
    return [(localised_text(o, "text"), _chose(q.pk, o.pk, first)) for o in q.options.all()]


def _wrote(pk: int) -> Callable[[Respondent], bool | None]:
    return lambda r: True if r.answers.get(pk) else None


def _demo(attr: str, value: str) -> Callable[[Respondent], bool | None]:
    return lambda r: (getattr(r, attr) == value) if getattr(r, attr) else None


def _scale(pk: int, point: int) -> Callable[[Respondent], bool | None]:
    return lambda r: (r.answers[pk] == point) if isinstance(r.answers.get(pk), int) else None


def _chose(pk: int, option: int, first: bool) -> Callable[[Respondent], bool | None]:
    def test(r: Respondent) -> bool | None:
        chosen = r.answers.get(pk)
        if not isinstance(chosen, list) or not chosen:
            return None
        return chosen[0] == option if first else option in chosen

    return test


def _shares(group_kind: str, group: str, people: Sequence[Respondent], categories: Any,
            weight: Callable[[Respondent], float]) -> list[Row]:  # fmt: skip
    rows = []
    for label, test in categories:
        answered = [(r, test(r)) for r in people]
        answered = [(r, hit) for r, hit in answered if hit is not None]
        base = len(answered)
        count = sum(1 for _r, hit in answered if hit)
        weights = [weight(r) for r, _hit in answered if weight(r) > 0]
        wbase = sum(weights)
        whit = sum(weight(r) for r, hit in answered if hit and weight(r) > 0)
        _deff, effective = analysis.kish(weights) if weights else (1.0, 0.0)
        rows.append(Row(group_kind, group, label, analysis.share(count, base, weighted=whit, weighted_base=wbase,
                                                                 effective_base=effective)))  # fmt: skip
    return rows


def _question(q: Question, respondents: list[Respondent], places: dict[int, str],
              ward_labels: dict[str, str] | None = None) -> QuestionResult:  # fmt: skip
    categories = _categories(q, respondents, ward_labels)
    rows = _shares("all", _("All respondents"), respondents, categories, lambda r: r.weight)
    for place_id, name in places.items():
        mine = [r for r in respondents if r.place_id == place_id]
        rows += _shares("place", name, mine, categories, lambda r: r.place_weight)
    if q.kind not in {Question.Kind.AGE, Question.Kind.SEX}:
        for band in AgeBand.values:
            rows += _shares("age_band", age_label(band), [r for r in respondents if r.age_band == band], categories,
                            lambda r: r.weight)  # fmt: skip
        for sex in Sex.values:
            rows += _shares("sex", sex_label(sex), [r for r in respondents if r.sex == sex], categories,
                            lambda r: r.weight)  # fmt: skip
    if q.kind != Question.Kind.WARD and ward_labels:
        # Per ward: only wards with at least MIN_CELL respondents (the rest would be suppressed whole), weighted
        # with the respondents' weights within their place.
        for code in _wards_answered(respondents, ward_labels):
            mine = [r for r in respondents if r.ward == code]
            if len(mine) >= analysis.MIN_CELL:
                rows += _shares("ward", ward_labels[code], mine, categories, lambda r: r.place_weight)
    answered = [r for r in respondents if q.pk in r.answers]
    result = QuestionResult(q, localised_text(q, "text"), len(answered), rows)
    if q.kind == Question.Kind.SCALE and len(answered) >= analysis.MIN_CELL:
        result.mean = sum(r.answers[q.pk] for r in answered) / len(answered)
        weighted = [(r.answers[q.pk], r.weight) for r in answered if r.weight > 0]
        total = sum(w for _v, w in weighted)
        result.weighted_mean = sum(v * w for v, w in weighted) / total if total else None
    if q.kind == Question.Kind.RANKING and len(answered) >= analysis.MIN_CELL:
        for option in q.options.all():
            ranks = [r.answers[q.pk].index(option.pk) + 1 for r in answered if option.pk in r.answers[q.pk]]
            if len(ranks) >= analysis.MIN_CELL:
                result.mean_ranks.append((localised_text(option, "text"), sum(ranks) / len(ranks)))
    return result


def _fmt(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


ANSWER_HEADER = ["question", "question_text", "group_kind", "group", "category", "base", "count", "percent",
                 "ci_low", "ci_high", "weighted_percent", "weighted_ci_low", "weighted_ci_high"]  # fmt: skip


def answer_rows(results: Results) -> list[list[Any]]:
    """One row per question, group and category; suppressed cells are blank with the count given as '<10'."""
    out = []
    for q in results.questions:
        for row in q.rows:
            s = row.share
            count: Any = s.count if not s.suppressed else ("<10" if s.count else 0)
            base: Any = s.base if s.base >= analysis.MIN_CELL or s.base == 0 else "<10"
            out.append([q.question.position, q.text, row.group_kind, row.group, row.category, base, count,
                        _fmt(s.percent), _fmt(s.low), _fmt(s.high), _fmt(s.weighted_percent),
                        _fmt(s.weighted_low), _fmt(s.weighted_high)])  # fmt: skip
    return out


REPRESENTATION_HEADER = ["place", "age_band", "sex", "residents", "residents_percent", "respondents",
                         "respondents_percent", "weighted_percent", "cannot_be_fixed_by_weighting"]  # fmt: skip


def representation_rows(results: Results) -> list[list[Any]]:
    out = []
    for report in results.places:
        for cell in report.cells:
            n: Any = cell.respondents if not analysis.suppressed(cell.respondents) else "<10"
            out.append([report.slug, cell.key[0], cell.key[1], cell.population, _fmt(100 * cell.population_share),
                        n, _fmt(100 * cell.respondent_share) if n != "<10" else "",
                        _fmt(100 * cell.weighted_share) if cell.weighted_share is not None and report.weighted else "",
                        "yes" if cell.cannot_fix else "no"])  # fmt: skip
    return out


WEIGHTING_HEADER = ["place", "respondents", "with_age_band_and_sex", "residents_16_plus", "design_effect",
                    "effective_sample_size", "weights_trimmed"]  # fmt: skip


def weighting_rows(results: Results) -> list[list[Any]]:
    return [[p.slug, p.respondents, p.with_demographics, p.population, _fmt(p.deff, 2), _fmt(p.effective_n),
             p.trimmed] for p in results.places]  # fmt: skip


@dataclass
class Headline:
    """A question's most chosen answer in one place (or across the survey), for briefings."""

    position: int
    question: str
    category: str
    share: analysis.Share


HEADLINE_KINDS = {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE, Question.Kind.RANKING}


def headlines(results: Results, place_id: int | None = None) -> list[Headline]:
    """For each choice, scale and ranking question, the answer chosen (or ranked first) by the most respondents
    in the place (None: all respondents, weighted across places). Suppressed answers are never picked; a
    question whose every answer is suppressed gives a suppressed row (the briefing says 'fewer than 10')."""
    report = next((p for p in results.places if p.place_id == place_id), None)
    group_kind, group = ("place", report.name) if report else ("all", _("All respondents"))
    out = []
    for q in results.questions:
        if q.question.kind not in HEADLINE_KINDS:
            continue
        rows = [r for r in q.rows if r.group_kind == group_kind and r.group == group]
        if not rows:
            continue
        shown = [r for r in rows if not r.share.suppressed and r.share.count]
        top = max(shown, key=lambda r: r.share.count) if shown else rows[0]
        out.append(Headline(q.question.position, q.text, top.category, top.share))
    return out
