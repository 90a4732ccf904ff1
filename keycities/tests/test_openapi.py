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
