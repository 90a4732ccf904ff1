"""Briefing packs (keycities/briefings): how long a pack takes, on a database with every bundled file imported.

Measured in one process (Django's test client, no server; production settings, DEBUG off), each `--repeat`
times after one warm-up, p50 and p95:

- build: `content.build` of a member place's pack on the live data (what the editor's preview and an issue do,
  once per language), with a narrative of three figure tokens;
- HTML: GET of the issued pack's page (frozen content, rendered by the template), as the secretariat;
- PDF and DOCX: GET of the same issue's PDF and DOCX downloads (WeasyPrint's tagged PDF/UA-1 and python-docx
  from the same frozen content), with their ratio to the HTML page;
- PDF's HTML: the HTML the PDF is made from (`exports.pdf_html`: the same content template in the PDF's page),
  rendered alone, without the PDF engine; the PDF's ratio to it is what the engine adds;
- issue: `services.issue_pack` (both languages built, frozen, compared with the version before).

Two packs are measured: a member place's (Coventry, with a narrative of figure tokens long enough for the PDF
to run to at least six A4 pages, as issue 12's target says; the page count is read back with pypdf and printed)
and an MP's (the MP for Coventry South: the constituency's member places and share of wards, the Centre for
Cities figures, the place's headline figures and trend chart, interactions and the APPG). Issue 12's targets
(HTML p95 < 300 ms, PDF < 2 s, DOCX < 1 s) are checked on both.

`python -m benchmarks briefings` (or `python -m benchmarks.briefings`) prepares the database (untimed).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .common import ROOT, heading, ratio, say, setup_django

TARGETS_MS = {"HTML": 300.0, "PDF": 2000.0, "DOCX": 1000.0}
# The place pack's narrative (benchmark text, with live figure tokens): long enough, with the place's profile,
# trend chart and its table, for the PDF to run to six A4 pages or more.
_POINTS = (
    "Coventry is home to {{population:coventry:latest}} people, and its economy produced {{gva:coventry:2020}} of "
    "output in 2020, against {{gva:key-cities:2020}} for the group as a whole.",
    "Output per head, {{gva-per-head:coventry:2020}}, compares with {{gva-per-head:key-cities:2020}} across the "
    "group; the gap is the case for investment in skills, transport and the city centre.",
    "The employment rate, {{employment-rate:coventry:latest}}, and median weekly pay, "
    "{{median-weekly-pay:coventry:latest}}, show where the labour market stands today.",
)
NARRATIVE = [
    (heading, "\n\n".join(_POINTS * 2))
    for heading in ("Why Coventry matters", "Growth and productivity", "Skills and jobs", "Transport and housing",
                    "Net zero", "Health and wellbeing", "Culture and the visitor economy", "Research and innovation",
                    "Town centres", "Young people", "Public services", "Investment", "Partnerships",
                    "What we ask of government")
]  # fmt: skip


def _times(action: Callable[[], Any], repeat: int) -> list[float]:
    action()  # warm-up
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def run(hub_db: Path, repeat: int = 20) -> dict[str, dict[str, float]]:
    heading("Briefing packs: build, HTML, PDF, DOCX (one process, test client)")
    setup_django(hub_db)
    from django.conf import settings
    from django.test.utils import override_settings

    # Static files named as they are on disk, as in the submissions benchmark: no `collectstatic` needed.
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=static):
        return _run(repeat)


def _run(repeat: int) -> dict[str, dict[str, float]]:
    from django.test import Client
    from django.utils import translation
    from pypdf import PdfReader

    from keycities.accounts.models import Role, User
    from keycities.briefings import content, exports, services
    from keycities.briefings.models import Kind, Pack
    from keycities.briefings.views import frozen
    from keycities.network.models import Place
    from keycities.network.services import load_network

    if not Place.objects.exists():
        load_network(ROOT / "data" / "network.yaml")
    user, _ = User.objects.get_or_create(username="bench-secretariat", defaults={"role": Role.SECRETARIAT})
    pack = Pack.objects.filter(title="Benchmark: Coventry").first() or services.create_pack(
        {"kind": Kind.PLACE, "title": "Benchmark: Coventry", "place": Place.objects.get(slug="coventry")}, by=user
    )
    for title, text in NARRATIVE[pack.sections.count() :]:
        services.save_section(pack, title, text, by=user)
    client = Client()
    client.force_login(user)

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if hasattr(response, "content"):
            _ = response.content

    out: dict[str, dict[str, float]] = {}
    for label, measured in (("place", pack), ("MP", _mp_pack(user))):
        issue = services.issue_pack(measured, by=user)
        url = issue.get_absolute_url()
        pages = len(PdfReader(io.BytesIO(client.get(url + "pdf").content)).pages)
        say(f"{label} pack: {measured.title} ({pages} PDF pages, counted with pypdf)")
        if label == "place" and pages < 6:
            say("  fewer than six pages: the target's six-page PDF is not what is measured here")
        with translation.override("en"):
            data = frozen(issue)
        figures = {
            "build": _times(lambda m=measured: content.build(m), repeat),
            "HTML": _times(lambda u=url: get(u), repeat),
            "PDF": _times(lambda u=url: get(u + "pdf"), repeat),
            "PDF's HTML": _times(lambda d=data, v=issue.version: exports.pdf_html(d, v), repeat),
            "DOCX": _times(lambda u=url: get(u + "docx"), repeat),
            "issue": _times(lambda m=measured: services.issue_pack(m, by=user), max(3, repeat // 4)),
        }
        html_p50 = statistics.median(figures["HTML"])
        for name, values in figures.items():
            p50, p95 = statistics.median(values), _p95(values)
            out[f"{label} {name}"] = {"p50_ms": p50, "p95_ms": p95, "n": len(values), "pages": pages}
            line = f"  {name:10} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (n={len(values)})"
            if name in ("PDF", "DOCX"):
                line += f"   {ratio(p50, html_p50):5.1f}x the HTML page (p50)"
            if name == "PDF":
                alone = statistics.median(figures["PDF's HTML"])
                line += f", {ratio(p50, alone):5.1f}x its own HTML rendered alone (p50)"
            if name in TARGETS_MS:
                verdict = "meets" if p95 < TARGETS_MS[name] else "MISSES"
                line += f"   target p95 < {TARGETS_MS[name]:.0f} ms: {verdict}"
            say(line)
    return out


def _mp_pack(user: Any) -> Any:
    """The pack of the MP for Coventry South (MPs and constituencies loaded from the bundled files if missing)."""
    from keycities.briefings import services
    from keycities.briefings.models import Kind, Pack
    from keycities.engagement.models import Constituency, Role
    from keycities.engagement.services import load_engagement

    if not Constituency.objects.exists():
        load_engagement()
    mp = Role.objects.current().get(kind="mp", constituency__name="Coventry South").person
    return Pack.objects.filter(kind=Kind.MP, person=mp).first() or services.create_pack(
        {"kind": Kind.MP, "title": f"Benchmark: {mp.name}", "person": mp}, by=user
    )


def main(argv: list[str]) -> int:
    from .importing import prepare_database

    db = Path(argv[0]) if argv else None
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="keycities-bench-", dir="/tmp")) / "hub.sqlite3"
        say(f"Preparing {db} with every bundled file imported (not timed) ...")
        prepare_database(db)
    run(db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
