"""Benchmark: residents' voice (`python -m benchmarks voice`).

(a) Weighting. For every member place, the real Census 2021 cells (age band x sex, residents aged 16+) are the
    population. An outcome ("visits the town centre weekly") has a known probability in each cell, so its
    population share is known exactly. Samples of 600 are drawn with a strong response bias (older people and
    women answer far more often, as in most resident surveys), then estimated unweighted and raked to the age
    and sex margins (keycities.voice.analysis.rake, trimmed at 5x the mean). Reported: the mean absolute bias
    of each, the ratio weighted/unweighted, and how often the 95% intervals (Wilson; weighted ones on Kish's
    effective sample size) cover the true share. The baseline is the unweighted estimate from the same samples.
(b) Themes. 208 free-text answers written for the purpose, in 8 labelled themes (benchmarks/data/
    voice_answers.yaml), clustered with the Hub's sentence-embedding model (keycities.voice.themes.cluster) and,
    in the same run, with a TF-IDF + k-means baseline (scikit-learn, given the true number of themes, which
    favours it). Reported: the adjusted Rand index of each against the labels, and their ratio.
(c) Concurrency. 1,000 residents, each with their own browser and address, fill in a survey (not timed); then
    200 send one after another (the baseline) and 1,000 send at the same moment, through gunicorn with 3 workers
    on SQLite as `make run` uses (PostgreSQL too when BENCH_POSTGRES_URL is set). A response is lost unless its
    request is answered with the redirect to the "sent" page and the database holds it as sent; duplicated if
    the database holds more sent responses than were sent.
(d) Results page. 400 generated responses (Bradford and Newport, seeded) to a survey with every question type
    and the ward question, closed and published; the results page drawn in-process by the test client: CPU
    per request the first time (every chart drawn: one per question and per place) and after (charts kept by
    the renderer's cache), against the same results as CSV (the same `results.build`, no page, no charts) as
    the baseline; and the survey section of Bradford's briefing pack. Run on its own with
    `python -m benchmarks.voice results`.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from .common import MANAGE, ROOT, BenchmarkError, child_env, heading, hub_env, manage, ratio, say

SAMPLE = 600
REPLICATES = 40
AGE_EFFECT = {"16-24": -0.9, "25-34": -0.5, "35-49": 0.0, "50-64": 0.3, "65-74": 0.6, "75+": 0.4}
SEX_EFFECT = {"female": 0.25, "male": -0.25}
# How much more often each group answers (relative): older people and women over-represented.
PROPENSITY_AGE = {"16-24": 0.25, "25-34": 0.4, "35-49": 0.8, "50-64": 1.3, "65-74": 2.0, "75+": 1.5}
PROPENSITY_SEX = {"female": 1.6, "male": 0.8}
ANSWERS = ROOT / "benchmarks" / "data" / "voice_answers.yaml"


def _p(age: str, sex: str) -> float:
    # An interaction raking on margins cannot see: young men differ more than the margins say.
    extra = -0.4 if (age == "16-24" and sex == "male") else 0.0
    return 1 / (1 + math.exp(-(-0.2 + AGE_EFFECT[age] + SEX_EFFECT[sex] + extra)))


def weighting(places: dict[str, dict[tuple[str, str], int]]) -> dict[str, float]:
    from keycities.voice import analysis

    rng = random.Random(2021)  # noqa: S311 (a simulation, not a secret)
    bias_u, bias_w, cover_u, cover_w, runs, deffs = [], [], 0, 0, 0, []
    for cells in places.values():
        keys = list(cells)
        total = sum(cells.values())
        truth = sum(cells[k] * _p(*k) for k in keys) / total
        margins: dict[str, dict[str, float]] = {"age_band": {}, "sex": {}}
        for (age, sex), count in cells.items():
            margins["age_band"][age] = margins["age_band"].get(age, 0) + count
            margins["sex"][sex] = margins["sex"].get(sex, 0) + count
        draw = [cells[k] * PROPENSITY_AGE[k[0]] * PROPENSITY_SEX[k[1]] for k in keys]
        for _ in range(REPLICATES):
            chosen = rng.choices(keys, draw, k=SAMPLE)
            ys = [1 if rng.random() < _p(*k) else 0 for k in chosen]
            rows = [{"age_band": a, "sex": s} for a, s in chosen]
            raked = analysis.rake(rows, margins)
            w = raked.weights
            unweighted = sum(ys) / SAMPLE
            weighted = sum(wi * yi for wi, yi in zip(w, ys, strict=True)) / sum(w)
            lo, hi = analysis.wilson(sum(ys), SAMPLE)
            wlo, whi = analysis.wilson(weighted * raked.effective_n, raked.effective_n)
            bias_u.append(unweighted - truth)
            bias_w.append(weighted - truth)
            cover_u += lo <= truth <= hi
            cover_w += wlo <= truth <= whi
            deffs.append(raked.deff)
            runs += 1
    mean_abs = lambda xs: 100 * sum(abs(x) for x in xs) / len(xs)  # noqa: E731
    return {"places": len(places), "samples": runs, "bias_unweighted_pp": mean_abs(bias_u),
            "bias_weighted_pp": mean_abs(bias_w), "signed_unweighted_pp": 100 * sum(bias_u) / runs,
            "signed_weighted_pp": 100 * sum(bias_w) / runs, "coverage_unweighted": 100 * cover_u / runs,
            "coverage_weighted": 100 * cover_w / runs, "deff": sum(deffs) / len(deffs)}  # fmt: skip


def themes_quality() -> dict[str, float]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score

    from keycities.voice import themes

    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    texts = [t for label in data for t in data[label]]
    labels = [label for label in data for _t in data[label]]
    started = time.perf_counter()
    vectors = [themes.embed(t) for t in texts]
    if not all(vectors):
        raise BenchmarkError("the sentence-embedding model is not installed")
    found = themes.cluster(vectors)
    seconds = time.perf_counter() - started
    tfidf = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    baseline = KMeans(n_clusters=len(data), n_init=10, random_state=0).fit_predict(tfidf)
    # The same model's embeddings with k-means given the true k: separates the clustering from the embedding.
    embedded_k = KMeans(n_clusters=len(data), n_init=10, random_state=0).fit_predict(vectors)
    return {"answers": len(texts), "themes": len(data), "found": len(set(found)),
            "ari": adjusted_rand_score(labels, found), "ari_baseline": adjusted_rand_score(labels, baseline),
            "ari_embedding_kmeans": adjusted_rand_score(labels, embedded_k), "seconds": seconds}  # fmt: skip


SURVEY = """
import datetime as dt
from keycities.network.models import Place
from keycities.voice import services
from keycities.voice.models import Question
today = dt.date.today()
s = services.create_survey(services.SurveyData(slug="bench", title="Bench", title_cy="Mainc", introduction="i",
    introduction_cy="i", privacy_notice="p", privacy_notice_cy="p", opens_on=today - dt.timedelta(days=1),
    closes_on=today + dt.timedelta(days=30), places=[Place.objects.get(slug="bradford")]))
