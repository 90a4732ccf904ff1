"""New releases without code (issue 9, item 9): the catalogue is data, `import_statistics --source --file
--released` imports a new vintage, the secretariat uploads one from a page (checked, previewed, published or
discarded, audited), and the claims are re-checked once per import run.

The files are the real test extracts (tests/data/README.md) and the bundled ONS files. Where a revision is
needed, one cell of the real pay extract is changed, as a publisher revises a figure, and the test says so."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from keycities.accounts.models import User
from keycities.core.errors import DataFileError
from keycities.observatory import catalogue, services, uploads
from keycities.observatory.models import Observation, Release, ReleaseUpload
from keycities.observatory.signals import release_imported
from keycities.observatory.tests.conftest import DATA

pytestmark = pytest.mark.django_db

PAY = DATA / "pay-extract.csv"
BUNDLED_PAY = services.DATA_DIR / "ons/els-data/gross-median-weekly-pay.csv"
DARLINGTON_2025 = "E06000005,Darlington,County or Unitary Authority,Gross median weekly pay,2025-04-30,630.4,"


def revised_pay(tmp_path: Path, name: str = "gross-median-weekly-pay.csv") -> Path:
    """The pay extract with Darlington's April 2025 median revised from £630.40 to £631.00 (one cell changed)."""
    text = PAY.read_text(encoding="utf-8")
    assert text.count(DARLINGTON_2025) == 1
    path = tmp_path / name
    path.write_text(text.replace(DARLINGTON_2025, DARLINGTON_2025.replace(",630.4,", ",631.0,")), encoding="utf-8")
    return path


@pytest.fixture
def announcements() -> Any:
    heard: list[list[Release]] = []

    def listen(sender: object, releases: list[Release], **kwargs: Any) -> None:
        heard.append(releases)

    release_imported.connect(listen, dispatch_uid="test-releases")
    yield heard
    release_imported.disconnect(dispatch_uid="test-releases")


# --------------------------------------------------------------------------- the catalogue is data


def test_the_catalogue_is_read_from_data_files() -> None:
    pay = catalogue.source("els-pay")
    assert (pay.dataset, pay.path, pay.release_date, pay.format) == (
        "ons-ashe-pay", "ons/els-data/gross-median-weekly-pay.csv", "2025-10-23", "ons-csv")  # fmt: skip
    assert pay.indicators == {"Gross median weekly pay": "median-weekly-pay"}
    assert catalogue.DATASETS["ons-ashe-pay"]["publisher"] == "Office for National Statistics"
    gdp = catalogue.source("ons-gdp-la")
    assert gdp.options["code_prefixes"] == ("E06", "E07", "E08", "E09", "W06", "S12", "N09")  # a tuple, as readers need
    assert len(catalogue.SOURCES) == 16 and len(catalogue.INDICATORS) == 111  # with population aged 16 to 64
    assert catalogue.source("mhclg-iod-2019") is catalogue.source("mhclg-iod-2019")
    # A dataset with one source names it too; one with two (goods and services trade) does not.
    assert catalogue.source("ons-ashe-pay") is pay
    with pytest.raises(KeyError):
        catalogue.source("ons-trade-subnational-2022")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = catalogue.SOURCES_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "sources.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("format: ons-csv", "format: ons-xls", r"source els-gva: format 'ons-xls' is not one of ons-csv, "),
    ("dataset: ons-claimant-count", "dataset: ons-claimants", r"dataset 'ons-claimants' is not in datasets"),
    ("Claimant Count: claimant-rate", "Claimant Count: claimant-percentage", r"claimant-percentage not in "),
    ("released: '2026-01-20'", "released: '2026-13-20'",
     r"month value is outside expected range of 1-12 \(at sources.3.released\)"),
    ("  file: ons/els-data/claimant-count.csv", "  file: ons/els-data/claimant-count.csv\n  licence: OGL",
     r"Extra inputs are not permitted"),
])  # fmt: skip
def test_a_mistake_in_the_catalogue_is_refused_with_where_to_fix_it(tmp_path: Path, old: str, new: str,
                                                                     message: str) -> None:  # fmt: skip
    with pytest.raises(DataFileError, match=r"^sources.yaml: .*" + message):
        catalogue.load(sources_file=broken(tmp_path, old, new))


