"""What an attacker sends gets a clear 4xx, never a server error; every page carries a Content-Security-Policy
whose nonce is on each inline script and style, and a Permissions-Policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings

from keycities.accounts.models import User
from keycities.proposals.models import Proposal

pytestmark = pytest.mark.django_db

PAGES = ["/", "/members/", "/work-areas/", "/evidence/", "/evidence/population/", "/in-numbers/", "/consultations/",
         "/work-with-us/", "/account/sign-in/", "/privacy/", "/api/v1/docs"]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_a_content_security_policy_that_their_inline_code_satisfies(registry: None, client: Client,
                                                                               url: str) -> None:  # fmt: skip
    response = client.get(url)
    assert response.status_code == 200
    policy = {
        name: value
        for name, _, value in (p.strip().partition(" ") for p in response["Content-Security-Policy"].split(";"))
    }
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and "unsafe-inline" not in response["Content-Security-Policy"]
    html = response.content.decode()
    nonces = set(re.findall(r"'nonce-([^']+)'", policy["script-src"]))
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
        if "src=" in tag or 'type="application/json"' in tag:
            continue  # a file from 'self', or data
        assert re.search(r'nonce="([^"]+)"', tag) and re.search(r'nonce="([^"]+)"', tag).group(1) in nonces, tag  # type: ignore[union-attr]
    assert not re.search(r"<[a-z]+\s[^>]*\bstyle=", html), "style attributes are refused by the policy"
    assert not re.search(r"\son[a-z]+=", html), "event-handler attributes are refused by the policy"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_api_docs_work_offline_in_english(registry: None, client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en-GB">' in html
    assert not re.search(r"(src|href)=\"https?://", html)  # every asset from the Hub itself
    assert "/static/ninja/swagger-ui-bundle" in html


@pytest.mark.parametrize("url", [
    "/evidence/?q=%00", "/members/%00/", "/proposals/?status=%00", "/api/v1/places/%00",
    "/api/v1/data?indicator=pop%00ulation", "/api/v1/indicators/%00", "/api/v1/consultations/?status=%00",
])  # fmt: skip
def test_a_nul_byte_anywhere_is_a_bad_request(registry: None, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"


def test_a_nul_byte_in_a_form_or_json_body_is_a_bad_request(registry: None, client: Client) -> None:
    assert client.post("/work-with-us/", {"name": "A\x00"}).status_code == 400
    response = client.post("/api/v1/work-areas/suggest", '{"title": "Bus\\u0000"}', content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("body", ["[]", '"skills"', "1", "null", "{"])
def test_a_body_that_is_not_a_json_object_is_refused(registry: None, client: Client, body: str) -> None:
    response = client.post("/api/v1/work-areas/suggest", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_extra_fields_in_a_body_are_refused(registry: None, client: Client) -> None:
    response = client.post("/api/v1/work-areas/suggest", {"title": "Buses", "colour": "red"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 422


@pytest.mark.parametrize(("url", "status"), [
    ("/api/v1/places/?offset=99999999999999999999", 422),
    ("/api/v1/places/?offset=1000000000", 200),
    ("/api/v1/data?indicator=population&period=99999999999", 422),
    ("/api/v1/groups/key-cities/aggregate?indicator=population&period=99999999", 422),
    ("/api/v1/data?indicator=population&release=99999999999999999999999", 422),
    ("/api/v1/claims/99999999999999999999999", 404),
    ("/api/v1/places/?as_of=0", 422),
    ("/api/v1/places/?as_of=2020-01-01", 200),
])  # fmt: skip
def test_numbers_out_of_range_are_refused_not_server_errors(registry: None, client: Client, url: str,
                                                            status: int) -> None:  # fmt: skip
    assert client.get(url).status_code == status


@override_settings(ALLOWED_HOSTS=["hub.example.org"])
@pytest.mark.parametrize("url", ["/", "/api/v1/places/"])
def test_a_disallowed_host_is_a_bad_request(registry: None, client: Client, url: str) -> None:
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "bad_request"
    else:
        assert "Bad request" in response.content.decode()


def test_a_malformed_evaluation_on_the_claims_dashboard_is_not_found(secretariat: User, client: Client) -> None:
    client.force_login(secretariat)
    assert client.post("/claims/dashboard/", {"evaluation": "abc"}).status_code == 404
    assert client.post("/claims/dashboard/", {}).status_code == 404


def test_assigning_a_reviewer_who_is_not_listed_is_refused(secretariat: User, client: Client) -> None:
    from keycities.proposals.tests.test_proposals import GOOD

    partner = Client()
    assert partner.post("/work-with-us/", GOOD).status_code == 302
    assert partner.post("/work-with-us/check/").status_code == 302
    proposal = Proposal.objects.get()
    client.force_login(secretariat)
    response = client.post(f"/proposals/{proposal.reference}/", {"assign": "1", "reviewer": "999999"}, follow=True)
    assert response.status_code == 200 and "Choose a reviewer from the list." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.reviewer is None


def test_a_date_parameter_is_a_date_not_a_number(secretariat: User, client: Client) -> None:
    from keycities.accounts.models import ApiToken

    _, key = ApiToken.issue(secretariat, "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/interactions/?since=0", **auth).status_code == 422  # schemathesis found 200
    assert client.get("/api/v1/interactions/?since=2026-01-01", **auth).status_code == 200
