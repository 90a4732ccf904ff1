"""Backup and restore, database and files together, on a throwaway database of the suite's own engine
(SQLite, or PostgreSQL with pg_dump and pg_restore), through the commands the README documents."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Runs inside the throwaway Hub: a proposal with an attachment, or a check that it downloads intact.
SCRIPT = r"""
import sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from keycities.accounts.models import Role, User
from keycities.proposals.models import Proposal
PDF = b"%PDF-1.4\n% the plan\n%%EOF\n"
if sys.argv[1] == "create":
    User.objects.create_user("sec", "sec@keycities.test", "correct horse battery", role=Role.SECRETARIAT)
    c = Client()
    c.post("/work-with-us/", {"name": "Asha Patel", "email": "asha@example.org", "organisation_type": "charity",
        "work_areas": ["skills"], "title": "Bootcamps", "summary": "Free bootcamps.", "details": "With colleges.",
        "consent": "on", "attachments": [SimpleUploadedFile("plan.pdf", PDF, "application/pdf")]})
    assert c.post("/work-with-us/check/").status_code == 302
else:
    c = Client()
    c.force_login(User.objects.get(username="sec"))
    p = Proposal.objects.get()
    r = c.get(f"/proposals/{p.reference}/attachments/{p.attachments.get().pk}/")
    print(r.status_code, b"".join(r.streaming_content) == PDF if r.status_code == 200 else "")
"""


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a throwaway Hub: its own database and media directory."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keycities.settings_test", "ALLOWED_HOSTS": "testserver",
           "MEDIA_ROOT": str(tmp_path / "media"), "PYTHONPATH": str(ROOT)}  # fmt: skip
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        name = f"{str(db['NAME']).removeprefix('test_')}_backup_test"
        admin = {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or None,
                 "password": db.get("PASSWORD") or None, "dbname": "postgres", "autocommit": True}  # fmt: skip
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        user = f"{db['USER']}{':' + str(db['PASSWORD']) if db.get('PASSWORD') else ''}@"
        env["DATABASE_URL"] = f"postgres://{user}{db.get('HOST') or ''}:{db.get('PORT') or 5432}/{name}"
        yield env
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
        yield env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)


def script(env: dict[str, str], what: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, what], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_backup_and_restore_bring_back_the_database_and_its_files(hub: dict[str, str], tmp_path: Path) -> None:
    assert manage(hub, "migrate", "-v0").returncode == 0
    assert manage(hub, "load_network").returncode == 0
    script(hub, "create")
    assert script(hub, "check") == "200 True"

    archive = tmp_path / "backup.tar"
    made = manage(hub, "backup", "--output", str(archive))
    assert made.returncode == 0, made.stderr
    assert "and 1 file(s)" in made.stdout and archive.is_file()

    # Disaster: the files are lost. The database alone gives a clear 404, never a server error.
    shutil.rmtree(hub["MEDIA_ROOT"])
    assert script(hub, "check") == "404"
    checked = manage(hub, "check_files")
    assert checked.returncode == 1 and "Missing: proposals/" in checked.stderr

    # Restore puts back the database and the files together.
    manage(hub, "flush", "--no-input")
    restored = manage(hub, "restore", str(archive), "--no-input")
    assert restored.returncode == 0, restored.stderr
    assert script(hub, "check") == "200 True"
    assert manage(hub, "check_files").returncode == 0

    # A damaged archive is refused before anything changes.
    data = archive.read_bytes()
    at = data.index(b"% the plan")
    archive.write_bytes(data[:at] + b"% THE PLAN" + data[at + 10 :])
    refused = manage(hub, "restore", str(archive), "--no-input")
    assert refused.returncode == 1 and "does not match its checksum; nothing was restored" in refused.stderr
    assert script(hub, "check") == "200 True"
