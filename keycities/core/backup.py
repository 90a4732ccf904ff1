"""Backup and restore of the database and the uploaded files together.

A backup is one tar archive: `manifest.json`, the database (`database.pgdump` from `pg_dump --format=custom`
on PostgreSQL, `database.sqlite3` from SQLite's online backup) and `files/<name>` for every file a
`FileField` refers to, read through Django's storage API (so the same commands work with S3-compatible
storage), each with its SHA-256 in the manifest. The database is dumped first, then the files it refers
to are copied: uploads are written once under new names, so the files of every row in the dump are there,
except one erased in between, which `restore` and `check_files` report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections, models

FORMAT = 1


class BackupError(Exception):
    pass


@dataclass
class Missing:
    model: str
    pk: Any
    name: str


def stored_files() -> Iterator[tuple[str, Any, str]]:
    """(model label, primary key, file name) for every file a FileField refers to."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.name: ""}).values_list("pk", field.name)
                for pk, name in rows.iterator():
                    yield model._meta.label, pk, name


def missing_files() -> list[Missing]:
    return [Missing(label, pk, name) for label, pk, name in stored_files() if not default_storage.exists(name)]


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGHOST": str(db.get("HOST") or ""),
           "PGPORT": str(db.get("PORT") or ""), "PGUSER": str(db.get("USER") or "")}  # fmt: skip
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return {k: v for k, v in env.items() if v != ""}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 (our own arguments)
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{Path(command[0]).name} failed: {exc.stderr.strip()}") from exc


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {vendor}")
    return vendor


def _sha256(f: Any) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def backup(output: Path) -> dict[str, Any]:
    """Write the archive to `output`; returns its manifest."""
    engine = _engine()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="keycities-backup-") as work:
        dump = Path(work) / ("database.pgdump" if engine == "postgresql" else "database.sqlite3")
        if engine == "postgresql":
            command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"]
            _run(command, _pg_env())
        else:
            source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            target = sqlite3.connect(str(dump))
            with target:
                source.backup(target)
            source.close()
            target.close()
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        manifest: dict[str, Any] = {"format": FORMAT, "created_at": created, "database": engine, "files": [],
                                    "missing": []}  # fmt: skip
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname=dump.name)
            seen: set[str] = set()
            for label, pk, name in stored_files():
                if name in seen:
                    continue
                seen.add(name)
                if not default_storage.exists(name):
                    manifest["missing"].append({"model": label, "pk": pk, "name": name})
                    continue
                with default_storage.open(name, "rb") as f:
                    digest = _sha256(f)
                    f.seek(0)
                    info = tarfile.TarInfo(f"files/{name}")
                    info.size = default_storage.size(name)
                    tar.addfile(info, f)
                manifest["files"].append({"name": name, "size": info.size, "sha256": digest})
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        partial.replace(output)  # a backup that stopped half-way never looks complete
    return manifest


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and the files with those in the archive; returns its manifest. Files whose
    checksum does not match refuse the restore before anything is changed."""
    engine = _engine()
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory(prefix="keycities-restore-") as work:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        except KeyError as exc:
            raise BackupError(f"{archive} is not a Key Cities Hub backup (no manifest.json)") from exc
        if manifest.get("format") != FORMAT or manifest.get("database") != engine:
            raise BackupError(f"{archive} holds a {manifest.get('database')} database; this Hub runs on {engine}")
        tar.extractall(work, filter="data")
        root = Path(work)
        for f in manifest["files"]:
            with (root / "files" / f["name"]).open("rb") as stored:
                if _sha256(stored) != f["sha256"]:
                    raise BackupError(f"{f['name']} in {archive} does not match its checksum; nothing was restored")
        connections.close_all()
        if engine == "postgresql":
            command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                       "--single-transaction", "--exit-on-error", f"--dbname={_pg_env()['PGDATABASE']}",
                       str(root / "database.pgdump")]  # fmt: skip
            env = {**_pg_env(), "PGOPTIONS": "--client-min-messages=warning"}
            _run(command, env)
        else:
            source = sqlite3.connect(str(root / "database.sqlite3"))
            target = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
            with target:
                source.backup(target)
            source.close()
            target.close()
        for f in manifest["files"]:
            if default_storage.exists(f["name"]):
                with default_storage.open(f["name"], "rb") as current:
                    if _sha256(current) == f["sha256"]:
                        continue
                default_storage.delete(f["name"])
            with (root / "files" / f["name"]).open("rb") as stored:
                saved = default_storage.save(f["name"], File(stored))
            if saved != f["name"]:
                raise BackupError(f"the storage saved {f['name']} as {saved}")
    return manifest


def default_output() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"keycities-{stamp}.tar"
