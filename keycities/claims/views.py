from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from keycities.accounts.policy import secretariat_only
from keycities.core.access import public
from keycities.core.bilingual import localised_text
from keycities.core.text import whole_number

from . import queries, services
from .evaluate import evaluate
from .forms import ClaimForm
from .models import Claim, Evaluation


def _with_latest(claims: list[Claim]) -> list[tuple[Claim, Evaluation | None]]:
    return [(c, queries.latest(c)) for c in claims]


@public
def in_numbers(request: HttpRequest) -> HttpResponse:
    """Key Cities in numbers: the headline figures restated from the latest data."""
    rows = _with_latest(list(queries.claims()))
    return render(request, "claims/in_numbers.html", {"rows": rows})


@public
def document(request: HttpRequest, slug: str) -> HttpResponse:
    found = queries.documents().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(request, "claims/document.html", {"document": found,
                                                    "rows": _with_latest(list(found.claims.all()))})  # fmt: skip


@public
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.claims().filter(pk=pk).first()
    if found is None:
        raise Http404
    history = list(found.evaluations.all())
    return render(request, "claims/claim.html", {"claim": found, "latest": history[0] if history else None,
                                                 "history": history})  # fmt: skip


@secretariat_only
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or edit a claim. 'Preview' shows the verdict without saving; 'Save' saves and evaluates."""
    instance = get_object_or_404(Claim, pk=pk) if pk else None
    form = ClaimForm(request.POST or None, instance=instance)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = evaluate(form.save(commit=False))
        else:
            with transaction.atomic():
                saved = form.save()
                services.evaluate_claim(saved)
            messages.success(request, _("Claim saved: %(headline)s") % {"headline": localised_text(saved, "headline")})
            return redirect(saved.get_absolute_url())
    return render(request, "claims/edit.html", {"form": form, "preview": preview, "claim": instance})


@secretariat_only
def dashboard(request: HttpRequest) -> HttpResponse:
    """Claims whose verdict changed with new data and that staff have not yet acknowledged."""
    if request.method == "POST":
        chosen = request.POST.get("evaluation", "")
        evaluation = get_object_or_404(Evaluation, pk=whole_number(chosen) or 0)
        services.acknowledge(evaluation)
        messages.success(request, _("Marked as seen: %(headline)s") % {
            "headline": localised_text(evaluation.claim, "headline")})  # fmt: skip
        return redirect("claims:dashboard")
    changed = Evaluation.objects.filter(changed=True, acknowledged=False).select_related("claim__document")
    return render(request, "claims/dashboard.html", {"changed": changed, "rows": _with_latest(list(queries.claims()))})
