"""Feature options of image columns and fixed-size arrays out (issue #17, points 1 and 2), on real
files: images made by Pillow, arrays made by numpy, imported through the real import job."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
from PIL import Image

import dataplane_jupyter as dp
from dataplane_jupyter.core.images.tensors import ImageFillWarning
from tests.archive_builders import image_bytes, make_zip, npy_bytes


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def striped(size: tuple[int, int], mode: str = "RGB") -> bytes:
    """A PNG whose left half is red and right half blue (to see crops and pads)."""
    width, height = size
    array = np.zeros((height, width, 3), np.uint8)
    array[:, : width // 2] = (255, 0, 0)
    array[:, width // 2:] = (0, 0, 255)
    out = io.BytesIO()
    Image.fromarray(array, "RGB").convert(mode).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def photos(project, tmp_path):
    """Five rows: three 40×20 RGB PNGs, one 20×20 grayscale JPEG, one missing, one corrupt file."""
    entries = {
        "index.csv": "id,photo\n1,a.png\n2,b.png\n3,c.png\n4,d.jpg\n5,\n6,bad.png\n",
        "a.png": striped((40, 20)), "b.png": striped((40, 20)), "c.png": striped((40, 20)),
        "d.jpg": image_bytes("JPEG", (20, 20), "L", 128),
        "bad.png": image_bytes("PNG", (40, 20))[:60],
    }
    return project.datasets.import_file(make_zip(tmp_path / "photos.zip", entries), name="photos").wait(timeout=60)


def test_defaults_come_from_the_statistics_and_are_shown_as_such(photos):
    options = photos.feature_options("photo")
    assert options.is_default and options.version == 0
    assert (options.transformation, tuple(options.size), options.color_mode) == ("resize", (40, 20), "rgb")
    assert "most common size: 40×20 (3 of 4" in options.reasons["size"]
    assert options.sizes == {"40×20": 3, "20×20": 1}
    assert options.shape_hwc == [20, 40, 3]


@pytest.mark.filterwarnings("ignore::dataplane_jupyter.core.images.tensors.ImageFillWarning")
def test_set_options_is_versioned_and_changes_nothing_else(photos):
    before = photos.statistics()
    first = photos.set_feature_options("photo", transformation="crop", size=(16, 16), color_mode="grayscale")
    assert (first.version, first.is_default, first.transformation, tuple(first.size)) == (1, False, "crop", (16, 16))
    second = photos.set_feature_options("photo", size="8x4")
    assert (second.version, second.transformation, tuple(second.size), second.color_mode) == (2, "crop", (8, 4), "grayscale")
    assert [v.version for v in photos.feature_options_history("photo")] == [1, 2]
    assert photos.feature_options("photo").version == 2
    assert photos.statistics() == before
    assert photos.to_numpy("photo", version=1).shape == (6, 16, 16, 1)
    assert photos.to_numpy("photo", version=0).shape == (6, 20, 40, 3)


def test_to_numpy_applies_the_options_and_fills_missing_and_corrupt_with_zeros(photos):
    photos.set_feature_options("photo", transformation="resize", size=(10, 5), color_mode="rgb")
    with pytest.warns(ImageFillWarning, match=r"2 of 6 rows filled with zeros: 1 empty, 1 unusable \(row 5: media/bad.png"):
        array = photos.to_numpy("photo")
    assert array.shape == (6, 5, 10, 3) and array.dtype == np.float32
    assert 0.0 <= array.min() and array.max() <= 1.0
    assert np.allclose(array[0, :, 0], [1, 0, 0]) and np.allclose(array[0, :, -1], [0, 0, 1])
    assert np.allclose(array[3], 128 / 255, atol=2 / 255)  # grayscale JPEG turned rgb
    assert not array[4].any() and not array[5].any()


def test_crop_keeps_the_centre_and_pad_letterboxes(photos):
    photos.set_feature_options("photo", transformation="crop", size=(10, 10), color_mode="rgb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImageFillWarning)
        cropped = photos.to_numpy("photo")[0]
        photos.set_feature_options("photo", transformation="pad", size=(40, 40), fill="#00ff00")
        padded = photos.to_numpy("photo")[0]
    assert np.allclose(cropped[:, 0], [1, 0, 0]) and np.allclose(cropped[:, -1], [0, 0, 1])
    assert np.allclose(padded[0, 0], [0, 1, 0]) and np.allclose(padded[20, 0], [1, 0, 0])  # green bars above and below


def test_grayscale_and_rgba_channels(photos):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImageFillWarning)
        photos.set_feature_options("photo", color_mode="grayscale")
        assert photos.to_numpy("photo").shape == (6, 20, 40, 1)
        photos.set_feature_options("photo", color_mode="rgba")
        array = photos.to_numpy("photo")
    assert array.shape == (6, 20, 40, 4) and np.allclose(array[0, ..., 3], 1.0)


def test_none_is_refused_when_sizes_differ_naming_them(photos):
    with pytest.raises(dp.InvalidInput, match=r"2 sizes were found \(40×20 \(3\), 20×20 \(1\)\)") as error:
        photos.set_feature_options("photo", transformation="none")
    assert error.value.field == "transformation"
    assert photos.feature_options("photo").is_default


def test_none_is_the_default_when_every_image_has_one_size(project, tmp_path):
    entries = {"index.csv": "photo\na.png\nb.png\n", "a.png": striped((12, 6)), "b.png": striped((12, 6), "RGBA")}
    ds = project.datasets.import_file(make_zip(tmp_path / "same.zip", entries)).wait(timeout=60)
    options = ds.feature_options("photo")
    assert (options.transformation, tuple(options.size)) == ("none", (12, 6))
    assert ds.to_numpy("photo").shape == (2, 6, 12, 3)
    with pytest.raises(dp.InvalidInput, match="size must be 12x6"):
        ds.set_feature_options("photo", transformation="none", size=(5, 5))


def test_bad_options_name_the_field(photos):
    for kwargs, field in [({"transformation": "zoom"}, "transformation"), ({"color_mode": "cmyk"}, "color_mode"),
                          ({"size": "big"}, "size"), ({"size": (0, 10)}, "size"), ({"fill": "nope"}, "fill")]:
        with pytest.raises(dp.InvalidInput) as error:
            photos.set_feature_options("photo", **kwargs)
        assert error.value.field == field, kwargs
    with pytest.raises(dp.InvalidInput, match="apply to image columns"):
        photos.set_feature_options("id", transformation="crop")
    with pytest.raises(dp.NotFound, match="no column 'nope'"):
        photos.feature_options("nope")


def test_iter_batches_gives_fixed_size_batches_and_record_batches_still_work(photos):
    photos.set_feature_options("photo", size=(4, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImageFillWarning)
        shapes = [b.shape for b in photos.iter_batches("photo", batch_size=4)]
    assert shapes == [(4, 4, 4, 3), (2, 4, 4, 3)]
    assert sum(b.num_rows for b in photos.iter_batches()) == 6


def test_tensor_columns_come_out_as_float32(project, tmp_path):
    a = np.arange(5 * 4 * 3, dtype=np.float32).reshape(5, 4, 3)
    path = tmp_path / "emb.npy"
    np.save(path, a)
    ds = project.datasets.import_file(path, name="emb").wait(timeout=60)
    out = ds.to_numpy("emb")
    assert out.dtype == np.float32 and out.shape == (5, 4, 3) and np.array_equal(out, a)
    assert [b.shape for b in ds.iter_batches("emb", batch_size=2)] == [(2, 4, 3), (2, 4, 3), (1, 4, 3)]


def test_npy_path_columns_fill_missing_examples(project, tmp_path):
    entries = {"index.csv": "x\na.npy\nb.npy\n\nc.npy\n",
               "a.npy": npy_bytes(np.ones((2, 3), np.float32)), "b.npy": npy_bytes(np.full((2, 3), 2, np.float32)),
               "c.npy": npy_bytes(np.ones((3, 3), np.float32))}
    ds = project.datasets.import_file(make_zip(tmp_path / "t.zip", entries)).wait(timeout=60)
    with pytest.warns(ImageFillWarning, match=r"2 of 4 rows filled with zeros: 1 empty, 1 unusable \(row 3: media/c.npy: shape 3×3, not 2×3"):
        out = ds.to_numpy("x")
    assert out.shape == (4, 2, 3) and out[1].max() == 2 and not out[3].any()


def test_image_folder_options_and_arrays(project, tmp_path):
    entries = {"cats/a.png": striped((30, 30)), "dogs/b.png": striped((30, 30)), "dogs/c.png": striped((60, 30))}
    folder = project.image_folders.import_zip(make_zip(tmp_path / "pets.zip", entries)).wait(timeout=60)
    options = folder.feature_options()
    assert options.is_default and tuple(options.size) == (30, 30) and options.column == "image"
    folder.set_feature_options(transformation="crop", size=(8, 8), color_mode="grayscale")
    array = folder.to_numpy()
    assert array.shape == (3, 8, 8, 1) and array.dtype == np.float32
    assert folder.feature_options().version == 1
    assert [b.shape[0] for b in folder.iter_batches(2)] == [2, 1]


def test_several_npy_files_make_one_dataset_with_a_column_per_file(project, tmp_path):
    a = np.random.default_rng(1).random((6, 4, 3), dtype=np.float32)
    b = np.random.default_rng(2).random((6, 8), dtype=np.float32)
    c = np.arange(6, dtype=np.float32)
    for name, array in (("pixels", a), ("embedding", b), ("score", c)):
        np.save(tmp_path / f"{name}.npy", array)
    ds = project.datasets.import_files([tmp_path / "pixels.npy", tmp_path / "embedding.npy", tmp_path / "score.npy"],
                                       name="features").wait(timeout=60)
    assert (ds.rows, ds.columns) == (6, 3)
    assert [c["name"] for c in ds.statistics()["columns"]] == ["pixels", "embedding", "score"]
    assert ds.column("pixels")["type"] == "tensor" and ds.column("score")["type"] == "numeric"
    assert np.array_equal(ds.to_numpy("pixels"), a) and np.array_equal(ds.to_numpy("embedding"), b)
    assert np.array_equal(ds.to_numpy("score"), c)
    assert ds.info.source["files"] == ["pixels.npy", "embedding.npy", "score.npy"]


def test_npy_files_of_different_lengths_are_refused_naming_both(project, tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((10, 2), np.float32))
    np.save(tmp_path / "b.npy", np.zeros((12, 2), np.float32))
    ds = project.datasets.import_files([tmp_path / "a.npy", tmp_path / "b.npy"], name="bad")
    with pytest.raises(dp.ImportFailed, match=r"a.npy: 10, b.npy: 12"):
        ds.wait(timeout=60)


def test_import_files_refuses_what_is_not_npy(project, tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((3,), np.float32))
    (tmp_path / "b.csv").write_text("x\n1\n")
    with pytest.raises(dp.ImportFailed, match=r"b.csv is not an .npy file"):
        project.datasets.import_files([tmp_path / "a.npy", tmp_path / "b.csv"], name="mixed").wait(timeout=60)
    with pytest.raises(dp.InvalidInput, match="does not exist"):
        project.datasets.import_files([tmp_path / "a.npy", tmp_path / "gone.npy"])


def test_preview_shows_original_and_transformed_thumbnails(photos):
    preview = photos.preview_images("photo", rows=6, transformation="crop", size=(20, 20))
    assert [i.row for i in preview.items] == [0, 1, 2, 3, 4, 5] and preview.shape == [20, 20, 3]
    first = preview.items[0]
    assert first.original.startswith("data:image/") and first.transformed.startswith("data:image/png;base64,")
    assert first.original_size == [40, 20] and first.original_mode == "RGB"
    transformed = Image.open(io.BytesIO(__import__("base64").b64decode(first.transformed.split(",", 1)[1])))
    assert transformed.size == (20, 20)
    assert preview.items[4].error == "no image (empty value)" and "corrupt" in preview.items[5].error
    assert photos.feature_options("photo").is_default  # tried, not saved


def tensor_dataset(project, tmp_path, array, name):
    np.save(tmp_path / f"{name}.npy", array)
    return project.datasets.import_file(tmp_path / f"{name}.npy", name=name).wait(timeout=60)


def test_tensor_views_follow_the_number_of_dimensions(project, tmp_path):
    rng = np.random.default_rng(0)
    line = tensor_dataset(project, tmp_path, rng.random((10, 7), dtype=np.float32), "line")
    view = line.tensor_view("line", row=2)
    assert view.view == "line" and len(view.values) == 7 and view.stat_rows == 10
    assert np.allclose(view.mean, line.to_numpy("line").mean(axis=0), atol=1e-6)
    heat = tensor_dataset(project, tmp_path, rng.random((4, 3, 5), dtype=np.float32), "heat")
    assert heat.tensor_view("heat").view == "heatmap"
    pics = tensor_dataset(project, tmp_path, rng.random((4, 6, 6, 3), dtype=np.float32), "pics")
    view = pics.tensor_view("pics", row=1)
    assert view.view == "image" and view.image.startswith("data:image/png") and view.std_image
    cube = tensor_dataset(project, tmp_path, np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5), "cube")
    view = cube.tensor_view("cube", row=1, index=[2])
    assert (view.view, view.index, view.shape) == ("heatmap", [2], [3, 4, 5])
    assert view.values[0][0] == 60 + 2 * 20
    with pytest.raises(dp.InvalidInput, match=r"index 3 is outside dimension 0 \(size 3\)"):
        cube.tensor_view("cube", index=[3])
