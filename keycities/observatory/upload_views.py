"""The secretariat's page for new releases: upload, preview the revisions, publish or discard (see uploads.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from keycities.accounts.policy import secretariat_only

from . import catalogue, uploads
from .forms import ReleaseUploadForm
from .models import ReleaseUpload

MAX_REQUEST_BYTES = uploads.MAX_UPLOAD_BYTES + 1024 * 1024


@secretariat_only
def uploads_page(request: HttpRequest) -> HttpResponse:
    """Upload a new release of a source in the catalogue; the uploads so far."""
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
        form = ReleaseUploadForm()
        form.add_error(None, _("The file must be smaller than %(mb)d MB") % {"mb": uploads.MAX_UPLOAD_BYTES >> 20})
        return render(request, "observatory/uploads.html", {"form": form, "uploads": _recent()}, status=413)
    form = ReleaseUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = uploads.store(catalogue.source(data["source"]), data["release_date"], data["file"], by=request.user)
        return redirect(upload.get_absolute_url())
    return render(request, "observatory/uploads.html", {"form": form, "uploads": _recent()})


def _recent() -> list[ReleaseUpload]:
    return list(ReleaseUpload.objects.select_related("uploaded_by", "decided_by", "release")[:20])


@secretariat_only
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """One upload: its check, the preview of its revisions, and publish or discard."""
    found = ReleaseUpload.objects.select_related("uploaded_by", "decided_by", "release").filter(pk=pk).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        action, seen = request.POST.get("action", ""), request.POST.get("seen", "")
        if action not in {"publish", "discard"}:
            return redirect(found.get_absolute_url())
        try:
            if action == "publish":
                uploads.publish(found.pk, seen=seen, by=request.user)
                messages.success(request, _("Publishing %(file)s.") % {"file": found.file_name})
            else:
                uploads.discard(found.pk, seen=seen, by=request.user)
                messages.success(request, _("Discarded %(file)s: nothing was published.") % {"file": found.file_name})
        except uploads.StaleState as exc:
            messages.error(request, _("This upload has changed since you opened the page: it is now “%(state)s”.")
                           % {"state": exc})  # fmt: skip
        return redirect(found.get_absolute_url())
    source = next((s for s in catalogue.SOURCES if s.key == found.source), None)
    return render(request, "observatory/upload.html", {
        "upload": found, "diff": found.diff, "source": source,
        "dataset": catalogue.DATASETS.get(source.dataset) if source else None,
    })  # fmt: skip
