"""The image folders tab and panel: upload a real zip of generated images, browse its thumbnails."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from PIL import Image

from dataplane_jupyter.widgets.catalog import CatalogPanel
from dataplane_jupyter.widgets.image_folders import ImageFolderPanel


def pets_zip() -> bytes:
    """30 cats and 3 dogs (small generated PNG/JPEG images) plus a stray text file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(30):
            image, out = Image.new("RGB", (40 + i, 30), (i * 8, 100, 200)), io.BytesIO()
            image.save(out, "PNG")
            archive.writestr(f"cats/cat_{i:02d}.png", out.getvalue())
        for i in range(3):
            image, out = Image.new("RGB", (64, 48), (200, i * 60, 50)), io.BytesIO()
            image.save(out, "JPEG")
            archive.writestr(f"dogs/dog_{i}.jpg", out.getvalue())
        archive.writestr("notes.txt", "not an image")
    return buffer.getvalue()


def test_upload_browse_rename_download_delete(project, tmp_path: Path, monkeypatch):
    tab = CatalogPanel(project).image_folders
    assert "No image folder yet" in tab.rows.children[0].value
    tab.children[0].children[0].click()  # Upload image folder
    form = tab.detail.children[0]
    content = pets_zip()
    form.upload.value = ({"name": "pets.zip", "type": "application/zip", "size": len(content),
                          "content": memoryview(content), "last_modified": dt.datetime.now(dt.timezone.utc)},)
    form.save_button.click()
    assert "Upload of 'pets' started" in form.message.value and form.upload.value == ()
    assert form.progress.children[0].follower.join(60).status == "ready"
    tab.refresh()
    assert "33 images" in tab.rows.children[0].children[1].value

    tab.rows.children[0].children[0].click()  # Open
    panel = tab.detail.children[0]
    assert isinstance(panel, ImageFolderPanel)
    assert [value for _, value in panel.category.options] == ["cats", "dogs"]
    assert len(panel.grid.children) == 24 and panel.page.max == 2  # 30 cats, 24 a page
    panel.page.value = 2
    assert len(panel.grid.children) == 6
    panel.category.value = "dogs"
    first = panel.grid.children[0].children[0]
    assert first.value[:2] == b"\xff\xd8" or first.value[:4] == b"\x89PNG"
    assert "64×48" in panel.grid.children[0].children[1].value

    panel.rename_button.click()
    name, save = panel.form.children[0].children
    name.value = "animals"
    save.click()
    assert "Renamed 'pets' to 'animals'" in panel.message.value
    monkeypatch.chdir(tmp_path)
    panel.download_button.click()
    panel.form.children[0].children[1].click()
    with zipfile.ZipFile(tmp_path / "animals.zip") as archive:
        assert len(archive.namelist()) == 33
    panel.delete_button.click()
    panel.form.children[1].children[0].click()
    assert len(project.image_folders) == 0
    assert "No image folder yet" in tab.rows.children[0].value


def test_a_zip_without_images_fails_with_the_reason(project, tmp_path: Path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    panel = ImageFolderPanel(project.image_folders.import_zip(path, name="empty"))
    state = panel.progress.follower.join(60)
    assert state is not None and state.status == "failed"
    assert "dp-error" in panel.progress.error.value and "Traceback" not in panel.progress.error.value
