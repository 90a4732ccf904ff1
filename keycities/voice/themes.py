"""Themes in free-text answers, found with the sentence-embedding model the Hub ships
(`keycities.proposals.similarity.embed`: all-MiniLM-L6-v2), and staff's decisions kept across re-runs.

`run(question)`: answers in a theme staff have touched (`Theme.kept`: renamed, merged or split) stay where they
are; every other answer joins the nearest kept theme when it is close enough (cosine >= `ATTACH`), and the rest
are clustered afresh (spherical k-means on the embeddings, the number of themes chosen by the silhouette), each
new theme labelled with its most distinctive words. `cluster()` is the algorithm alone (the benchmark measures
it against labelled answers). Quotes are the answers nearest a theme's centre, anonymised (`anonymise.py`), and
only for themes with at least `analysis.MIN_CELL` answers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keycities.core.bilingual import localised_text
from keycities.core.text import one_line

from . import analysis
from .anonymise import anonymise
from .models import Answer, Question, Survey, Theme

MAX_THEMES = 15  # the most themes one question is split into
MIN_PER_THEME = 5  # at most one theme per this many answers
RESTARTS = 5  # k-means starts for each k (the best is kept)
ATTACH = 0.5  # an answer joins a kept theme whose centre is at least this similar
MAX_CLUSTERED = 1500  # beyond this, the rest join the nearest theme found among the first 1,500
QUOTES = 2
STOP = set(
    """a about after all also am an and any are as at be because been but by can could did do does doing for
from get got had has have he her here him his how i if in into is it its just like lot lots make me more most my
need needs no not now of on one only or other our out over people place really so some such than that the their
them then there these they this to too up us very was we were what when where which who why will with would you
your dim mae ond yn y yr ac a i o ar am fod ni nid eu ei sydd hefyd fwy mwy""".split()  # noqa: SIM905
)


def embed(text: str) -> list[float]:
    from keycities.proposals.similarity import embed as model_embed

    return model_embed(text)


def _normalise(vectors: Any) -> Any:
    import numpy as np

    matrix = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def _kmeans(unit: Any, k: int, seed: int, rounds: int = 50) -> tuple[Any, float]:
    """Spherical k-means (cosine) from a k-means++ start: (labels, total similarity to the centres)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = unit.shape[0]
    centres = [unit[rng.integers(n)]]
    for _centre_number in range(1, k):
        distance = np.clip(1 - np.max(unit @ np.array(centres).T, axis=1), 0, None) ** 2
        total = distance.sum()
        centres.append(unit[rng.choice(n, p=distance / total)] if total > 0 else unit[rng.integers(n)])
    matrix = np.array(centres)
    labels = np.zeros(n, dtype=int)
    for step in range(rounds):
        new = np.argmax(unit @ matrix.T, axis=1)
        if step and np.array_equal(new, labels):
            break
        labels = new
        for c in range(k):
            members = unit[labels == c]
            if len(members):
                matrix[c] = members.mean(axis=0)
        matrix = _normalise(matrix)
    return labels, float(np.sum(np.max(unit @ matrix.T, axis=1)))


