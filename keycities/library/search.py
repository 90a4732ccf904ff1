"""One search across the Hub: a query in, the results a user may open out, with facets, snippets and a
spelling suggestion when nothing is found.

1. The query is cut into words; English stop words are dropped (the same list on both databases, so that both
   engines are asked the same thing).
2. The engine (index.match) finds entries with every word; if none, entries with any word.
3. Entries of restricted sources (proposals, contacts, a member place's briefing) are kept only when the source's
   own policy lets this user open them (`Source.visible`, built on the app's `visible_*`).
4. One scorer ranks them on both databases (title hits over body hits, the whole query in the title, exact
   titles), so that the same query gives the same order on PostgreSQL and SQLite; the engine's own rank is
   kept for the benchmark (`rank="engine"`).
5. Optionally the top results are re-ranked with the sentence-embedding model the Hub ships (proposals.suggest).
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Max
from django.db.models.functions import Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from keycities.accounts.policy import is_staff_member
from keycities.core import search as registry

from . import index
from .models import SearchEntry

CANDIDATES = 200  # entries the engine returns (ranked and cut in SQL): the results, their count and facets
SCORED = 50  # of those, the engine's best that the shared scorer re-orders; the rest follow in the engine's order
RERANK = 20  # top results the semantic model re-orders
SEMANTIC_WEIGHT = 0.4
PAGE = 20
SNIPPET = 220  # characters around the first hit
SCORE_BODY = 2000  # characters of an entry's text read to score it and quote from it
VOCABULARY_BODY = 1000  # characters of each public entry's text whose words may be suggested

WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL's English stop-word list (snowball), so that both engines drop the same words.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)
SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def terms_of(query: str) -> list[str]:
    """The query's words, stop words dropped (all of them kept if that would leave nothing), without repeats."""
    found = words(query)[:32]
    kept = [w for w in found if w not in STOP_WORDS] or found
    return list(dict.fromkeys(kept))


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass
class Hit:
    entry: SearchEntry
    score: float
    label: str
    snippet: str = ""  # HTML: see snippet()
    english: bool = False  # the snippet is English on a Welsh page (see quote())
    semantic: float | None = None


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str = ""
    corrected: bool = False  # the hits are for `suggestion`, the query found nothing


def _text(entry: SearchEntry) -> str:
    """The start of the entry's text (what `_search` loads), or its whole text when it was loaded whole."""
    head = getattr(entry, "head", None)
    return str(head) if head is not None else entry.body[:SCORE_BODY]


@functools.lru_cache(maxsize=1024)
def _word_start(s: str) -> re.Pattern[str]:
    """A word that starts with the stem (stemming every word of every candidate's text costs too much)."""
    return re.compile(r"\b" + re.escape(s))


def score(entry: SearchEntry, stems: Sequence[str], phrase: str, prior: float) -> float:
    """The shared ranking: the share of the query's words in the title (weighted 3) and body (1), a bonus when
    every word is found, when the whole query is in the title and when it is the title, and the source's prior."""
    if not stems:
        return 0.0
    title = entry.title.lower()
    title_stems = {stem(w) for w in words(title)}
    body = _text(entry).lower()
    in_title = sum(1 for s in stems if s in title_stems)
    in_body = sum(1 for s in stems if s not in title_stems and _word_start(s).search(body))
    found = in_title + in_body
    value = (3 * in_title + in_body) / len(stems)
    value += 2.0 if found == len(stems) else 0.0
    value += 2.0 if phrase and phrase in title else 0.0
    value += 3.0 if phrase and phrase == title.strip() else 0.0
    value += in_title / max(len(title_stems), 1)  # a short title that is mostly the query beats a long one
    return value + prior


def _priors() -> dict[str, float]:
    ordered = registry.sources()
    return {s.name: 0.3 * (1 - i / max(len(ordered), 1)) for i, s in enumerate(ordered)}


def searchable(user: Any) -> tuple[list[str], list[str]]:
    """The sources this user's search covers, and those among them whose rows need the source's policy."""
    staff = is_staff_member(user)
    names = [s.name for s in registry.sources() if staff or not s.staff_only]
    restricted = [s.name for s in registry.sources() if s.name in names and s.visible is not None]
    return names, restricted


def allowed(user: Any, entries: list[SearchEntry]) -> list[SearchEntry]:
    """The entries the user may open: public ones, and the others their source's policy lets through."""
    private: dict[str, list[str]] = {}
    for e in entries:
        if not e.is_public:
            private.setdefault(e.source, []).append(e.key)
    opened: set[tuple[str, str]] = set()
    for name, keys in private.items():
        source = registry.source(name)
        if source is not None and source.visible is not None:
            opened |= {(name, k) for k in source.visible(user, keys)}
    return [e for e in entries if e.is_public or (e.source, e.key) in opened]