services.add_question(s, services.QuestionData(kind=Question.Kind.SINGLE, text="q", text_cy="c",
    options=[("a", "a"), ("b", "b")]))
services.launch(s)
print("OPTION", s.questions.get().options.first().pk, "PLACE", Place.objects.get(slug="bradford").pk)
"""
COUNT = """
from keycities.voice.models import Response as R
sent = R.objects.filter(survey__slug="bench", submitted_at__isnull=False)
print("COUNTED", R.objects.filter(survey__slug="bench").count(), sent.count(),
      sent.values("token_hash").distinct().count())
"""


def _shell(env: dict[str, str], code: str) -> str:
    return subprocess.run([sys.executable, str(MANAGE), "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True).stdout  # fmt: skip


def concurrency(workdir: Path, n: int, base_n: int) -> dict[str, Any]:
    from .api_load import free_port, server
    from .submissions import WORKERS, Visitor

    mail = workdir / "mail-voice"
    env = child_env({**hub_env(workdir / "voice.sqlite3"), "BEHIND_PROXY": "1", "EMAIL_URL": f"filemail:///{mail}",
                     "VOICE_RESPONSES_PER_HOUR": "100000",
                     "DJANGO_SETTINGS_MODULE": "benchmarks.settings_submissions"})  # fmt: skip
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_network")
    printed = next(line for line in _shell(env, SURVEY).splitlines() if line.startswith("OPTION")).split()
    option, place = printed[1], printed[3]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "gunicorn", "keycities.wsgi", "--workers", str(WORKERS), "--bind",
           f"127.0.0.1:{port}", "--timeout", "120", "--backlog", "2048"]  # fmt: skip
    with server("gunicorn (voice)", cmd, env, base + "/surveys/bench/", workdir / "gunicorn-voice.log"):
        visitors = [Visitor(base, f"198.18.{i // 250}.{i % 250 + 1}") for i in range(n + base_n)]
        links: dict[int, str] = {}

        def fill(item: tuple[int, Visitor]) -> None:
            i, v = item
            v.request("GET", "/surveys/bench/")
            status, location, page = v.request("POST", "/surveys/bench/", {"place": place})
            if status != 302:
                raise BenchmarkError(f"starting a response answered {status}: {page[:300]}")
            token = location.split("/surveys/answer/")[1].split("/")[0]
            status, location, _ = v.request("POST", f"/surveys/answer/{token}/1/", {"answer": option, "check": "1"})
            if status != 302:
                raise BenchmarkError(f"an answer was refused ({status})")
            links[i] = token

        say(f"{n + base_n} residents answer (not timed) ...")
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(fill, enumerate(visitors)))

        def send(i: int) -> bool:
            try:
                status, location, _ = visitors[i].request("POST", f"/surveys/answer/{links[i]}/check/", {})
            except OSError:
                return False
            return status == 302 and location.endswith("/sent/")

        say(f"baseline: {base_n} responses sent one after another ...")
        started = time.perf_counter()
        first = [send(i) for i in range(n, n + base_n)]
        base_seconds = time.perf_counter() - started
        say(f"measured: {n} responses sent at the same moment ...")
        barrier = threading.Barrier(n + 1)

        def together(i: int) -> bool:
            barrier.wait()
            return send(i)

        with ThreadPoolExecutor(n) as pool:
            futures = [pool.submit(together, i) for i in range(n)]
            barrier.wait()
            started = time.perf_counter()
            results = [f.result() for f in futures]
            seconds = time.perf_counter() - started
    counted = next(line for line in _shell(env, COUNT).splitlines() if line.startswith("COUNTED")).split()
    return {"n": n, "base_n": base_n, "base_lost": first.count(False), "lost": results.count(False),
            "base_per_second": base_n / base_seconds, "per_second": n / seconds, "rows": int(counted[1]),
            "sent_rows": int(counted[2]), "distinct": int(counted[3])}  # fmt: skip


def results_page() -> dict[str, float]:
    """(d): needs Django set up on a migrated database (run() does that)."""
    import statistics

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from keycities.briefings import content
    from keycities.core import charts
    from keycities.network.models import Place
    from keycities.voice import services, wards
    from keycities.voice.models import Question, Survey
    from keycities.voice.tests.factories import close, make_survey

    call_command("load_network", verbosity=0)
    services.import_population()
    rng = random.Random(16)  # noqa: S311 (a simulation, not a secret)
    survey = make_survey("bench-results", ("bradford", "newport"), launched=False)
    services.add_question(survey, services.QuestionData(kind=Question.Kind.WARD, text="", text_cy=""))
    survey = services.launch(survey)
    questions = {q.kind: q for q in survey.questions.prefetch_related("options")}
    bands = ["16-24", "25-34", "35-49", "50-64", "65-74", "75+"]
    for slug, count in (("bradford", 280), ("newport", 120)):
        place = Place.objects.get(slug=slug)
        codes = [w.code for w in wards.wards_of(place)][:5]
        for i in range(count):
            response, _token = services.start_response(survey, place, browser=f"{slug}{i}")
            age = rng.choices(bands, weights=[1, 2, 3, 4, 4, 2])[0]
            options = list(questions[Question.Kind.SINGLE].options.all())
            services.save_answer(response, questions[Question.Kind.SINGLE],
                                 options=[rng.choices(options, weights=[4, 3, 2])[0].pk])  # fmt: skip
            chosen = [o.pk for o in questions[Question.Kind.MULTIPLE].options.all() if rng.random() < 0.45]
            if chosen:
                services.save_answer(response, questions[Question.Kind.MULTIPLE], options=chosen)
            services.save_answer(response, questions[Question.Kind.SCALE], scale=rng.randint(1, 5))
            ranked = [o.pk for o in questions[Question.Kind.RANKING].options.all()]
            rng.shuffle(ranked)
            services.save_answer(response, questions[Question.Kind.RANKING], options=ranked)
            services.save_answer(response, questions[Question.Kind.AGE], choice=age)
            services.save_answer(response, questions[Question.Kind.SEX], choice=rng.choice(["female", "female",
                                                                                            "male"]))  # fmt: skip
            services.save_answer(response, questions[Question.Kind.WARD], choice=rng.choice(codes))
            services.submit(response)
    close(survey)
    services.publish_results(Survey.objects.get(pk=survey.pk), True)
    setup_test_environment()
    client = Client()
    url = f"/surveys/{survey.slug}/results/"

    def cpu(path: str) -> float:
        started = time.process_time()
        if client.get(path).status_code != 200:
            raise BenchmarkError(f"{path} did not answer 200")
        return time.process_time() - started

    # Static files named as they are on disk, as in the briefings benchmark: no `collectstatic` needed.
    static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=static):
        charts._svg.cache_clear()
        cold = cpu(url)
        warm = statistics.median(cpu(url) for _ in range(10))
        baseline = statistics.median(cpu(url + "answers.csv") for _ in range(10))
    place = Place.objects.get(slug="bradford")
    briefing = []
    for _ in range(5):
        started = time.process_time()
        content.survey_sections(content.Builder(), place=place)
        briefing.append(time.process_time() - started)
    return {"responses": 400, "cold": cold, "warm": warm, "baseline": baseline,
            "briefing": statistics.median(briefing)}  # fmt: skip


def say_results_page() -> None:
    heading("(voice d) The results page with its charts, CPU per request in-process (SQLite)")
    r = results_page()
    say(f"{r['responses']:.0f} responses; baseline, the same results as CSV: {1000 * r['baseline']:.0f} ms CPU")
    say(f"results page, first request (every chart drawn): {1000 * r['cold']:.0f} ms CPU; ratio "
        f"{ratio(r['cold'], r['baseline']):.1f}")  # fmt: skip
    say(f"results page, after (charts cached): {1000 * r['warm']:.0f} ms CPU; ratio "
        f"{ratio(r['warm'], r['baseline']):.2f}")  # fmt: skip
    say(f"Bradford's briefing section for the survey: {1000 * r['briefing']:.0f} ms CPU")


def _setup(workdir: Path) -> None:
    from .common import migrate, setup_django

    db = workdir / "voice-setup.sqlite3"
    if not db.exists():
        migrate(db)
    setup_django(db)


def run(workdir: Path, n: int = 1000) -> None:
    _setup(workdir)
    from keycities.voice import population

    heading("(voice a) Raking to the Census 2021 margins: bias and interval coverage")
    codes = {"bradford": ["E08000032"], "coventry": ["E08000026"], "swansea": ["W06000011"],
             "tees-valley": ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"],
             "southampton": ["E06000045"], "wakefield": ["E08000036"], "norwich": ["E07000148"],
             "newport": ["W06000022"]}  # fmt: skip
    cells = population.cells({c for cs in codes.values() for c in cs})
    places = {slug: {} for slug in codes}  # type: dict[str, dict[tuple[str, str], int]]
    for slug, area_codes in codes.items():
        for c in cells:
            if c.area_code in area_codes:
                key = (c.age_band, c.sex)
                places[slug][key] = places[slug].get(key, 0) + c.count
    w = weighting(places)
    say(f"{w['samples']} biased samples of {SAMPLE} ({w['places']} member places x {REPLICATES}), true share known")
    say(f"mean absolute bias, unweighted (baseline)   {w['bias_unweighted_pp']:.2f} percentage points "
        f"(signed {w['signed_unweighted_pp']:+.2f})")  # fmt: skip
    fixed = ratio(w["bias_weighted_pp"], w["bias_unweighted_pp"])
    say(f"mean absolute bias, raked and trimmed       {w['bias_weighted_pp']:.2f} percentage points "
        f"(signed {w['signed_weighted_pp']:+.2f}); ratio {fixed:.2f}")  # fmt: skip
    say(f"95% interval coverage, unweighted           {w['coverage_unweighted']:.1f}%")
    say(f"95% interval coverage, weighted (Kish n_eff) {w['coverage_weighted']:.1f}%; mean design effect "
        f"{w['deff']:.2f}")  # fmt: skip

    heading("(voice b) Themes in 208 labelled free-text answers")
    t = themes_quality()
    say(f"{t['answers']} answers in {t['themes']} labelled themes; the Hub found {t['found']} themes "
        f"({t['seconds']:.1f} s including embedding)")  # fmt: skip
    say(f"adjusted Rand index, embeddings + k-means, k by silhouette (Hub) {t['ari']:.3f}")
    say(f"adjusted Rand index, TF-IDF + k-means, true k (baseline)           {t['ari_baseline']:.3f}; ratio "
        f"{ratio(t['ari'], t['ari_baseline']):.2f}")  # fmt: skip
    say(f"adjusted Rand index, embeddings + k-means, true k                  {t['ari_embedding_kmeans']:.3f}")

    heading(f"(voice c) {n} survey responses sent at the same moment (SQLite, gunicorn, 3 workers)")
    c = concurrency(workdir, n, min(200, n))
    say(f"baseline: {c['base_n']} sent one after another: {c['base_lost']} lost, {c['base_per_second']:.1f}/s")
    say(f"measured: {c['n']} sent at the same moment: {c['lost']} lost, {c['per_second']:.1f}/s; ratio "
        f"{ratio(c['per_second'], c['base_per_second']):.2f}")  # fmt: skip
    expected = c["n"] + c["base_n"] - c["lost"] - c["base_lost"]
    say(f"database: {c['sent_rows']} responses sent (expected {expected}), {c['distinct']} distinct; "
        f"{c['rows']} started; duplicated {max(0, c['sent_rows'] - (c['n'] + c['base_n']))}")  # fmt: skip
    say_results_page()


if __name__ == "__main__":  # python -m benchmarks.voice results: (d) only
    import tempfile

    if sys.argv[1:] != ["results"]:
        raise SystemExit("usage: python -m benchmarks.voice results")
    with tempfile.TemporaryDirectory(prefix="kc-voice-") as scratch:
        _setup(Path(scratch))
        say_results_page()
