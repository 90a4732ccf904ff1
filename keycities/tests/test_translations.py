"""Welsh as well as English (docs/adr/0010-welsh.md): every string marked, every catalogue complete,
Welsh pages at /cy/, the language switcher, and the API in the language asked for."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from keycities.tests.i18n import templates, unmarked_in

ROOT = Path(settings.BASE_DIR)
PACKAGE = ROOT / "keycities"
CATALOGUES = sorted(PACKAGE.glob("**/locale/cy/LC_MESSAGES/django.po"))

# Templates written before the Hub was bilingual, still to be translated (issue 14). This list only
# shrinks: a template on it that has become fully marked fails the test until it is taken off.
LEGACY_TEMPLATES = set((Path(__file__).parent / "legacy_templates.txt").read_text(encoding="utf-8").split())


@pytest.mark.parametrize("path", templates(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_template_string_is_marked_for_translation(path: Path) -> None:
    name = str(path.relative_to(ROOT))
    if name in LEGACY_TEMPLATES:
        pytest.xfail("written before the Hub was bilingual; to be translated")
    assert [str(u) for u in unmarked_in(path)] == []


def test_the_legacy_list_only_names_templates_still_to_translate() -> None:
    done = sorted(n for n in LEGACY_TEMPLATES if not (ROOT / n).exists() or not unmarked_in(ROOT / n))
    assert done == [], "take these off keycities/tests/legacy_templates.txt"


def test_there_are_catalogues() -> None:
    assert PACKAGE / "locale/cy/LC_MESSAGES/django.po" in CATALOGUES
    assert PACKAGE / "core/locale/cy/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_message_has_a_welsh_translation(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    assert not po.metadata_is_fuzzy
    assert po.metadata.get("Language") == "cy"
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_a_message_in_two_catalogues_has_one_translation() -> None:
    """Django merges every catalogue of a language into one, so a message translated two ways in two apps
    shows one of them everywhere, whichever wins. A message whose meaning differs by place takes a context."""
    found: dict[tuple[str | None, str, str], dict[str, object]] = {}
    for po_path in CATALOGUES:
        for e in polib.pofile(str(po_path)).translated_entries():
            value = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
            found.setdefault((e.msgctxt, e.msgid, e.msgid_plural), {})[str(po_path.relative_to(PACKAGE))] = value
    differing = {key[1]: where for key, where in found.items() if len(set(where.values())) > 1}
    assert differing == {}


def test_catalogues_hold_every_marked_string(tmp_path: Path) -> None:
    """Run makemessages on a copy of the code: the msgids it finds must be those committed."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is missing: `make setup` installs it (apt-get install gettext)")
    copy = tmp_path / "keycities"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "build", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "keycities.settings_test"}
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "cy", "--no-obsolete",
                    "--add-location", "file", "-i", "tests/*", "-i", "static/*"],
                   cwd=copy, env=env, check=True, capture_output=True)  # fmt: skip
    found = {p.relative_to(copy): {e.msgid for e in polib.pofile(str(p))}
             for p in copy.glob("**/locale/cy/LC_MESSAGES/django.po")}  # fmt: skip
    committed = {p.relative_to(PACKAGE): {e.msgid for e in polib.pofile(str(p))} for p in CATALOGUES}
    new = {str(k): sorted(v - committed.get(k, set())) for k, v in found.items() if v - committed.get(k, set())}
    gone = {str(k): sorted(v - found.get(k, set())) for k, v in committed.items() if v - found.get(k, set())}
    assert new == {}, "run `make messages` and translate the new strings"
    assert gone == {}, "run `make messages` to drop strings no longer used"


# --------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_welsh_pages_are_at_cy_with_lang_alternates_and_switcher(client: Client) -> None:
    response = client.get("/cy/members/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="cy"' in html
    assert '<link rel="alternate" hreflang="en-GB" href="/members/">' in html
    assert '<link rel="alternate" hreflang="cy" href="/cy/members/">' in html
    assert "Neidio i’r prif gynnwys" in html  # skip link
    assert '<span aria-current="true">Cymraeg</span>' in html
    assert 'href="/language/en-gb/?next=/cy/members/"' in html
    assert ">Aelodau<" in html  # the menu

    english = client.get("/members/").content.decode()
    assert '<html lang="en-GB"' in english and "Skip to main content" in english
    assert 'href="/language/cy/?next=/members/"' in english


@pytest.mark.django_db
def test_a_browser_that_prefers_welsh_is_sent_to_the_welsh_page_until_it_chooses(client: Client) -> None:
    response = client.get("/members/?x=1", HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/cy/members/?x=1"
    assert "Accept-Language" in response["Vary"]

    chosen = client.get("/language/en-gb/?next=/cy/members/%3Fx%3D1", HTTP_ACCEPT_LANGUAGE="cy")
    assert chosen.status_code == 302 and chosen["Location"] == "/members/?x=1"
    assert chosen.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    # The choice now wins over the browser's preference.
    assert client.get("/members/", HTTP_ACCEPT_LANGUAGE="cy").status_code == 200


@pytest.mark.django_db
def test_the_switcher_refuses_other_sites_and_unknown_languages(client: Client) -> None:
    assert client.get("/language/cy/?next=https://evil.example/").headers["Location"] == "/cy/"
    assert client.get("/language/fr/?next=/").status_code == 404


@pytest.mark.django_db
def test_error_pages_speak_welsh(client: Client) -> None:
    response = client.get("/cy/no-such-page/")
    assert response.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_the_language_asked_for(client: Client) -> None:
    welsh = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="cy")
    assert welsh.status_code == 404
    assert welsh.json()["error"]["message"] == "Nid oes dim yn y cyfeiriad hwn yn yr API."
    english = client.get("/api/v1/no-such-thing")
    assert english.json()["error"]["message"] == "There is nothing at this address in the API."


def test_bilingual_content_falls_back_to_english_marked_as_english() -> None:
    from types import SimpleNamespace

    from django.utils import translation

    from keycities.core.bilingual import localised

    swansea = SimpleNamespace(name="Swansea", name_cy="Abertawe", summary="A city by the sea.", summary_cy="")
    with translation.override("cy"):
        name, summary = localised(swansea, "name"), localised(swansea, "summary")
        assert (str(name), name.lang, name.fallback) == ("Abertawe", "cy", False)
        assert (str(summary), summary.lang, summary.fallback) == ("A city by the sea.", "en-GB", True)
        assert summary.__html__() == '<span lang="en-GB" class="kc-fallback">A city by the sea.</span>'
    with translation.override("en-gb"):
        name = localised(swansea, "name")
        assert (str(name), name.lang, name.fallback) == ("Swansea", "en-GB", False)
        assert name.__html__() == "Swansea"


@pytest.mark.django_db
def test_signing_in_and_resetting_a_password_work_in_welsh(client: Client) -> None:
    html = client.get("/cy/account/sign-in/").content.decode()
    assert '<h1 class="govuk-heading-xl">Mewngofnodi</h1>' in html and "Wedi anghofio eich cyfrinair?" in html
    assert 'href="/cy/account/password-reset/"' in html
    sent = client.post("/cy/account/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Gwiriwch eich e-bost" in sent.content.decode()