def snippet(entry: SearchEntry, terms: Sequence[str], text: str = "") -> SafeString:
    """A piece of `text` (by default the summary or body) around the first hit, HTML-escaped, with the query's
    words in <mark>."""
    text = " ".join((text or entry.summary or _text(entry)).split())
    stems = [stem(t) for t in terms]
    pattern = re.compile(r"\b(" + "|".join(re.escape(s) for s in stems if s) + r")\w*", re.IGNORECASE) \
        if stems else None  # fmt: skip
    start = 0
    if pattern and (first := pattern.search(text)):
        start = max(0, first.start() - SNIPPET // 3)
    piece = text[start : start + SNIPPET]
    out = ["…" if start else ""]
    last = 0
    if pattern:
        for m in pattern.finditer(piece):
            out += [escape(piece[last : m.start()]), "<mark>", escape(m.group(0)), "</mark>"]
            last = m.end()
    out.append(escape(piece[last:]))
    if start + SNIPPET < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped above)


# --- spelling -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vocabulary:
    stamp: Any
    known: frozenset[str]
    ordered: list[str]
    lengths: Any  # numpy: each word's length
    letters: Any  # numpy: each word's letters counted in LETTER_BINS bins (see _letters)


LETTER_BINS = 64


def _letters(word: str) -> list[int]:
    counts = [0] * LETTER_BINS
    for ch in word:
        counts[ord(ch) % LETTER_BINS] += 1
    return counts


_vocabulary: _Vocabulary | None = None
_vocabulary_lock = threading.Lock()
_generation = 0  # bumped when a SQLite connection sees another connection's commit (see _changes)


def _changes() -> Any:
    """A stamp that changes whenever a public entry may have changed. On SQLite outside a transaction it costs
    one pragma: `data_version` changes when another connection (thread or process) commits, and this process's
    own writes are counted by `index.writes()`; a connection not seen before counts as a change. Otherwise (on
    PostgreSQL, and inside a transaction, whose writes a rollback may undo) the public entries' latest change,
    largest id and count, which on SQLite with 10,000 publications costs a scan of every wide row."""
    global _generation
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            version = cursor.fetchone()[0]
        raw = connection.connection
        seen = getattr(connection, "_search_seen", None)
        if seen is None or seen[0] is not raw or seen[1] != version:
            with _vocabulary_lock:
                _generation += 1
            connection._search_seen = (raw, version)  # type: ignore[attr-defined]
        return ("sqlite", _generation, index.writes())
    stamp = SearchEntry.objects.filter(is_public=True).aggregate(m=Max("updated_at"), n=Max("pk"))
    return (stamp["m"], stamp["n"], SearchEntry.objects.count(), index.writes())


def _words() -> _Vocabulary:
    """Words of public titles and the start of their text (never a restricted entry's: a suggestion must not
    leak a private title's words), kept per process until an entry changes."""
    global _vocabulary
    stamp = _changes()
    if _vocabulary is None or _vocabulary.stamp != stamp:
        with _vocabulary_lock:
            found: set[str] = set()
            rows = SearchEntry.objects.filter(is_public=True).values_list("title", Substr("body", 1, VOCABULARY_BODY))
            for title, body in rows.iterator():
                found.update(w for w in words(f"{title} {body}") if len(w) > 2 and not w.isdigit())
            import numpy as np

            ordered = sorted(found)
            letters = np.array([_letters(w) for w in ordered], dtype=np.int16).reshape(-1, LETTER_BINS)
            lengths = np.array([len(w) for w in ordered], dtype=np.float64)
            _vocabulary = _Vocabulary(stamp, frozenset(found), ordered, lengths, letters)
    return _vocabulary


def vocabulary() -> list[str]:
    return list(_words().ordered)


def _closest(word: str, vocabulary: _Vocabulary, cutoff: float = 0.75) -> str:
    """difflib's closest word (get_close_matches, cutoff 0.75), asked only of the words that can reach the cutoff.
    difflib's ratio is never above its quick_ratio (2 × the letters both words share, counted with repeats, over
    both lengths), and letters counted in bins share at least as many: so a word whose binned bound, computed for
    the whole vocabulary at once with numpy, is below the cutoff cannot be the answer, and the answer is the same
    as difflib's over the whole vocabulary."""
    import numpy as np

    if not vocabulary.ordered:
        return ""
    mine = np.array(_letters(word), dtype=np.int16)
    shared = np.minimum(vocabulary.letters, mine).sum(axis=1)
    bound = 2.0 * shared / (len(word) + vocabulary.lengths)
    possible = [vocabulary.ordered[i] for i in np.flatnonzero(bound >= cutoff - 1e-9)]
    close = difflib.get_close_matches(word, possible, n=1, cutoff=cutoff)
    return close[0] if close else ""


