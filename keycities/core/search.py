"""The registry of what the Hub's one search (and the publications library) can find.

Each app says, in its AppConfig.ready(), what it contributes: `register(Source(...))` with the model whose rows
are found, how one row reads as a search document (`document(obj)`, None when it must not be found at all, e.g.
a response not yet published), every row for a rebuild (`everything()`), and which of a list of rows a user may
open (`visible(user, ids)`: built on the app's own `policy.visible_*`, so search shows exactly what the app's pages
would). A source with `library=True` is listed in the publications library too (consultation responses, issued
briefings; press releases when the engagement app registers them).

The index itself lives in the library app; this module only keeps the registry and tells the index, through
`set_indexer`, when a registered model is saved or deleted (Django's post_save/post_delete and m2m_changed run
inside the transaction that made the change, so the index changes in the same transaction). Like work.py and
erasure.py, it imports no domain app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save


@dataclass(frozen=True)
class Doc:
    """One row as the search index holds it."""

    key: str  # the row's id within its source (its primary key or reference)
    title: str
    body: str
    url: str
    date: dt.date | None = None
    places: tuple[str, ...] = ()  # member place slugs
    work_areas: tuple[str, ...] = ()  # work area slugs
    public: bool = True  # False: only those the source's `visible` lets through ever see it
    summary: str = ""  # a sentence for the library list; the snippet comes from title + body
    kind: str = ""  # the library's kind (report, briefing, response, press-release, ...)


@dataclass(frozen=True)
class Source:
    name: str  # a stable id: "publication", "proposal", ...
    label: Any  # a lazy translation: "Publications"
    model: type[models.Model]
    document: Callable[[Any], Doc | None]
    everything: Callable[[], Iterable[Any]]
    # The keys among `keys` that the user may open. None: public documents are open to everyone, others to nobody.
    visible: Callable[[Any, list[str]], set[str]] | None = None
    library: bool = False  # listed in the publications library
    staff_only: bool = False  # searched only for the secretariat and member officers
    order: int = 50  # prior for equal scores: lower first
    # Other models whose changes change this source's documents: model -> the source's rows affected by a row
    related: tuple[tuple[type[models.Model], Callable[[Any], Iterable[Any]]], ...] = ()


class Indexer(Protocol):
    def save(self, source: Source, obj: Any) -> None: ...

    def delete(self, source: Source, key: str) -> None: ...


@dataclass
class _Registry:
    sources: dict[str, Source] = field(default_factory=dict)
    indexer: Indexer | None = None


_registry = _Registry()


def set_indexer(indexer: Indexer) -> None:
    _registry.indexer = indexer


def _key(source: Source, obj: Any) -> str:
    doc_key = getattr(obj, "pk", None)
    return str(doc_key)


def _saved(source: Source) -> Callable[..., None]:
    def handler(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw or _registry.indexer is None:
            return
        _registry.indexer.save(source, instance)

    return handler


def _deleted(source: Source) -> Callable[..., None]:
    def handler(sender: Any, instance: Any, **kwargs: Any) -> None:
        if _registry.indexer is not None:
            _registry.indexer.delete(source, _key(source, instance))

    return handler


def _m2m(source: Source) -> Callable[..., None]:
    def handler(sender: Any, instance: Any, action: str, reverse: bool = False, **kwargs: Any) -> None:
        if _registry.indexer is None or not action.startswith("post_") or reverse:
            return
        if isinstance(instance, source.model):
            _registry.indexer.save(source, instance)

    return handler


def _related(source: Source, rows: Callable[[Any], Iterable[Any]]) -> Callable[..., None]:
    def handler(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw or _registry.indexer is None:
            return
        for row in rows(instance):
            _registry.indexer.save(source, row)

    return handler


def register(source: Source) -> None:
    """Add a source (once; registering the same name again is ignored) and follow its model's writes."""
    if source.name in _registry.sources:
        return
    _registry.sources[source.name] = source
    uid = f"search:{source.name}"
    post_save.connect(_saved(source), sender=source.model, weak=False, dispatch_uid=uid)
    post_delete.connect(_deleted(source), sender=source.model, weak=False, dispatch_uid=uid)
    for f in source.model._meta.many_to_many:
        through = getattr(f.remote_field, "through", None)
        if through is not None:
            m2m_changed.connect(_m2m(source), sender=through, weak=False, dispatch_uid=f"{uid}:{f.name}")
    for model, rows in source.related:
        post_save.connect(_related(source, rows), sender=model, weak=False, dispatch_uid=f"{uid}:{model.__name__}")


def sources() -> list[Source]:
    return sorted(_registry.sources.values(), key=lambda s: (s.order, s.name))


def source(name: str) -> Source | None:
    return _registry.sources.get(name)
