"""Keeping the search index current, and the two engines that match a query against it.

`Indexer` is what `core.search` calls when a registered model is saved or deleted: the entry is written by the
same transaction (post_save runs inside it), and the database's own full-text index follows in the same
statement (a generated column on PostgreSQL, triggers on SQLite; migration 0002).

`match()` returns the ids of the entries that match, best first by the engine's own rank (PostgreSQL:
`websearch_to_tsquery` and `ts_rank` with title weighted over body; SQLite: FTS5 `MATCH` and `bm25` with the same
weighting). Which engine runs is the connection's vendor.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

from keycities.core import search as registry

from .models import SearchEntry

log = logging.getLogger(__name__)

TITLE_WEIGHT = 10.0  # bm25 column weights on SQLite; PostgreSQL's ts_rank weights are in WEIGHTS
BODY_WEIGHT = 1.0
WEIGHTS = [0.0, 0.0, 0.1, 1.0]  # ts_rank's {D, C, B, A}: body is B, title A
BODY_LIMIT = 200_000  # characters of a document's text kept in the index


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
        SearchEntry.objects.filter(source=source.name, key=key).delete()


indexer = Indexer()


@transaction.atomic
def rebuild(names: Sequence[str] = (), *, embed: bool = False) -> dict[str, int]:
    """Every registered source's documents written again from its rows (one transaction)."""
    counts: dict[str, int] = {}
    for source in registry.sources():
        if names and source.name not in names:
            continue
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


def match(terms: Sequence[str], *, any_term: bool, sources: Iterable[str], restricted: Iterable[str],
          limit: int) -> list[int]:  # fmt: skip
    """Ids of matching entries, best first by the engine's rank: entries of `sources` that are public, or that
    belong to one of the `restricted` sources (whose rows the caller then checks with the source's policy)."""
    sources, restricted = list(sources), list(restricted)
    if not terms or not sources:
        return []
    query = fts_query(terms, any_term=any_term)
    if connection.vendor == "postgresql":
        entries = SearchEntry.objects.filter(source__in=sources)
        entries = entries.filter(Q(is_public=True) | Q(source__in=restricted))
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        vector = RawSQL('"library_searchentry"."vector"', [], output_field=SearchVectorField())
        tsquery = SearchQuery(query, search_type="websearch", config="english")
        found = (entries.annotate(v=vector).filter(v=tsquery)
                 .annotate(rank=SearchRank(vector, tsquery, weights=WEIGHTS)).order_by("-rank", "pk"))  # fmt: skip
        return list(found.values_list("pk", flat=True)[:limit])
    marks = ", ".join(["%s"] * len(sources))
    either = ", ".join(["%s"] * len(restricted))
    visible = f"(e.is_public OR e.source IN ({either}))" if restricted else "e.is_public"
    sql = (
        "SELECT e.id FROM library_search_fts JOIN library_searchentry e ON e.id = library_search_fts.rowid "  # noqa: S608 (placeholders only)
        f"WHERE library_search_fts MATCH %s AND e.source IN ({marks}) AND {visible} "
        "ORDER BY bm25(library_search_fts, %s, %s), e.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *sources, *restricted, TITLE_WEIGHT, BODY_WEIGHT, limit])
        return [row[0] for row in cursor.fetchall()]