def suggest(query: str) -> str:
    """The query with each unknown word replaced by the closest word of a public title, or "" if nothing
    changes."""
    vocab = _words()
    out, changed = [], False
    for word in words(query):
        if word in vocab.known or word in STOP_WORDS or word.isdigit() or len(word) < 3:
            out.append(word)
            continue
        close = _closest(word, vocab)
        if close:
            out.append(close)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else ""


# --- semantic re-ranking --------------------------------------------------------------------------------------------

_vectors: dict[tuple[int, Any], list[float]] = {}
_VECTOR_CACHE = 20_000


def _embedding(entry: SearchEntry) -> list[float]:
    """The entry's stored embedding, or (for "related", never for the search's re-ranking) one computed now and
    kept per process."""
    if entry.embedding:
        return list(entry.embedding)
    cache_key = (entry.pk, entry.updated_at)
    if cache_key not in _vectors:
        if len(_vectors) > _VECTOR_CACHE:
            _vectors.clear()
        _vectors[cache_key] = index._embed(index.embedding_text(entry.title, entry.summary or _text(entry)[:500]))
    return _vectors[cache_key]


@functools.lru_cache(maxsize=512)
def _query_vector(query: str) -> tuple[float, ...]:
    """The query's embedding, kept per process for the last 512 queries (a page of results, its next page and the
    API ask the same query again)."""
    return tuple(index._embed(query))


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    if not a or not b or len(a) != len(b):
        return 0.0
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def rerank(hits: list[Hit], query: str, *, top: int = RERANK, weight: float = SEMANTIC_WEIGHT) -> list[Hit]:
    """The top hits re-ordered by lexical score (scaled to the best) blended with the cosine of the query's
    embedding and the entry's stored one (`rebuild_search_index --embed`, or on write with SEARCH_EMBED_ON_WRITE).
    Nothing is embedded here but the query: an entry with no stored embedding is given the mean cosine of the
    others, so it keeps its lexical place among them."""
    if len(hits) < 2:
        return hits
    q = _query_vector(query)
    if not q:
        return hits  # the model is not installed: lexical order stands
    head, tail = hits[:top], hits[top:]
    stored = dict(SearchEntry.objects.filter(pk__in=[h.entry.pk for h in head]).values_list("pk", "embedding"))
    for h in head:
        vector = stored.get(h.entry.pk) or []
        h.semantic = _cosine(q, vector) if len(vector) == len(q) else None
    known = [h.semantic for h in head if h.semantic is not None]
    if not known:
        return hits  # no stored embeddings: lexical order stands
    neutral = sum(known) / len(known)
    best = max(h.score for h in head) or 1.0

    def blended(h: Hit) -> float:
        return (1 - weight) * h.score / best + weight * (neutral if h.semantic is None else h.semantic)

    head.sort(key=lambda h: -blended(h))
    return head + tail


# --- the search -------------------------------------------------------------------------------------------------------

FACETS = ("type", "work_area", "place", "year")


def _facet_values(entry: SearchEntry, facet: str) -> list[str]:
    if facet == "type":
        return [entry.source]
    if facet == "work_area":
        return entry.work_area_list()
    if facet == "place":
        return entry.place_list()
    return [str(entry.year)] if entry.year else []


def run(user: Any, query: str, *, filters: dict[str, str] | None = None, semantic: bool = True,
        rank: str = "shared", sources: Sequence[str] = (), limit: int = CANDIDATES) -> Results:  # fmt: skip
    """Every result the user may open, best first, with facet counts (before the facet filters are applied to
    the other facets' counts: each facet counts the results the other filters leave)."""
    results = Results(query=query.strip()[:200])
    terms = terms_of(results.query)
    if not terms:
        return results
    entries = _search(user, terms, sources=sources, limit=limit)
    if not entries:
        suggestion = suggest(results.query)
        if suggestion:
            results.suggestion = suggestion
            terms = terms_of(suggestion)
            entries = _search(user, terms, sources=sources, limit=limit)
            results.corrected = bool(entries)
    filters = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
    values = [{facet: _facet_values(e, facet) for facet in FACETS} for e in entries]
    for facet in FACETS:
        others = {k: v for k, v in filters.items() if k != facet}
        counts: Counter[str] = Counter()
        for found in values:
            if all(v in found[k] for k, v in others.items()):
                counts.update(found[facet])
        results.facets[facet] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:12] if facet != "year" \
            else sorted(counts.items(), reverse=True)  # fmt: skip
    entries = [e for e, found in zip(entries, values, strict=True) if all(v in found[k] for k, v in filters.items())]
    hits = _rank(entries, results.suggestion if results.corrected else results.query, terms, rank=rank)
    if semantic:
        hits = rerank(hits, results.suggestion if results.corrected else results.query)
    results.hits, results.total = hits, len(hits)
    return results


