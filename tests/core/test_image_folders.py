"""Image folders through the catalog: zip → copying → ready, categories, thumbnails, download,
rename, delete, refusals (unsafe entries, bombs, no images), and no export."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from PIL import Image

import dataplane_jupyter as dp
from dataplane_jupyter.core.errors import AlreadyExists, InvalidInput, InvalidState, NotFound
from dataplane_jupyter.core.images.folders import EXPORT_REFUSAL, image_folder_path
from tests.archive_builders import add_symlink, image_bytes, make_lying_zip, make_zip


@pytest.fixture
def project(catalog):
    return catalog.project("p")


@pytest.fixture
def pets_zip(tmp_path):
    return make_zip(tmp_path / "pets.zip", {
        "pets/cats/1.jpg": image_bytes("JPEG", (64, 48)),
        "pets/cats/2.jpg": image_bytes("JPEG", (80, 60)),
        "pets/dogs/1.png": image_bytes("PNG", (20, 10), "RGBA", (0, 0, 255, 128)),
        "pets/dogs/2.gif": image_bytes("GIF", (16, 16), "P", 3),
        "pets/readme.txt": b"not an image",
        "pets/dogs/broken.jpg": b"\xff\xd8\xff\xe0 truncated",
        "__MACOSX/pets/._1.jpg": b"resource fork",
    })


def folder_files(catalog, folder) -> list[str]:
    root = catalog.storage.path(image_folder_path(folder._info.project_id, folder.id))
    fs = catalog.storage.fs
    return fs.find(root) if fs.exists(root) else []


def test_import_zip_becomes_ready_with_categories_thumbnails_and_reports(project, pets_zip, catalog):
    folder = project.image_folders.import_zip(pets_zip, name="pets")
    assert folder.status in ("copying", "ready")
    assert [f.name for f in project.image_folders.list()] == ["pets"]
    folder.wait(timeout=30)
    assert (folder.status, folder.n_images) == ("ready", 4)
    assert folder.categories() == {"cats": 2, "dogs": 2}
    summary = folder.summary
    assert summary["formats"] == {"JPEG": 2, "PNG": 1, "GIF": 1}
    assert summary["width"] == {"min": 16, "max": 80, "mean": 45.0}
    assert summary["corrupt"]["count"] == 1 and summary["corrupt"]["files"][0]["path"] == "pets/dogs/broken.jpg"
    assert summary["ignored"] == {"count": 1, "files": ["pets/readme.txt"]}
    messages = " ".join(w["message"] for w in folder.warnings)
    assert "pets/dogs/broken.jpg" in messages and "1 files that are not jpg" in messages
    data, media_type = folder.thumbnail("pets/cats/2.jpg")
    assert media_type == "image/jpeg"
    assert max(Image.open(io.BytesIO(data)).size) <= 128
    assert folder.thumbnail("pets/dogs/1.png")[1] == "image/png"  # transparency kept
    assert folder.image("pets/cats/1.jpg") == image_bytes("JPEG", (64, 48))
    assert [i.path for i in folder.images(category="dogs")] == ["pets/dogs/1.png", "pets/dogs/2.gif"]
    assert folder.size_bytes > 0


def test_paths_outside_the_folder_are_refused(project, pets_zip):
    folder = project.image_folders.import_zip(pets_zip).wait(timeout=30)
    with pytest.raises(InvalidInput):
        folder.thumbnail("../../../secret")
    with pytest.raises(NotFound):
        folder.image("pets/cats/9.jpg")


def test_download_gives_back_the_images_in_their_structure(project, pets_zip, tmp_path):
    folder = project.image_folders.import_zip(pets_zip, name="pets").wait(timeout=30)
    out = folder.download(tmp_path / "back.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["pets/cats/1.jpg", "pets/cats/2.jpg", "pets/dogs/1.png", "pets/dogs/2.gif"]
        assert archive.read("pets/dogs/1.png") == image_bytes("PNG", (20, 10), "RGBA", (0, 0, 255, 128))


def test_rename_delete_and_unique_names(project, pets_zip, catalog):
    folder = project.image_folders.import_zip(pets_zip, name="pets").wait(timeout=30)
    with pytest.raises(AlreadyExists):
        project.image_folders.import_zip(pets_zip, name="pets")
    other = project.image_folders.import_zip(pets_zip, name="other").wait(timeout=30)
    with pytest.raises(AlreadyExists):
        other.rename("pets")
    assert folder.rename("animals").name == "animals"
    assert project.image_folders["animals"].id == folder.id
    assert folder_files(catalog, folder)
    folder.delete()
    assert "animals" not in project.image_folders
    assert folder_files(catalog, folder) == []
    with pytest.raises(NotFound):
        project.image_folders["animals"]


def test_images_at_the_top_level_have_the_empty_category(project, tmp_path):
    path = make_zip(tmp_path / "flat.zip", {"a.png": image_bytes(), "b.png": image_bytes()})
    folder = project.image_folders.import_zip(path).wait(timeout=30)
    assert folder.categories() == {"": 2}


def test_image_folders_cannot_be_exported(project, pets_zip):
    folder = project.image_folders.import_zip(pets_zip).wait(timeout=30)
    with pytest.raises(InvalidState, match="cannot be exported"):
        folder.export("out")
    assert "cannot be exported" in EXPORT_REFUSAL


def assert_failed_and_clean(project, catalog, path, match: str, **kwargs):
    folder = project.image_folders.import_zip(path, name="bad", **kwargs)
    with pytest.raises(dp.ImportFailed, match=match):
        folder.wait(timeout=30)
    assert folder.status == "failed" and folder.n_images is None
    assert folder_files(catalog, folder) == []
    folder.delete()
    return folder


def test_a_zip_without_images_fails_naming_what_it_holds(project, catalog, tmp_path):
    path = make_zip(tmp_path / "docs.zip", {"a.txt": b"x", "b.csv": b"a,b\n1,2\n"})
    assert_failed_and_clean(project, catalog, path, r"docs.zip holds no jpg, png or gif image .*a.txt")


def test_not_a_zip_fails(project, catalog, tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"hello")
    assert_failed_and_clean(project, catalog, path, "not a readable zip")


@pytest.mark.parametrize("entry, match", [
    ("../escape.png", r"outside the archive folder"),
    ("good/../../escape.png", r"outside the archive folder"),
    ("/etc/escape.png", r"absolute path"),
    ("C:/Windows/escape.png", r"absolute path"),
    ("..\\escape.png", r"outside the archive folder"),
])
def test_entries_escaping_the_folder_are_refused(project, catalog, tmp_path, entry, match):
    path = make_zip(tmp_path / "evil.zip", {"ok/1.png": image_bytes(), entry: image_bytes()})
    assert_failed_and_clean(project, catalog, path, match)
    assert not (tmp_path / "escape.png").exists()
    assert not list(catalog.settings.home.rglob("escape.png"))


def test_symlink_entries_are_refused(project, catalog, tmp_path):
    path = add_symlink(make_zip(tmp_path / "link.zip", {"ok/1.png": image_bytes()}), "ok/2.png", "/etc/passwd")
    assert_failed_and_clean(project, catalog, path, r"'ok/2.png' is a symbolic link")


def test_a_zip_bomb_is_refused_while_streaming(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_RATIO", "50")
    path = make_zip(tmp_path / "bomb.zip", {"ok/1.png": image_bytes(), "ok/bomb.png": bytes(40 << 20)})
    assert path.stat().st_size < 200_000
    assert_failed_and_clean(project, catalog, path, r"'ok/bomb.png' inflates more than 50 times .* zip bomb")


def test_a_zip_bomb_whose_header_lies_is_refused(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_RATIO", "50")
    path = make_lying_zip(tmp_path / "liar.zip", "ok/bomb.png", bytes(40 << 20), claimed_size=30 << 20)
    assert_failed_and_clean(project, catalog, path, r"'ok/bomb.png' inflates more than 50 times .* zip bomb")


def test_total_size_limit_is_checked_while_streaming(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_BYTES", str(3 << 20))
    big = {f"ok/{i}.png": image_bytes() + bytes(1 << 20) for i in range(5)}  # header sizes are honest here
    path = make_zip(tmp_path / "big.zip", big)
    assert_failed_and_clean(project, catalog, path, r"expands to more than 3.0 MiB")


def test_total_size_lie_cannot_pass_the_limit(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_BYTES", str(5 << 20))
    path = make_lying_zip(tmp_path / "liar.zip", "ok/1.png", image_bytes() + bytes(8 << 20), claimed_size=1000)
    assert_failed_and_clean(project, catalog, path, r"'ok/1.png' is corrupt \(Bad CRC-32")


def test_a_staged_upload_is_removed_when_asked(project, pets_zip, catalog):
    folder = project.image_folders.import_zip(pets_zip, delete_source=True).wait(timeout=30)
    assert folder.status == "ready" and not pets_zip.exists()


def test_five_hundred_images_are_ready_within_seconds(project, tmp_path):
    entries = {f"set/{c}/{i}.jpg": image_bytes("JPEG", (256, 192), color=(i % 255, 40, 90))
               for c in ("a", "b") for i in range(250)}
    path = make_zip(tmp_path / "many.zip", entries)
    start = time.perf_counter()
    folder = project.image_folders.import_zip(path).wait(timeout=60)
    elapsed = time.perf_counter() - start
    assert folder.n_images == 500 and folder.categories() == {"a": 250, "b": 250}
    assert elapsed < 15, elapsed


def test_the_free_disk_space_bounds_what_a_zip_may_expand_to(tmp_path):
    from dataplane_jupyter.core.archives import SafeZip

    path = make_zip(tmp_path / "x.zip", {"a.png": image_bytes() + bytes(1 << 20)})
    with pytest.raises(InvalidInput, match="expands to more than 921.6 KiB"):
        SafeZip(path, "x.zip", room=1 << 20)
