"""Datasets from zips (spec 002): CSV + images/npy, index.csv, image trees with categories,
missing references, remote image URLs, and every refusal (unsafe entries, bombs)."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.archives import ZipLimits, safe_name
from dataplane_jupyter.core.datasets.media_columns import REMOTE_IMAGE, fetch_image
from dataplane_jupyter.core.datasets.paths import dataset_folder
from dataplane_jupyter.core.datasets.zip_import import choose_depth
from tests.archive_builders import add_symlink, image_bytes, make_lying_zip, make_zip, npy_bytes


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def stored_types(ds) -> dict:
    import json

    with ds.catalog.storage.open(ds.data_path) as stream:  # local or S3 storage (team profile)
        return json.loads(pq.read_metadata(stream).metadata[b"dataplane.types"])


def dataset_files(catalog, ds) -> list[str]:
    root = catalog.storage.path(dataset_folder(ds._info.project_id, ds.id))
    return catalog.storage.fs.find(root) if catalog.storage.fs.exists(root) else []


@pytest.mark.team
def test_a_zip_with_one_csv_imports_it_with_its_images(project, tmp_path, catalog):
    path = make_zip(tmp_path / "pets.zip", {
        "data/pets.csv": "id,photo,label\n1,img/a.jpg,cat\n2,img/b.png,dog\n3,img/gone.jpg,cat\n",
        "data/img/a.jpg": image_bytes("JPEG"),
        "data/img/b.png": image_bytes("PNG", (10, 8)),
    })
    ds = project.datasets.import_file(path).wait(timeout=60)
    assert (ds.name, ds.rows, ds.columns) == ("pets", 3, 3)
    assert stored_types(ds)["photo"] == "image"
    assert ds.to_arrow().column("photo").to_pylist() == ["media/data/img/a.jpg", "media/data/img/b.png", None]
    assert catalog.storage.exists(f"{ds.folder}/media/data/img/b.png")
    [warning] = [w for w in ds.warnings if w["column"] == "photo"]
    assert warning["message"].startswith("1 rows name images missing from pets.zip (img/gone.jpg)")
    photo = ds.column("photo")
    assert photo["type"] == "image" and photo["missing"] == 1
    assert photo["media"]["formats"] == {"JPEG": 1, "PNG": 1}
    assert photo["media"]["width"]["min"] == 10 and photo["media"]["height"]["max"] == 24
    assert ds.statistics()["summary"]["types"]["image"] == 1


def test_several_csvs_use_index_csv(project, tmp_path):
    path = make_zip(tmp_path / "two.zip", {"other.csv": "a\n1\n", "index.csv": "b,c\n1,2\n3,4\n"})
    ds = project.datasets.import_file(path).wait(timeout=60)
    assert ds.to_pandas().columns.tolist() == ["b", "c"]


def test_several_csvs_without_index_csv_fail_naming_it(project, tmp_path, catalog):
    path = make_zip(tmp_path / "two.zip", {"a.csv": "a\n1\n", "b.csv": "b\n2\n"})
    ds = project.datasets.import_file(path)
    with pytest.raises(dp.ImportFailed, match=r"two.zip holds 2 CSV files \(a.csv, b.csv\): name the one to import index.csv"):
        ds.wait(timeout=60)
    assert ds.status == "failed" and dataset_files(catalog, ds) == []


@pytest.mark.team
def test_a_zip_without_csv_makes_rows_with_categories_from_folders(project, tmp_path):
    # spec example: animals at the second level of folders; the cars at one level are ignored
    path = make_zip(tmp_path / "photos.zip", {
        "animals/cats/1.jpg": image_bytes("JPEG"),
        "animals/cats/2.jpg": image_bytes("JPEG"),
        "animals/dogs/1.jpg": image_bytes("JPEG"),
        "plants/trees/1.png": image_bytes(),
        "cars/1.jpg": image_bytes("JPEG"),
        "cars/2.jpg": image_bytes("JPEG"),
        "notes.txt": b"x",
    })
    ds = project.datasets.import_file(path).wait(timeout=60)
    frame = ds.to_pandas()
    assert frame.columns.tolist() == ["image", "category_0", "category_1"]
    assert frame["category_0"].tolist() == ["animals", "animals", "animals", "plants"]
    assert frame["category_1"].tolist() == ["cats", "cats", "dogs", "trees"]
    assert stored_types(ds) == {"image": "image", "category_0": "categorical", "category_1": "categorical"}
    messages = " ".join(w["message"] for w in ds.warnings)
    assert "2 images are not at folder depth 2" in messages and "cars/1.jpg, cars/2.jpg" in messages
    assert "1 files that are not images" in messages
    assert ds.column("image")["media"]["count"] == 4


def test_depth_choice_is_deterministic():
    assert choose_depth(["a/1.jpg", "b/2.jpg", "x/y/3.jpg", "x/z/4.jpg"])[0] == 2  # a tie goes deeper
    assert choose_depth(["a/1.jpg", "b/2.jpg", "c/3.jpg", "x/y/4.jpg"])[0] == 1  # most images
    assert choose_depth(["1.jpg", "2.jpg"])[0] == 0


def test_images_at_the_top_give_no_category(project, tmp_path):
    path = make_zip(tmp_path / "flat.zip", {"1.png": image_bytes(), "2.png": image_bytes()})
    ds = project.datasets.import_file(path).wait(timeout=60)
    assert ds.to_pandas().columns.tolist() == ["image"]


@pytest.mark.team
def test_a_csv_referencing_npy_files_makes_a_tensor_feature(project, tmp_path):
    path = make_zip(tmp_path / "t.zip", {
        "index.csv": "x,target\nx/0.npy,1\nx/1.npy,0\n",
        "x/0.npy": npy_bytes(np.ones((2, 3), "float32")),
        "x/1.npy": npy_bytes(np.full((2, 3), 3, "float32")),
    })
    ds = project.datasets.import_file(path).wait(timeout=60)
    assert stored_types(ds)["x"] == "tensor"
    x = ds.column("x")
    assert x["media"]["shapes"] == {"2×3": 2}
    assert (x["media"]["min"], x["media"]["max"], x["media"]["mean"]) == (1.0, 3.0, 2.0)


def test_a_referenced_npy_in_float64_is_refused_naming_it(project, tmp_path, catalog):
    path = make_zip(tmp_path / "t.zip", {
        "index.csv": "x\n0.npy\n",
        "0.npy": npy_bytes(np.ones(3)),
    })
    ds = project.datasets.import_file(path)
    with pytest.raises(dp.ImportFailed, match=r"column 'x', value '0.npy'.*float64.*astype\('float32'\)"):
        ds.wait(timeout=60)
    assert dataset_files(catalog, ds) == []


def test_bucket_urls_are_image_features_without_fetching(project, tmp_path):
    csv = tmp_path / "remote.csv"
    csv.write_text("img,n\ngs://bucket/a/1.jpg,1\ns3://other/x.PNG,2\n,3\n")
    ds = project.datasets.import_file(csv).wait(timeout=60)
    assert stored_types(ds)["img"] == "image"
    assert ds.column("img")["media"]["remote"] == 2
    plain = tmp_path / "plain.csv"
    plain.write_text("img\ngs://bucket/a.txt\nhello\n")
    assert stored_types(project.datasets.import_file(plain).wait(timeout=60))["img"] != "image"


def test_remote_image_pattern():
    assert REMOTE_IMAGE.match("gs://b/x/y.jpeg") and REMOTE_IMAGE.match("s3://b/y.gif")
    assert not REMOTE_IMAGE.match("http://b/y.jpg") and not REMOTE_IMAGE.match("gs://b/y.csv")


def test_fetch_image_goes_through_fsspec():
    import fsspec

    with fsspec.open("memory://bucket/cat.png", "wb") as out:
        out.write(image_bytes())
    assert fetch_image("memory://bucket/cat.png") == image_bytes()


def assert_refused(project, catalog, path, match):
    ds = project.datasets.import_file(path)
    with pytest.raises(dp.ImportFailed, match=match):
        ds.wait(timeout=60)
    assert ds.status == "failed" and dataset_files(catalog, ds) == []
    assert not list(catalog.settings.home.rglob("escape*"))


@pytest.mark.parametrize("entry, match", [
    ("../escape.csv", "outside the archive folder"),
    ("/tmp/escape.csv", "absolute path"),
])
def test_unsafe_entries_are_refused(project, catalog, tmp_path, entry, match):
    assert_refused(project, catalog, make_zip(tmp_path / "evil.zip", {entry: "a\n1\n"}), match)


def test_symlink_entry_is_refused(project, catalog, tmp_path):
    path = add_symlink(make_zip(tmp_path / "l.zip", {"index.csv": "a\n1\n"}), "escape.png", "/etc/passwd")
    assert_refused(project, catalog, path, "symbolic link")


def test_a_zip_bomb_is_refused(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_RATIO", "50")
    path = make_zip(tmp_path / "bomb.zip", {"index.csv": "a\n" + "1\n" * (12 << 20)})
    assert_refused(project, catalog, path, "zip bomb")


def test_a_bomb_with_a_lying_header_is_refused(project, catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_ZIP_MAX_RATIO", "50")
    path = make_lying_zip(tmp_path / "bomb.zip", "index.csv", b"a\n" + b"1\n" * (12 << 20), claimed_size=20 << 20)
    assert_refused(project, catalog, path, "zip bomb")


def test_safe_name_accepts_ordinary_paths():
    import zipfile

    assert safe_name(zipfile.ZipInfo("./a/b.png"), "x.zip") == "a/b.png"
    assert ZipLimits().max_ratio > 1
