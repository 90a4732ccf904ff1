from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from keycities.core.access import public

from . import presenters, queries
from .forms import MemberFilterForm


@public
def home(request: HttpRequest) -> HttpResponse:
    """The Hub's home page: the network, its members and its work areas (routed as `core:home`)."""
    work_areas = list(queries.work_areas())
    return render(request, "network/home.html", {
        "members": list(queries.places(group=queries.NETWORK)),
        "priorities": [w for w in work_areas if w.kind == "priority"],
        "work_with_us": [w for w in work_areas if w.kind == "work-with-us"],
    })  # fmt: skip


@public
def members(request: HttpRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    nation = region = None
    if form.is_valid():
        nation = form.cleaned_data["nation"] or None
        region = form.cleaned_data["region"] or None
    places = list(queries.places(group="key-cities", nation=nation, region=region))
    return render(request, "network/members.html", {"form": form, "places": places, "filtered": bool(nation or region)})


@public
def place(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.places().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "network/place.html", {"place": found, "data": presenters.place(found, detail=True)})


@public
def work_areas(request: HttpRequest) -> HttpResponse:
    rows = list(queries.work_areas())
    return render(
        request,
        "network/work_areas.html",
        {
            "priorities": [w for w in rows if w.kind == "priority"],
            "work_with_us": [w for w in rows if w.kind == "work-with-us"],
        },
    )


@public
def work_area(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.work_areas().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "network/work_area.html", {"work_area": found, "leads": presenters.lead_names(found)})