def silhouette(unit: Any, labels: Any) -> float:
    """The mean silhouette (cosine distance) of a clustering; 0 for one cluster."""
    import numpy as np

    ks = sorted(set(labels.tolist()))
    if len(ks) < 2:
        return 0.0
    distance = 1 - unit @ unit.T
    means = np.stack([distance[:, labels == c].mean(axis=1) for c in ks], axis=1)
    sizes = np.array([(labels == c).sum() for c in ks])
    own = np.searchsorted(ks, labels)
    index = np.arange(len(labels))
    # Within: exclude the point itself from its own cluster's mean.
    a = means[index, own] * sizes[own] / np.maximum(sizes[own] - 1, 1)
    others = means.copy()
    others[index, own] = np.inf
    b = others.min(axis=1)
    s = np.where(sizes[own] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def cluster(vectors: Sequence[Sequence[float]], *, max_k: int = MAX_THEMES) -> list[int]:
    """A theme number for each vector: spherical k-means on the embeddings for every k from 2 to `max_k` (at most
    one theme per `MIN_PER_THEME` answers), keeping the k with the best silhouette."""
    n = len(vectors)
    if n < 2 * MIN_PER_THEME:
        return [0] * n
    unit = _normalise(vectors)
    best: tuple[float, int, Any] | None = None
    for k in range(2, min(max_k, n // MIN_PER_THEME) + 1):
        labels, _score = max((_kmeans(unit, k, seed) for seed in range(RESTARTS)), key=lambda r: r[1])
        quality = silhouette(unit, labels)
        if best is None or quality > best[0] + 1e-9:
            best = (quality, k, labels)
    assert best is not None
    found = best[2]
    order = {c: i for i, c in enumerate(dict.fromkeys(found.tolist()))}
    return [order[c] for c in found.tolist()]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-zà-ÿŵŷ']{3,}", text.lower()) if w not in STOP]


def label_for(texts: Sequence[str], corpus: Counter[str], documents: int) -> str:
    """The three most distinctive words of a group of answers (frequency in the group x inverse document
    frequency in the question's answers)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_words(text)))
    scored = sorted(counts, key=lambda w: (-counts[w] * math.log((1 + documents) / (1 + corpus[w])), w))
    return ", ".join(scored[:3]) or _("Other")


def _vector(answer: Answer) -> list[float]:
    if not answer.embedding:
        answer.embedding = embed(answer.text)
        Answer.objects.filter(pk=answer.pk).update(embedding=answer.embedding)
    return list(answer.embedding)


def _centre(vectors: Sequence[Sequence[float]]) -> Any:
    import numpy as np

    return _normalise([np.mean(_normalise(vectors), axis=0)])[0]


@transaction.atomic
def run(question: Question) -> int:
    """Find the question's themes again, keeping staff's. Returns the number of themes."""
    import numpy as np

    question = Question.objects.select_for_update().get(pk=question.pk)
    answers = list(Answer.objects.filter(question=question, response__submitted_at__isnull=False)
                   .exclude(text="").select_related("theme").order_by("pk"))  # fmt: skip
    vectors = {a.pk: _vector(a) for a in answers}
    if any(not v for v in vectors.values()):
        raise ValidationError(_("The language model is not installed, so themes cannot be found."))
    kept = list(question.themes.filter(kept=True))
    kept_ids = {t.pk for t in kept}
    settled = [a for a in answers if a.theme_id in kept_ids]
    loose = [a for a in answers if a.theme_id not in kept_ids]
    centres = {t.pk: _centre([vectors[a.pk] for a in settled if a.theme_id == t.pk]) for t in kept
               if any(a.theme_id == t.pk for a in settled)}  # fmt: skip
    rest = []
    for answer in loose:
        best, score = None, -1.0
        for pk, centre in centres.items():
            s = float(np.dot(_normalise([vectors[answer.pk]])[0], centre))
            if s > score:
                best, score = pk, s
        if best is not None and score >= ATTACH:
            answer.theme_id = best
            answer.save(update_fields=["theme"])
        else:
            rest.append(answer)
    question.themes.filter(kept=False).delete()
    corpus: Counter[str] = Counter()
    for a in answers:
        corpus.update(set(_words(a.text)))
    head, tail = rest[:MAX_CLUSTERED], rest[MAX_CLUSTERED:]
    labels = cluster([vectors[a.pk] for a in head])
    made: dict[int, Theme] = {}
    for number in sorted(set(labels)):
        group = [a for a, n in zip(head, labels, strict=True) if n == number]
        made[number] = Theme.objects.create(question=question, label=label_for([a.text for a in group], corpus,
                                                                                len(answers)))  # fmt: skip
    for answer, number in zip(head, labels, strict=True):
        answer.theme = made[number]
        answer.save(update_fields=["theme"])
    if tail and made:
        new_centres = {n: _centre([vectors[a.pk] for a, m in zip(head, labels, strict=True) if m == n]) for n in made}
        for answer in tail:
            v = _normalise([vectors[answer.pk]])[0]
            answer.theme = made[max(new_centres, key=lambda n: float(np.dot(v, new_centres[n])))]
            answer.save(update_fields=["theme"])
    return int(question.themes.count())


def _theme(question: Question, pk: int) -> Theme:
    found = question.themes.filter(pk=pk).first()
    if found is None:
        raise ValidationError(_("There is no such theme."))
    return found


@transaction.atomic
def rename(question: Question, pk: int, label: str, label_cy: str = "") -> Theme:
    theme = _theme(question, pk)
    if not one_line(label):
        raise ValidationError(_("Enter a name for the theme"))
    theme.label, theme.label_cy, theme.kept = one_line(label)[:120], one_line(label_cy)[:120], True
    theme.save()
    return theme


@transaction.atomic
def merge(question: Question, pks: Sequence[int]) -> Theme:
    themes = [_theme(question, pk) for pk in pks]
    if len(themes) < 2:
        raise ValidationError(_("Choose at least two themes to merge."))
    into = themes[0]
    for other in themes[1:]:
        Answer.objects.filter(theme=other).update(theme=into)
        other.delete()
    into.kept = True
    into.save()
    return into


@transaction.atomic
def split(question: Question, pk: int) -> list[Theme]:
    """Split a theme in two (two-means on its answers' embeddings); both halves are kept."""
    import numpy as np

    theme = _theme(question, pk)
    answers = list(theme.answers.all())
    if len(answers) < 2:
        raise ValidationError(_("A theme needs at least two answers to be split."))
    unit = _normalise([_vector(a) for a in answers])
    # Seeds: the two answers furthest apart; then a few rounds of two-means.
    similarity = unit @ unit.T
    i, j = np.unravel_index(np.argmin(similarity), similarity.shape)
    centres = unit[[i, j]]
    for _round in range(10):
        side = np.argmax(unit @ centres.T, axis=1)
        if side.min() == side.max():
            break
        centres = _normalise([unit[side == k].mean(axis=0) for k in (0, 1)])
    side = np.argmax(unit @ centres.T, axis=1)
    other = Theme.objects.create(question=question, label=f"{theme.label} (2)", kept=True)
    theme.label, theme.kept = f"{theme.label} (1)", True
    theme.save()
    Answer.objects.filter(pk__in=[a.pk for a, s in zip(answers, side, strict=True) if s == 1]).update(theme=other)
    return [theme, other]


def _quotes(theme: Theme, answers: Sequence[Answer], known: set[str]) -> list[str]:
    if len(answers) < analysis.MIN_CELL:
        return []
    vectors = [a.embedding for a in answers if a.embedding]
    if len(vectors) != len(answers):
        return [anonymise(a.text, known_places=known) for a in answers[:QUOTES]]
    import numpy as np

    centre = _centre(vectors)
    ranked = sorted(answers, key=lambda a: -float(np.dot(_normalise([a.embedding])[0], centre)))
    return [anonymise(a.text, known_places=known) for a in ranked[:QUOTES]]


def _known_places(survey: Survey) -> set[str]:
    return {p.name for p in survey.places.all()} | {p.name_cy for p in survey.places.all() if p.name_cy}


def staff_view(question: Question) -> list[dict[str, Any]]:
    known = _known_places(question.survey)
    out = []
    for theme in question.themes.all():
        answers = list(theme.answers.filter(response__submitted_at__isnull=False))
        out.append({"theme": theme, "count": len(answers), "quotes": _quotes(theme, answers, known)})
    return out


def theme_tables(survey: Survey) -> list[dict[str, Any]]:
    """For each free-text question: its themes, with counts and percentages of the answers in each place (small
    counts suppressed) and anonymised quotes."""
    known = _known_places(survey)
    places = list(survey.places.order_by("name"))
    out = []
    for question in survey.questions.filter(kind=Question.Kind.TEXT):
        answers = list(Answer.objects.filter(question=question, response__submitted_at__isnull=False)
                       .exclude(text="").select_related("response").order_by("pk"))  # fmt: skip
        bases = Counter(a.response.place_id for a in answers)
        rows = []
        for theme in question.themes.all():
            mine = [a for a in answers if a.theme_id == theme.pk]
            per_place = Counter(a.response.place_id for a in mine)
            cells = [analysis.share(per_place[p.pk], bases[p.pk]) for p in places]
            rows.append({"theme": localised_text(theme, "label"), "total": analysis.share(len(mine), len(answers)),
                         "places": cells, "quotes": _quotes(theme, mine, known)})  # fmt: skip
        out.append({"question": question, "text": localised_text(question, "text"), "answers": len(answers),
                    "places": [localised_text(p, "name") for p in places], "rows": rows})  # fmt: skip
    return out


THEME_HEADER = ["question", "theme", "place", "answers", "count", "percent", "ci_low", "ci_high"]


def theme_rows(survey: Survey) -> list[list[Any]]:
    out = []
    for table in theme_tables(survey):
        for row in table["rows"]:
            for name, share in [(_("All places"), row["total"]), *zip(table["places"], row["places"], strict=True)]:
                out.append([table["question"].position, row["theme"], name, share.base if share.base >= 10 else "<10",
                            share.count if not share.suppressed else ("<10" if share.count else 0),
                            "" if share.percent is None else f"{share.percent:.1f}",
                            "" if share.low is None else f"{share.low:.1f}",
                            "" if share.high is None else f"{share.high:.1f}"])  # fmt: skip
    return out
