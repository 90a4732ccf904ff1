"""core.text (what people paste) and the client address behind proxies."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from keycities.core.middleware import TrustedProxyMiddleware
from keycities.core.ratelimit import client_address
from keycities.core.text import clean_text, one_line, xml_safe


@pytest.mark.parametrize(("typed", "line"), [
    ("Digital skills\r\nbootcamps", "Digital skills bootcamps"), ("  a\tb\x0bc\x00d  ", "a b c d"),
    ("Subject\rBcc: victim@example.org", "Subject Bcc: victim@example.org"), ("\u2028x\x85y", "x y"),
    ("Caerdydd – Ŵyl", "Caerdydd – Ŵyl"),
])  # fmt: skip
def test_one_line(typed: str, line: str) -> None:
    assert one_line(typed) == line


def test_clean_text_keeps_lines_and_drops_control_characters() -> None:
    assert clean_text(" One\r\nTwo\rThree\x0bFour\x0cFive\x00\x1b[1m\tSix \n") == "One\nTwo\nThree\nFour\nFive[1m\tSix"


def test_xml_safe_everywhere_in_a_structure() -> None:
    data = {"title": "A\x0bB", "sections": [{"answer": "C\x00D\ud800"}], "n": 3, "t": ("\x1f",)}
    assert xml_safe(data) == {"title": "AB", "sections": [{"answer": "CD"}], "n": 3, "t": ("",)}


@pytest.mark.parametrize(("remote", "forwarded", "proxies", "client"), [
    ("192.0.2.1", "", 0, "192.0.2.1"),
    ("192.0.2.1", "198.51.100.7", 0, "192.0.2.1"),  # no proxy is trusted: the header is the client's own
    ("127.0.0.1", "203.0.113.5", 1, "203.0.113.5"),
    ("127.0.0.1", "198.51.100.1, 203.0.113.5", 1, "203.0.113.5"),  # a forged entry on the left
    ("10.0.0.2", "198.51.100.1, 203.0.113.5, 10.0.0.1", 2, "203.0.113.5"),  # load balancer, then nginx
    ("10.0.0.2", "203.0.113.5", 2, "203.0.113.5"),  # came in past the load balancer
    ("127.0.0.1", "not-an-address", 1, "127.0.0.1"),
    ("127.0.0.1", "2001:db8::1", 1, "2001:db8::1"),
])  # fmt: skip
def test_client_address(remote: str, forwarded: str, proxies: int, client: str) -> None:
    assert client_address(remote, forwarded, proxies) == client


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_middleware_puts_the_client_in_remote_addr_and_drops_the_header() -> None:
    seen: dict[str, object] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(addr=request.META["REMOTE_ADDR"], header=request.META.get("HTTP_X_FORWARDED_FOR"))
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    TrustedProxyMiddleware(view)(request)
    assert seen == {"addr": "203.0.113.9", "header": None}