def _read_heads(entries: Sequence[SearchEntry]) -> None:
    """The start of the text for entries whose `candidates` row did not carry it (on PostgreSQL only the engine's
    best SCORED do), in one query, instead of one query per entry when `_text` reads the deferred body."""
    missing = [e for e in entries if getattr(e, "head", "") is None]
    if missing:
        heads = dict(SearchEntry.objects.filter(pk__in=[e.pk for e in missing])
                     .values_list("pk", Substr("body", 1, SCORE_BODY)))  # fmt: skip
        for e in missing:
            e.head = heads.get(e.pk, "")  # type: ignore[attr-defined]


def quote(results: Results, hits: Sequence[Hit], *, welsh: bool = False) -> None:
    """Snippets for the hits a page or an API window shows (only those: quoting costs). `welsh`: a Welsh page's,
    from each entry's Welsh summary (`summary_cy`, given by `sources.with_welsh`) where it has one; a snippet
    quoted in English there is flagged (`Hit.english`) so the page marks it as English."""
    terms = terms_of(results.suggestion if results.corrected else results.query)
    _read_heads([h.entry for h in hits if not h.snippet and not h.entry.summary])
    for h in hits:
        if not h.snippet:
            welsh_text = getattr(h.entry, "summary_cy", "") if welsh else ""
            h.snippet = snippet(h.entry, terms, welsh_text)
            h.english = welsh and not welsh_text


def _search(user: Any, terms: list[str], *, sources: Sequence[str], limit: int) -> list[SearchEntry]:
    """The entries the user may open among the engine's best `limit` (every word; if none, any word), in the
    engine's order."""
    names, restricted = searchable(user)
    if sources:
        names = [n for n in names if n in sources]
    found = index.candidates(terms, any_term=False, sources=names, restricted=restricted, limit=limit,
                             head=SCORE_BODY, heads=SCORED)  # fmt: skip
    if not found and len(terms) > 1:
        found = index.candidates(terms, any_term=True, sources=names, restricted=restricted, limit=limit,
                                 head=SCORE_BODY, heads=SCORED)  # fmt: skip
    entries = allowed(user, found)
    _read_heads(entries[:SCORED])  # when the policy dropped some of the engine's best, later ones are scored
    return entries


def _rank(entries: list[SearchEntry], query: str, terms: list[str], *, rank: str) -> list[Hit]:
    """Hits in the engine's order (`rank="engine"`), or with the engine's best SCORED re-ordered by the shared
    scorer and the rest after them in the engine's order (scored 0)."""
    labels = {s.name: str(s.label) for s in registry.sources()}
    if rank == "engine":
        return [Hit(e, float(len(entries) - n), labels.get(e.source, e.source)) for n, e in enumerate(entries)]
    priors = _priors()
    stems = [stem(t) for t in terms]
    phrase = " ".join(words(query))
    head, tail = entries[:SCORED], entries[SCORED:]
    hits = [Hit(e, score(e, stems, phrase, priors.get(e.source, 0.0)), labels.get(e.source, e.source))
            for e in head]  # fmt: skip
    hits.sort(key=lambda h: (-h.score, h.entry.source, h.entry.title, h.entry.key))
    return hits + [Hit(e, 0.0, labels.get(e.source, e.source)) for e in tail]


def related(source: str, key: str, *, n: int = 5) -> list[SearchEntry]:
    """Public entries like this one: candidates sharing words of its title, ordered by the embedding's cosine
    (by the shared score when the model is not installed)."""
    entry = SearchEntry.objects.filter(source=source, key=key).first()
    if entry is None:
        return []
    terms = terms_of(entry.title)
    names = [s.name for s in registry.sources() if not s.staff_only]
    ids = index.match(terms, any_term=True, sources=names, restricted=[], limit=60)
    others = [e for e in SearchEntry.objects.in_bulk(ids).values() if e.pk != entry.pk]
    if not others:
        return []
    mine = _embedding(entry)
    if mine:
        others.sort(key=lambda e: (-_cosine(mine, _embedding(e)), e.pk))
    else:
        stems = [stem(t) for t in terms]
        others.sort(key=lambda e: (-score(e, stems, "", 0.0), e.pk))
    return others[:n]