# --------------------------------------------------------------------------- one announcement per run


def test_claims_are_rechecked_once_per_import_run_not_once_per_release(
    tmp_path: Path, announcements: list[list[Release]], django_capture_on_commit_callbacks: Any
) -> None:
    employment = tmp_path / "employment-rate.csv"
    shutil.copy(DATA / "employment-extract.csv", employment)
    with django_capture_on_commit_callbacks(execute=True), services.import_run():
        pay = services.import_source(catalogue.source("els-pay"), path=revised_pay(tmp_path),
                                     release_date=dt.date(2025, 11, 1))  # fmt: skip
        # The employment extract is already imported (same checksum): skipped, not a new release.
        same = services.import_source(catalogue.source("els-employment"), path=employment)
        assert announcements == []  # nothing is announced before the run ends
    assert pay.created and not same.created
    assert [[r.pk for r in found] for found in announcements] == [[pay.release.pk]]  # type: ignore[union-attr]
    assert Release.objects.get(pk=pay.release.pk).announced_at is not None  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the command


def test_import_statistics_imports_a_new_vintage_of_a_known_source(
    tmp_path: Path, announcements: list[list[Release]], django_capture_on_commit_callbacks: Any
) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_statistics", "--source", "els-pay", "--file", str(revised_pay(tmp_path)),
                     "--released", "2025-11-01", stdout=out)  # fmt: skip
    assert "els-pay: 106 observations imported as a new release" in out.getvalue()
    new = Release.objects.get(dataset__slug="ons-ashe-pay", release_date=dt.date(2025, 11, 1))
    assert (new.file_name, new.rows) == ("gross-median-weekly-pay.csv", 106)
    values = Observation.objects.filter(indicator__slug="median-weekly-pay", area__code="E06000005", period=2025)
    assert sorted((o.release.release_date.isoformat(), o.value) for o in values) == [
        ("2025-10-23", 630.4), ("2025-11-01", 631.0)]  # the old vintage is kept beside the new  # fmt: skip
    assert len(announcements) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--source", "els-pay", "--file", "x.csv"], r"Give --released YYYY-MM-DD"),
    (["--source", "els-pay", "--released", "2025-11-01"], r"--released goes with --file"),
    (["--file", "x.csv", "--released", "2025-11-01"], r"name its source once with --source KEY"),
    (["--source", "els-wages", "--file", "x.csv", "--released", "2025-11-01"],
     r"There is no source 'els-wages' in data/catalogue/sources.yaml. Sources: els-population, "),
    (["--source", "els-pay", "--file", "x.csv", "--released", "1 Nov 2025"], r"'1 Nov 2025' is not a date"),
    (["--source", "els-pay", "--file", "x.csv", "--released", "2999-01-01"], r"2999-01-01 is in the future"),
    (["--source", "els-pay", "--file", "x.csv", "--released", "2025-11-01"],
     r"^Import refused, nothing was changed: x.csv: does not exist$"),
])  # fmt: skip
def test_import_statistics_says_what_is_wrong(args: list[str], message: str) -> None:
    before = Release.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_statistics", *args, stdout=io.StringIO())
    assert Release.objects.count() == before


def test_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "pay.csv"
    bad.write_text(PAY.read_text(encoding="utf-8").replace(",630.4,", ",six hundred,"), encoding="utf-8")
    before = (Release.objects.count(), Observation.objects.count())
    with pytest.raises(CommandError, match=r"pay.csv, row 10, column 'observation': 'six hundred' is not a number"):
        call_command("import_statistics", "--source", "els-pay", "--file", str(bad), "--released", "2025-11-01",
                     stdout=io.StringIO())  # fmt: skip
    assert (Release.objects.count(), Observation.objects.count()) == before


