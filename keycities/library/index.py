"""Keeping the search index current, and the two engines that match a query against it.

`Indexer` is what `core.search` calls when a registered model is saved or deleted: the entry is written by the
same transaction (post_save runs inside it), and the database's own full-text index follows in the same
statement (a generated column on PostgreSQL, triggers on SQLite; migration 0002).

`match()` returns the ids of the entries that match, best first by the engine's own rank (PostgreSQL:
`websearch_to_tsquery` and `ts_rank` with title weighted over body, over the entries with the words in their title
and at most BOUND others, ranked from the compact `rank_vector`, migration 0004; SQLite: FTS5 `MATCH` and `bm25`
with the same weighting). Which engine runs is the connection's vendor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

from keycities.core import search as registry

from .models import SearchEntry

log = logging.getLogger(__name__)

_writes = 0  # entries written by this process (see `writes`)


def writes() -> int:
    """How many times this process has written search entries (saves, deletes, rebuilds): with SQLite's
    data_version (which counts other connections' commits) it tells the spelling vocabulary when to read again."""
    return _writes


def _wrote(*args: Any, **kwargs: Any) -> None:
    global _writes
    _writes += 1


# Every save of an entry (the indexer's and the erasure's, which redacts entries in place) counts.
post_save.connect(_wrote, sender=SearchEntry, weak=False, dispatch_uid="library:search-entry-written")

TITLE_WEIGHT = 10.0  # bm25 column weights on SQLite; PostgreSQL's ts_rank weights are in WEIGHTS
BODY_WEIGHT = 1.0
WEIGHTS = [0.0, 0.0, 0.1, 1.0]  # ts_rank's {D, C, B, A}: body is B, title A
BODY_LIMIT = 200_000  # characters of a document's text kept in the index
# PostgreSQL (migration 0004): `ts_rank` reads `rank_vector`, the title and the first 1,000 characters of the text
# (the migration's RANK_BODY), and ranks the entries with the query's words in their title and at most BOUND others.
BOUND = 1000


def embedding_text(title: str, summary: str) -> str:
    return f"{title}. {summary[:500]}".strip()


def _fields(source: registry.Source, doc: registry.Doc) -> dict[str, Any]:
    return {
        "title": doc.title[:300],
        "body": doc.body[:BODY_LIMIT],
        "summary": doc.summary,
        "url": doc.url[:300],
        "date": doc.date,
        "year": doc.date.year if doc.date else None,
        "kind": doc.kind,
        "places": " ".join(doc.places)[:500],
        "work_areas": " ".join(doc.work_areas)[:500],
        "is_public": doc.public,
    }


def _embed(text: str) -> list[float]:
    from keycities.proposals import similarity

    return similarity.embed(text)


def document(source: registry.Source, obj: Any) -> registry.Doc | None:
    """The row's document in the site's default language (English addresses, without /cy/), whatever language
    the request that saved it was in; pages turn addresses into the reader's language (`localise`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return source.document(obj)


def localise(url: str) -> str:
    """An indexed (English) address in the active language: /members/swansea/ -> /cy/members/swansea/."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or not url.startswith("/"):
        return url
    path, _, fragment = url.partition("#")
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return url
    with translation.override(language):
        try:
            found = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return url
    return f"{found}#{fragment}" if fragment else found


class Indexer:
    """Writes entries for `core.search`; also used by the rebuild command."""

    def save(self, source: registry.Source, obj: Any) -> None:
        doc = document(source, obj)
        key = str(obj.pk)
        if doc is None:
            self.delete(source, key)
            return
        fields = _fields(source, doc)
        entry = SearchEntry.objects.filter(source=source.name, key=doc.key).first()
        if entry is None:
            entry = SearchEntry(source=source.name, key=doc.key)
        changed_text = (entry.title, entry.summary) != (fields["title"], fields["summary"])
        for name, value in fields.items():
            setattr(entry, name, value)
        if changed_text:
            entry.embedding = (_embed(embedding_text(entry.title, entry.summary))
                               if getattr(settings, "SEARCH_EMBED_ON_WRITE", False) else [])  # fmt: skip
        entry.save()

    def delete(self, source: registry.Source, key: str) -> None:
        _wrote()
        SearchEntry.objects.filter(source=source.name, key=key).delete()


indexer = Indexer()


@transaction.atomic
def rebuild(names: Sequence[str] = (), *, embed: bool = False) -> dict[str, int]:
    """Every registered source's documents written again from its rows (one transaction)."""
    counts: dict[str, int] = {}
    for source in registry.sources():
        if names and source.name not in names:
            continue
        _wrote()
        SearchEntry.objects.filter(source=source.name).delete()
        batch = []
        for obj in source.everything():
            doc = document(source, obj)
            if doc is None:
                continue
            entry = SearchEntry(source=source.name, key=doc.key, **_fields(source, doc))
            if embed:
                entry.embedding = _embed(embedding_text(entry.title, entry.summary))
            batch.append(entry)
        SearchEntry.objects.bulk_create(batch, batch_size=500)
        counts[source.name] = len(batch)
    return counts


def fts_query(terms: Sequence[str], *, any_term: bool) -> str:
    """The query in the engine's syntax. Terms are words (letters and digits only), so nothing needs escaping."""
    if connection.vendor == "postgresql":
        return (" or " if any_term else " ").join(terms)  # websearch_to_tsquery's syntax
    return (" OR " if any_term else " ").join(f'"{t}"' for t in terms)


# What `candidates` reads of each entry: everything a result list shows, the start of the text (to score and
# quote) and never the whole text or the embedding.
COLUMNS = ("id", "source", "key", "title", "summary", "url", "date", "year", "kind", "places", "work_areas",
           "is_public")  # fmt: skip


def _access(alias: str, sources: Sequence[str], restricted: Sequence[str]) -> tuple[str, list[Any]]:
    marks = ", ".join(["%s"] * len(sources))
    either = ", ".join(["%s"] * len(restricted))
    visible = f"({alias}.is_public OR {alias}.source IN ({either}))" if restricted else f"{alias}.is_public"
    return f"{alias}.source IN ({marks}) AND {visible}", [*sources, *restricted]


def candidates(terms: Sequence[str], *, any_term: bool, sources: Iterable[str], restricted: Iterable[str],
               limit: int, head: int, heads: int | None = None) -> list[SearchEntry]:  # fmt: skip
    """The best `limit` matching entries by the engine's rank, best first: entries of `sources` that are public,
    or that belong to one of the `restricted` sources (whose rows the caller then checks with the source's policy).
    One query: the engine ranks and cuts in SQL, and only the rows kept are read, with COLUMNS and `head` (the first
    `head` characters of the text), never the whole text nor the embedding (both deferred). On PostgreSQL, with
    `heads`, only the best `heads` rows carry the start of the text (the others' `head` is None): reading it is
    reading the text out of line (TOAST), ~9 ms for 200 rows."""
    sources, restricted = list(sources), list(restricted)
    if not terms or not sources:
        return []
    query = fts_query(terms, any_term=any_term)
    columns = ", ".join(f"e.{c}" for c in COLUMNS)
    where, params = _access("e", sources, restricted)
    if connection.vendor == "postgresql":
        # The best ids first (`library_search_candidates`, migration 0004: the entries with the words in their
        # title and at most BOUND other matches, ranked from `rank_vector`, through the GIN indexes; returned in
        # that order, which WITH ORDINALITY numbers), then their rows: the start of the text is read for the best
        # `heads` only.
        sql = (
            f"SELECT {columns}, CASE WHEN best.n <= %s THEN left(e.body, %s) END AS head FROM "  # noqa: S608 (placeholders only)
            "library_search_candidates(%s, %s::real[], %s::text[], %s::text[], %s, %s) WITH ORDINALITY "
            "best(id, rank, n) JOIN library_searchentry e ON e.id = best.id ORDER BY best.rank DESC, e.id"
        )
        params = [limit if heads is None else heads, head, query, WEIGHTS, sources, restricted, limit, BOUND]
        return list(SearchEntry.objects.raw(sql, params))
    # SQLite: FTS5 ranks from its own index (cheap), and only the best rows are joined to the entries, whose wide
    # rows (the text and the embedding spill onto overflow pages) are costly to read. Rows the access condition
    # drops are made up for by asking FTS5 for more, so the result is what one ranked, filtered query gives.
    fetch = limit * 2
    while True:
        sql = (
            f"SELECT {columns}, substr(e.body, 1, %s) AS head FROM ("  # noqa: S608 (placeholders only)
            "SELECT rowid, bm25(library_search_fts, %s, %s) AS r FROM library_search_fts "
            "WHERE library_search_fts MATCH %s ORDER BY r, rowid LIMIT %s) f "
            f"JOIN library_searchentry e ON e.id = f.rowid WHERE {where} ORDER BY f.r, e.id LIMIT %s"
        )
        rows = list(SearchEntry.objects.raw(sql, [head, TITLE_WEIGHT, BODY_WEIGHT, query, fetch, *params, limit]))
        if len(rows) >= limit:
            return rows
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM library_search_fts WHERE library_search_fts MATCH %s", [query])
            if cursor.fetchone()[0] <= fetch:
                return rows
        fetch *= 4


def match(terms: Sequence[str], *, any_term: bool, sources: Iterable[str], restricted: Iterable[str],
          limit: int) -> list[int]:  # fmt: skip
    """Ids of matching entries, best first by the engine's rank (see `candidates`)."""
    return [e.pk for e in candidates(terms, any_term=any_term, sources=sources, restricted=restricted,
                                     limit=limit, head=0)]  # fmt: skip
