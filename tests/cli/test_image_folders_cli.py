"""`dataplane image-folders ...` run as a user would (a real subprocess, jobs in worker processes)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

from tests.archive_builders import image_bytes, make_zip


def dataplane(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataplane_jupyter.cli", *args], capture_output=True, text=True, check=check, timeout=120
    )


def test_import_list_show_rename_download_delete(isolated_home, tmp_path):
    archive = make_zip(tmp_path / "pets.zip", {"cats/1.jpg": image_bytes("JPEG"), "dogs/1.png": image_bytes()})
    made = json.loads(dataplane("--json", "image-folders", "import", str(archive), "--wait").stdout)
    assert (made["name"], made["status"], made["n_images"]) == ("pets", "ready", 2)
    assert [f["name"] for f in json.loads(dataplane("--json", "image-folders", "list").stdout)] == ["pets"]
    shown = json.loads(dataplane("--json", "image-folders", "show", "pets").stdout)
    assert shown["categories"] == {"cats": 1, "dogs": 1}
    dataplane("image-folders", "rename", "pets", "animals")
    dataplane("image-folders", "download", "animals", str(tmp_path / "back.zip"))
    assert sorted(zipfile.ZipFile(tmp_path / "back.zip").namelist()) == ["cats/1.jpg", "dogs/1.png"]
    dataplane("image-folders", "delete", "animals")
    assert json.loads(dataplane("--json", "image-folders", "list").stdout) == []


def test_a_refused_zip_exits_non_zero_with_the_reason(isolated_home, tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {"../x.png": image_bytes()})
    result = dataplane("image-folders", "import", str(archive), "--wait", check=False)
    assert result.returncode == 1
    assert "outside the archive folder" in result.stderr