# --------------------------------------------------------------------------- the preview


def test_the_preview_of_the_whole_file_against_the_extract_lists_what_it_adds() -> None:
    """The bundled pay file is the vintage the extract was cut from: no value changes, and the areas and
    years it adds are exactly those the extract left out."""
    source = catalogue.source("els-pay")
    diff = uploads.revision_diff(source, services.read_source(source, BUNDLED_PAY))
    with BUNDLED_PAY.open(encoding="utf-8-sig", newline="") as f:
        full = list(csv.DictReader(f))
    with PAY.open(encoding="utf-8", newline="") as f:
        extract = list(csv.DictReader(f))
    areas = lambda rows: {r["areacd"] for r in rows}  # noqa: E731
    years = lambda rows: {int(r["period"][:4]) for r in rows}  # noqa: E731
    assert diff["previous"]["release_date"] == "2025-10-23"
    assert diff["changed_count"] == 0 and diff["removed_count"] == 0
    assert diff["unchanged"] == len(extract) == 106
    assert diff["rows"] == len(full) and diff["added_count"] == len(full) - len(extract)
    assert [a["code"] for a in diff["areas_added"]] == sorted(areas(full) - areas(extract))
    assert diff["areas_removed"] == []
    assert diff["periods_added"] == sorted(years(full) - years(extract))
    assert diff["periods"][-2:] == [2024, 2025] and diff["periods_removed"] == []


def upload_as(client: Client, path: Path, *, source: str = "els-pay", released: str = "2025-11-01") -> Any:
    with path.open("rb") as f:
        return client.post("/evidence/releases/", {"source": source, "release_date": released, "file": f})


