"""The OpenAPI schema is snapshot-tested: every API change shows in review.

After a deliberate change, refresh the snapshot with `make openapi`.
"""

import json
import os
from pathlib import Path

from keycities.api import api

SNAPSHOT = Path(__file__).parent / "openapi.json"


def test_openapi_schema_matches_snapshot() -> None:
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), sort_keys=True))
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert schema == json.loads(SNAPSHOT.read_text(encoding="utf-8")), "API changed: run `make openapi` and review"


def test_openapi_is_served(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Key Cities Hub API"


def test_every_schema_class_has_its_own_name() -> None:
    """django-ninja names an OpenAPI component after its class: two apps' `PlaceOut`s become one component, and
    one endpoint's response is then described by the other's schema (schemathesis found exactly that)."""
    import importlib
    import pkgutil

    from ninja import Schema

    import keycities

    seen: dict[str, str] = {}
    for info in pkgutil.iter_modules(keycities.__path__):
        try:
            module = importlib.import_module(f"keycities.{info.name}.schemas")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                assert name not in seen, f"{name} is defined in {seen[name]} and in {module.__name__}"
                seen[name] = module.__name__
    assert "PlaceOut" in seen and "SurveyPlaceOut" in seen
