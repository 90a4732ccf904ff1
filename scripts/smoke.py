"""Smoke test of a running Hub as its proxy would call it (`.ci/deploy-check`).

Walks every page reachable from the home page, anonymously and then signed in as the secretariat, and
fails on any server error or missing static file; calls every API operation (JSON and CSV) with the
bearer token; sends a proposal with an attachment through the public form (rate limits in Redis) and
waits for the task worker to deliver its confirmation email. `--attachments-only` (after a restore)
checks that every attachment of every proposal downloads.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
SKIP = re.compile(r"^/api/|/(sign-out|logout)/|/admin/.+/(add|delete|history|change)/|/admin/.+/\d+/")
PER_SECTION = 12  # pages of one kind (same first path segment) visited at most: every kind, not every instance
LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")


class Failed(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """Plain HTTP as the proxy sends it: the public Host, X-Forwarded-Proto https, cookies kept by hand
    (they are Secure, so a cookie jar would not send them over this plain connection)."""

    base: str
    host: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                ) -> Response:  # fmt: skip
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=120)
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7",
                "Referer": f"https://{self.host}{path}", **(headers or {})}  # fmt: skip
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        raw = conn.getresponse()
        data = raw.read()
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)

    def get(self, path: str, **headers: str) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None,
                  ) -> Response:  # fmt: skip
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, kind) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")  # fmt: skip
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                 "Origin": f"https://{self.host}"})  # fmt: skip

    def local(self, location: str) -> str:
        parts = urlsplit(urljoin(f"https://{self.host}/", location))
        return parts.path + (f"?{parts.query}" if parts.query else "")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def crawl(browser: Browser, seeds: list[str], limit: int) -> tuple[int, set[str]]:
    """Every kind of page reachable from the seeds (links without their query strings, a dozen of each
    kind); returns the number visited and the static files they use, each fetched once."""
    seen: set[str] = set()
    statics: set[str] = set()
    sections: dict[str, int] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        path = queue.pop(0).split("?", 1)[0]
        section = "/".join(path.split("/")[:3]) if path.startswith("/admin/") else path.split("/")[1]
        if path in seen or SKIP.search(path) or sections.get(section, 0) >= PER_SECTION:
            continue
        sections[section] = sections.get(section, 0) + 1
        seen.add(path)
        r = browser.get(path)
        check(r.status < 500, f"{path}: HTTP {r.status}")
        check(r.status in {200, 301, 302, 400, 403, 404, 405}, f"{path}: unexpected HTTP {r.status}")
        if r.status in {301, 302} and "location" in r.headers:
            queue.append(browser.local(r.headers["location"]))
        if r.headers.get("content-type", "").startswith("text/html"):
            check("content-security-policy" in r.headers, f"{path}: no Content-Security-Policy")
            for link in LINK.findall(r.text):
                local = browser.local(link.replace("&amp;", "&"))
                if urlsplit(urljoin(f"https://{browser.host}/", link)).hostname != browser.host:
                    continue
                if local.startswith("/static/"):
                    statics.add(local)
                elif local not in seen:
                    queue.append(local)
    for static in sorted(statics):
        r = browser.get(static)
        check(r.status == 200 and len(r.body) > 0, f"static file {static}: HTTP {r.status}")
    return len(seen), statics


def sign_in(browser: Browser, user: str, password: str) -> None:
    browser.get("/account/sign-in/")
    r = browser.post_form("/account/sign-in/", {"username": user, "password": password})
    check(r.status == 302, f"sign-in: HTTP {r.status} {r.text[:300]}")


# Sample values for the API's required query parameters (a new required parameter without one fails the check).
REQUIRED = {"/api/v1/data": {"indicator": "population"}, "/api/v1/search": {"q": "Coventry"}}


def api(browser: Browser, token: str) -> int:
    auth = {"Authorization": f"Bearer {token}"}
    schema = json.loads(browser.get("/api/v1/openapi.json").body)
    calls = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        if "{" not in path:
            parameters = operations["get"].get("parameters", [])
            needed = {p["name"] for p in parameters if p.get("required") and p.get("in") == "query"}
            check(needed <= REQUIRED.get(path, {}).keys(), f"API {path}: no sample value for {sorted(needed)}")
            query = "&".join(f"{k}={v}" for k, v in REQUIRED.get(path, {}).items())
            r = browser.get(path + (f"?{query}" if query else ""), **auth)
            check(r.status == 200, f"API {path}: HTTP {r.status} {r.text[:300]}")
            calls += 1
            if "format" in {p["name"] for p in parameters}:
                r = browser.get(path + "?" + "&".join(filter(None, [query, "format=csv"])), **auth)
                check(
                    r.status == 200 and r.headers["content-type"].startswith("text/csv"), f"API {path} CSV: {r.status}"
                )
                calls += 1
    samples = {"/api/v1/places/{slug}": "/api/v1/places/coventry",
               "/api/v1/work-areas/{slug}": "/api/v1/work-areas/skills",
               "/api/v1/indicators/{slug}": "/api/v1/indicators/population",
               "/api/v1/groups/{slug}/aggregate": "/api/v1/groups/key-cities/aggregate?indicator=population",
               "/api/v1/download/{table}.csv": "/api/v1/download/areas.csv"}  # fmt: skip
    for template, path in samples.items():
        check(template in schema["paths"], f"the API no longer has {template}")
        r = browser.get(path, **auth)
        check(r.status == 200, f"API {path}: HTTP {r.status} {r.text[:300]}")
        calls += 1
    claims = json.loads(browser.get("/api/v1/claims/", **auth).body)["results"]
    check(bool(claims), "API: no claims")
    check(browser.get(f"/api/v1/claims/{claims[0]['id']}", **auth).status == 200, "API: one claim")
    proposals = browser.get("/api/v1/proposals/", **auth)
    check(proposals.status == 200, f"API proposals with a token: HTTP {proposals.status}")
    return calls + 2


def submit(base: str, host: str, mail_dir: Path) -> str:
    partner = Browser(base, host)
    r = partner.get("/work-with-us/")
    check(r.status == 200 and "csrftoken" in partner.cookies, f"the form: HTTP {r.status}")
    fields = {"name": "Asha Patel", "email": "asha@example.org", "organisation": "Northern Skills Trust",
              "organisation_type": "charity", "work_areas": "skills", "title": "Digital skills bootcamps",
              "summary": "Free twelve-week bootcamps for adults.", "details": "With the colleges.", "consent": "on",
              "website": ""}  # fmt: skip
    r = partner.post_form("/work-with-us/", fields, {"attachments": ("plan.pdf", PDF, "application/pdf")})
    check(r.status == 302 and r.headers.get("location", "").endswith("/work-with-us/check/"),
          f"the form: HTTP {r.status} {r.text[:500]}")  # fmt: skip
    r = partner.post_form("/work-with-us/check/", {})
    check(r.status == 302, f"check your answers: HTTP {r.status} {r.text[:500]}")
    page = partner.get("/work-with-us/confirmation/").text
    found = re.search(r"KC-\d{4}-\d{5}", page)
    check(found is not None, "no reference on the confirmation page")
    reference = found.group(0)  # type: ignore[union-attr]
    for _ in range(120):  # the task worker delivers the confirmation
        if mail_dir.is_dir() and any(reference in f.read_text("utf-8", "replace") for f in mail_dir.iterdir()):
            return reference
        time.sleep(1)
    raise Failed(f"no email for {reference} in {mail_dir} after 2 minutes: is the task worker running?")


def attachments(browser: Browser) -> int:
    queue = browser.get("/proposals/").text
    downloaded = 0
    for reference in sorted(set(re.findall(r"/proposals/(KC-\d{4}-\d{5})/", queue))):
        page = browser.get(f"/proposals/{reference}/").text
        for link in sorted(set(re.findall(rf"/proposals/{reference}/attachments/\d+/", page))):
            r = browser.get(link)
            check(r.status == 200 and r.body.startswith(b"%PDF"), f"{link}: HTTP {r.status}")
            downloaded += 1
    check(downloaded > 0, "no attachment to download")
    return downloaded


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("base")
    p.add_argument("--host", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--token", default="")
    p.add_argument("--mail-dir", type=Path)
    p.add_argument("--attachments-only", action="store_true")
    p.add_argument("--limit", type=int, default=400)
    args = p.parse_args()
    try:
        staff = Browser(args.base, args.host)
        if args.attachments_only:
            sign_in(staff, args.user, args.password)
            print(f"smoke: {attachments(staff)} attachment(s) download after the restore")
            return 0
        pages, statics = crawl(Browser(args.base, args.host), ["/"], args.limit)
        print(f"smoke: {pages} pages answered anonymously without a server error; {len(statics)} static files")
        print(f"smoke: {api(Browser(args.base, args.host), args.token)} API calls answered 200")
        reference = submit(args.base, args.host, args.mail_dir)
        print(f"smoke: proposal {reference} submitted and its confirmation delivered by the task worker")
        sign_in(staff, args.user, args.password)
        pages, _ = crawl(staff, ["/", "/proposals/", "/claims/dashboard/", "/admin/", "/account/"], args.limit)
        print(f"smoke: {pages} pages answered the secretariat without a server error")
        print(f"smoke: {attachments(staff)} attachment(s) download")
    except Failed as exc:
        print(f"smoke test failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
