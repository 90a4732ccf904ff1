"""gunicorn's settings for the Hub, read from the working directory by `gunicorn keycities.wsgi` (README).

Each new worker is warmed before it takes a request (keycities/observatory/warmup.py), so no user meets the seconds a
cold worker spends reading the published releases."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    from keycities.observatory.warmup import warm_up

    worker.log.info("Warmed in %.2f s", warm_up(worker.notify))
