"""A new web worker is warmed before its first request (gunicorn.conf.py, observatory.warmup)."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from keycities.core import charts
from keycities.network.models import Place
from keycities.observatory import aggregation, warmup


@pytest.fixture
def cold() -> None:
    for kept in (aggregation._COVERAGE, aggregation._RELEASE_VALUES, aggregation._FIGURES, aggregation._DERIVED):
        kept.clear()
    charts._svg.cache_clear()
    charts._MAP_SHAPES.clear()


def test_warm_up_fills_the_keeps_a_place_profile_reads(registry: None, cold: None) -> None:
    beats: list[int] = []
    warmup.warm_up(lambda: beats.append(1))
    assert aggregation._COVERAGE["version"]  # the coverage map of the finished releases
    assert aggregation._RELEASE_VALUES  # release values read once
    assert aggregation._FIGURES  # the first member's figures, kept by all their inputs
    assert charts._svg.cache_info().currsize >= 1  # the chart engine has drawn
    assert {layer for _, layer, _ in charts._MAP_SHAPES} == {"ltla"}  # the map's shapes for the latest years
    # a heartbeat after the templates, the chart engine, the maps and each language's two steps
    assert len(beats) == 3 + 2 * len(settings.LANGUAGES)


def test_a_failing_warm_up_is_logged_and_does_not_stop_the_worker(
    registry: None, cold: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def down(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(Place.objects, "members_of", down)
    assert warmup.warm_up() >= 0
    assert "Warm-up did not finish" in caplog.text
    assert not aggregation._FIGURES


def test_gunicorn_warms_each_worker_with_its_heartbeat(monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn reads ./gunicorn.conf.py by default: its post_worker_init hook warms the worker."""
    calls: list[Any] = []
    monkeypatch.setattr(warmup, "warm_up", lambda notify: calls.append(notify) or 1.5)

    class Worker:
        def __init__(self) -> None:
            self.logged: list[str] = []
            self.log = self

        def notify(self) -> None: ...

        def info(self, message: str, *args: Any) -> None:
            self.logged.append(message % args)

    worker = Worker()
    hooks = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    hooks["post_worker_init"](worker)
    assert calls == [worker.notify]
    assert worker.logged == ["Warmed in 1.50 s"]
