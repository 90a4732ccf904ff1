"""The library's pages and the Hub's search page. Public: the library (publications, published responses,
public briefings), a publication with its citation, its file, the Atom feed, search. Staff: private
publications, upload and edit. Every write is one call into `services`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keycities.accounts.policy import staff_only
from keycities.core import search as registry
from keycities.core.access import public
from keycities.core.bilingual import is_welsh, localised_text
from keycities.core.files import download as file_download
from keycities.network.models import Place, WorkArea

from . import policy, presenters, search, services
from .forms import PublicationForm
from .models import Kind, Licence, Publication, SearchEntry
from .sources import with_welsh


def library_entries(user: Any, kind: str = "") -> list[SearchEntry]:
    """Everything in the library the user may open, newest first: publications, and the entries other apps
    register as library sources (published responses, issued briefings; press releases when registered)."""
    names = [s.name for s in registry.sources() if s.library]
    entries = SearchEntry.objects.filter(source__in=names).defer("body", "embedding").order_by("-date", "-pk")
    if kind:
        entries = entries.filter(kind=kind)
    return search.allowed(user, list(entries))


@public
def index(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    page = Paginator(library_entries(request.user, kind), 25).get_page(request.GET.get("page"))
    with_welsh(list(page.object_list))
    return render(request, "library/index.html", {"page": page, "kinds": Kind.choices, "kind": kind,
                                                  "may_edit": policy.may_edit(request.user)})  # fmt: skip


def _citation(request: HttpRequest, p: Publication) -> str:
    return presenters.citation(authors=p.authors, year=p.published_on.year, title=p.title,
                               url=request.build_absolute_uri(p.get_absolute_url()), accessed=timezone.localdate(),
                               licence=str(Licence(p.licence).label))  # fmt: skip


@public
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    p = policy.access_publication(request.user, pk)
    related = search.related("publication", str(p.pk))
    with_welsh(related)  # their Welsh titles on a Welsh page
    return render(request, "library/publication.html", {
        "publication": p, "citation": _citation(request, p), "size": presenters.size_label(p.size),
        "related": related, "may_edit": policy.may_edit(request.user)})  # fmt: skip


@public
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    p = policy.access_publication(request.user, pk)
    return file_download(p.file, filename=p.original_name, content_type=p.content_type)


def _form_data(form: PublicationForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _initial(p: Publication) -> dict[str, Any]:
    return {"title": p.title, "title_cy": p.title_cy, "summary": p.summary, "summary_cy": p.summary_cy,
            "published_on": p.published_on, "authors": p.authors,
            "kind": p.kind, "places": list(p.places.all()), "work_areas": list(p.work_areas.all()),
            "is_public": p.is_public, "licence": p.licence}  # fmt: skip


@staff_only
def new(request: HttpRequest) -> HttpResponse:
    form = PublicationForm(request.POST or None, request.FILES or None, initial={"is_public": True})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if not upload:
            form.add_error("file", _("Choose a PDF or DOCX file."))
        else:
            try:
                p = services.create_publication(_form_data(form), upload, by=request.user)
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, _("Publication added."))
                return redirect(p.get_absolute_url())
    return render(request, "library/edit.html", {"form": form, "publication": None},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    p = policy.access_for_edit(request.user, pk)
    form = PublicationForm(request.POST or None, request.FILES or None, initial=_initial(p))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_publication(p, _form_data(form), form.cleaned_data.get("file") or None, by=request.user)
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("Publication saved."))
            return redirect(p.get_absolute_url())
    return render(request, "library/edit.html", {"form": form, "publication": p},
                  status=400 if form.errors else 200)  # fmt: skip


def _names() -> dict[str, dict[str, str]]:
    return {"type": {s.name: str(s.label) for s in registry.sources()},
            "work_area": dict(WorkArea.objects.values_list("slug", "name")),
            "place": dict(Place.objects.values_list("slug", "name"))}  # fmt: skip


@public
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    filters = {f: request.GET.get(f, "")[:60] for f in search.FACETS}
    results = search.run(request.user, query, filters=filters) if query.strip() else None
    page = Paginator(results.hits if results else [], search.PAGE).get_page(request.GET.get("page"))
    if results:
        with_welsh([h.entry for h in page.object_list])
        search.quote(results, list(page.object_list), welsh=is_welsh())
    names = _names()
    facets = []
    if results:
        for facet, counts in results.facets.items():
            options = [{"value": v, "label": names.get(facet, {}).get(v, v), "count": n,
                        "selected": filters.get(facet) == v} for v, n in counts]  # fmt: skip
            facets.append({"name": facet, "label": FACET_LABELS[facet], "options": options})
    base = urlencode({"q": query, **{k: v for k, v in filters.items() if v}})
    return render(request, "library/search.html", {"query": query, "results": results, "page": page,
                                                   "facets": facets, "filters": filters, "base": base})  # fmt: skip


FACET_LABELS = {"type": gettext_lazy("Type"), "work_area": gettext_lazy("Work area"),
                "place": gettext_lazy("Member place"), "year": gettext_lazy("Year")}  # fmt: skip


class PublicationsFeed(Feed):
    """New public publications, as Atom."""

    feed_type = Atom1Feed
    title = gettext_lazy("Key Cities publications")
    subtitle = gettext_lazy("New reports, research, briefings and responses from Key Cities.")

    def link(self) -> str:
        return reverse("library:index")

    def items(self) -> Any:
        return Publication.objects.filter(is_public=True).order_by("-published_on", "-pk")[:30]

    def item_title(self, item: Publication) -> str:
        return localised_text(item, "title")  # the feed at /cy/… is in Welsh, English where none exists yet

    def item_description(self, item: Publication) -> str:
        return localised_text(item, "summary")

    def item_pubdate(self, item: Publication) -> Any:
        return item.created_at

    def item_updateddate(self, item: Publication) -> Any:
        return item.updated_at

    def item_author_name(self, item: Publication) -> str:
        return item.authors


@public
def feed(request: HttpRequest) -> HttpResponse:
    return PublicationsFeed()(request)
