from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keycities.core.access import public
from keycities.core.bilingual import by_name

from . import presenters, queries
from .forms import MemberFilterForm


def _introduction(request: HttpRequest, template: str) -> HttpResponse:
    """The group as its introduction describes it: today's members and all eleven work areas."""
    members = by_name(queries.places(group=queries.NETWORK))
    return render(request, template, {"members": members, "work_areas": list(queries.work_areas())})


@public
def home(request: HttpRequest) -> HttpResponse:
    """The Hub's home page (routed as `core:home`)."""
    return _introduction(request, "network/home.html")


@public
def about(request: HttpRequest) -> HttpResponse:
    """The whole of the group's introduction, each figure linked to the claim that checks it (`core:about`)."""
    return _introduction(request, "network/about.html")


@public
def members(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    nation = region = None
    if form.is_valid():
        nation = form.cleaned_data["nation"] or None
        region = form.cleaned_data["region"] or None
    places = by_name(queries.places(group="key-cities", nation=nation, region=region))
    return render(request, "network/members.html", {"form": form, "places": places, "filtered": bool(nation or region)})


@public
def place(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.places().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "network/place.html", {"place": found, "data": presenters.place(found, detail=True)})


@public
def work_areas(request: HttpRequest) -> HttpResponse:
    return render(request, "network/work_areas.html", {"work_areas": list(queries.work_areas())})


@public
def work_area(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.work_areas().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "network/work_area.html", {"work_area": found, "leads": presenters.lead_names(found)})