def test_the_secretariat_uploads_previews_and_publishes_a_release(
    client_for: Any, secretariat: User, tmp_path: Path, announcements: list[list[Release]],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = client_for("secretariat")
    with django_capture_on_commit_callbacks(execute=True):  # the check runs as a task once the upload commits
        response = upload_as(client, revised_pay(tmp_path))
    upload = ReleaseUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/releases/{upload.pk}/"
    assert (upload.state, upload.uploaded_by, upload.file_name) == ("ready", secretariat, "gross-median-weekly-pay.csv")
    assert default_storage.exists(upload.stored) and upload.stored.startswith("tmp/")
    assert Release.objects.filter(release_date=dt.date(2025, 11, 1)).count() == 0  # nothing published yet

    diff = upload.diff
    assert (diff["rows"], diff["changed_count"], diff["unchanged"], diff["added_count"], diff["removed_count"]) == (
        106, 1, 105, 0, 0)  # fmt: skip
    assert diff["changed"] == [{
        "indicator": "median-weekly-pay", "code": "E06000005", "name": "Darlington", "period": 2025, "old": 630.4,
        "new": 631.0, "old_status": "", "new_status": "", "change": pytest.approx(0.6),
        "relative": pytest.approx(100 * 0.6 / 630.4), "relative_text": "+0.1%"}]  # fmt: skip
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Darlington (E06000005)" in page and "630.4" in page and "631" in page and "+0.1%" in page
    assert "Compared with the release of 2025-10-23 (pay-extract.csv)" in page
    assert "Publish this release" in page

    with django_capture_on_commit_callbacks(execute=True):  # publishing runs as a task too
        response = client.post(upload.get_absolute_url(), {"action": "publish", "seen": "ready"})
    assert response.status_code == 302
    upload.refresh_from_db()
    assert upload.state == "published" and upload.decided_by == secretariat
    assert upload.release is not None and upload.release.release_date == dt.date(2025, 11, 1)
    assert Observation.objects.get(release=upload.release, area__code="E06000005", period=2025).value == 631.0
    assert not default_storage.exists(upload.stored)  # the file is in the database now; the upload is gone
    assert [[r.pk for r in found] for found in announcements] == [[upload.release.pk]]
    # Audited: who uploaded it, who published it.
    entries = LogEntry.objects.get_for_object(upload).order_by("pk")
    assert [(e.action, e.actor) for e in entries][:2] == [(LogEntry.Action.CREATE, secretariat),
                                                          (LogEntry.Action.UPDATE, secretariat)]  # fmt: skip
    assert entries[1].changes_dict["state"] == ["ready", "publishing"]
    # Publishing again is refused: the page was for an upload that is no longer ready.
    response = client.post(upload.get_absolute_url(), {"action": "publish", "seen": "ready"}, follow=True)
    assert "it is now “Published”" in response.content.decode()
    assert Release.objects.filter(release_date=dt.date(2025, 11, 1)).count() == 1


def test_a_refused_upload_says_where_and_publishes_nothing(
    client_for: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    bad = tmp_path / "pay.csv"
    bad.write_text(PAY.read_text(encoding="utf-8").replace("E06000005,Darlington", "E06000999,Darlington"),
                   encoding="utf-8")  # fmt: skip
    client = client_for("secretariat")
    before = Release.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        upload_as(client, bad)
    upload = ReleaseUpload.objects.get()
    assert upload.state == "refused"
    assert upload.error == "pay.csv, row 10, column 'area code': unknown area code 'E06000999'"
    assert not default_storage.exists(upload.stored)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "The file was refused; nothing was changed" in page and "unknown area code" in page
    assert "Publish this release" not in page
    assert Release.objects.count() == before


def test_the_same_file_twice_is_refused_as_nothing_new(client_for: Any,
                                                      django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        upload_as(client_for("secretariat"), PAY)
    upload = ReleaseUpload.objects.get()
    assert upload.state == "refused"
    assert upload.error == ("pay-extract.csv is the file already published as the release of 23 October 2025: "
                            "there is nothing new to publish.")  # fmt: skip


def test_a_discarded_upload_is_deleted_and_publishes_nothing(
    client_for: Any, secretariat: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        upload_as(client, revised_pay(tmp_path))
    upload = ReleaseUpload.objects.get()
    response = client.post(upload.get_absolute_url(), {"action": "discard", "seen": "ready"}, follow=True)
    assert "Discarded gross-median-weekly-pay.csv: nothing was published." in response.content.decode()
    upload.refresh_from_db()
    assert (upload.state, upload.decided_by) == ("discarded", secretariat)
    assert not default_storage.exists(upload.stored)
    assert not Release.objects.filter(release_date=dt.date(2025, 11, 1)).exists()


@pytest.mark.parametrize(("data", "error"), [
    ({"source": "", "release_date": "2025-11-01"}, "Choose the source"),
    ({"source": "els-pay", "release_date": "yesterday"}, "Enter the release date as a date, like 2026-03-26"),
    ({"source": "els-pay", "release_date": "2999-01-01"}, "The release date must be today or in the past"),
])  # fmt: skip
def test_the_upload_form_says_what_is_missing(client_for: Any, data: dict[str, str], error: str) -> None:
    with PAY.open("rb") as f:
        response = client_for("secretariat").post("/evidence/releases/", {**data, "file": f})
    assert response.status_code == 200 and error in response.content.decode()
    assert not ReleaseUpload.objects.exists()


def test_a_file_no_reader_foresaw_is_refused_not_left_checking(
    client_for: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def broken_reader(source: Any, path: Path) -> Any:
        raise KeyError("Table 1")

    monkeypatch.setattr(services, "read_source", broken_reader)
    with django_capture_on_commit_callbacks(execute=True):
        upload_as(client_for("secretariat"), revised_pay(tmp_path))
    upload = ReleaseUpload.objects.get()
    assert upload.state == "refused"
    assert upload.error == "gross-median-weekly-pay.csv could not be read as ons-csv: KeyError: 'Table 1'"
