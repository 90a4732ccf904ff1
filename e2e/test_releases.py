"""A new release published by the secretariat in a real browser: upload the file, read the preview of its
revisions, publish it; each page checked with axe."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from e2e.conftest import assert_accessible, sign_in
from e2e.test_evidence import load_extracts
from keycities.accounts.models import User
from keycities.observatory.models import Observation, ReleaseUpload
from keycities.observatory.tests.test_releases import revised_pay


def test_the_secretariat_upload_preview_and_publish_a_release(site: str, browser: Browser, secretariat: User,
                                                             tmp_path: Path) -> None:  # fmt: skip
    load_extracts()
    page = sign_in(browser, site, "sec")
    page.goto(site + "/evidence/releases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New releases")
    assert_accessible(page)

    page.get_by_label("Which source is this a new release of?").select_option("els-pay")
    page.get_by_label("Release date").fill("2025-11-01")
    page.get_by_label("The file, as the publisher released it").set_input_files(revised_pay(tmp_path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#state")).to_contain_text("Checked: ready to publish")
    expect(page.locator("#revisions")).to_contain_text("Darlington (E06000005)")
    expect(page.locator("#revisions")).to_contain_text("+0.1%")
    assert_accessible(page)

    page.get_by_role("button", name="Publish this release").click()
    expect(page.locator("#state")).to_contain_text("Published")
    assert_accessible(page)
    upload = ReleaseUpload.objects.get()
    assert upload.release is not None
    assert Observation.objects.get(release=upload.release, area__code="E06000005", period=2025).value == 631.0
