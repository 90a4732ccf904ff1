"""Peak memory of one public upload: a 1 MiB "zip bomb" named .odt against a real 1 MiB document.

`python -m benchmarks.upload_memory` migrates a throwaway SQLite database, then, in a fresh process for each
file, posts the proposal form with the file attached through Django's test client and reports the growth of
the process's peak resident memory (ru_maxrss) during that one request. The baseline is a valid ODT of the
same compressed size, measured in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .common import ROOT

ODT = b"application/vnd.oasis.opendocument.text"


def bomb(path: Path, expanded: int = 1 << 30) -> Path:
    """An ODT-shaped zip whose `mimetype` member inflates from about 1 MiB to `expanded` bytes of zeros."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z, z.open("mimetype", "w") as m:
        for _ in range(expanded // len(chunk)):
            m.write(chunk)
    return path


def document(path: Path, size: int) -> Path:
    """A valid ODT of about `size` bytes: its mimetype and incompressible content."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", ODT)
        z.writestr("content.xml", os.urandom(size), compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", b"<manifest/>")
    return path


CHILD = r"""
import json, resource, sys
import django
django.setup()
from django.test import Client
from django.core.files.uploadedfile import SimpleUploadedFile
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
response = Client().post("/work-with-us/", {"name": "A", "email": "a@example.org", "organisation_type": "other",
    "not_sure": "on", "title": "T", "summary": "S", "details": "D", "consent": "on",
    "attachments": [SimpleUploadedFile("proposal.odt", data, "application/vnd.oasis.opendocument.text")]})
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": response.status_code, "growth_kib": after - before,
                  "refused": b"must be a PDF, DOCX or ODT document" in response.content}))
"""


def measure(env: dict[str, str], path: Path) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="keycities-upload-memory-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "keycities.settings_test",
           "DATABASE_URL": f"sqlite:///{work / 'hub.sqlite3'}", "MEDIA_ROOT": str(work / "media"),
           "ALLOWED_HOSTS": "testserver"}  # fmt: skip
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_network"], env=env, cwd=ROOT, check=True, capture_output=True)
    bombed = bomb(work / "bomb.odt")
    real = document(work / "real.odt", bombed.stat().st_size)
    base, attack = measure(env, real), measure(env, bombed)
    print(f"zip bomb: {bombed.stat().st_size / 2**20:.2f} MiB file, 1,024 MiB inflated; real ODT "
          f"{real.stat().st_size / 2**20:.2f} MiB")  # fmt: skip
    print(f"real ODT upload: peak memory +{base['growth_kib'] / 1024:.1f} MiB (HTTP {base['status']})")
    print(f"zip bomb upload: peak memory +{attack['growth_kib'] / 1024:.1f} MiB (HTTP {attack['status']}, "
          f"{'refused' if attack['refused'] else 'NOT refused'}); "
          f"ratio to the real upload {attack['growth_kib'] / max(base['growth_kib'], 1):.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
