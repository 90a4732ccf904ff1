"""Every API error, whatever raised it, has the same envelope."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CASES = [
    ("/api/v1/places/nowhere", 404, "not_found"),
    ("/api/v1/work-areas/nothing", 404, "not_found"),
    ("/api/v1/places/?group=no-such-group", 404, "not_found"),
    ("/api/v1/places/?name=%00", 400, "bad_request"),
    ("/api/v1/places/?group=key-cities&as_of=yesterday", 422, "invalid_parameters"),
    ("/api/v1/places/?limit=0", 422, "invalid_parameters"),
    ("/api/v1/places/?format=xml", 422, "invalid_parameters"),
    ("/api/v1/places/?nation=Atlantis", 422, "invalid_parameters"),
    ("/api/v1/no-such-endpoint", 404, "not_found"),
]


@pytest.mark.parametrize(("url", "status", "code"), CASES)
def test_error_envelope(registry: None, client: Client, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert (body["error"]["status"], body["error"]["code"]) == (status, code)
    assert body["error"]["message"]


def test_validation_errors_name_the_parameter(registry: None, client: Client) -> None:
    details = client.get("/api/v1/places/?group=key-cities&as_of=yesterday").json()["error"]["details"]
    assert details[0]["location"] == "query.as_of"


def test_wrong_method_has_the_envelope(registry: None, client: Client) -> None:
    response = client.post("/api/v1/places/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
