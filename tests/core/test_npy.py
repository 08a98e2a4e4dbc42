"""Datasets from .npy files (spec 002): examples along the first dimension, several files
in a zip as one feature each, and the refusals that say how to fix the array."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow.parquet as pq
import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.datasets.npy import check_header, read_header
from dataplane_jupyter.core.errors import InvalidInput
from tests.archive_builders import make_zip, npy_bytes


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def save(path, array, **kwargs):
    path.write_bytes(npy_bytes(array, **kwargs))
    return path


def test_one_npy_file_gives_one_example_per_first_dimension(project, tmp_path):
    array = np.arange(5 * 4 * 3 * 2, dtype="float32").reshape(5, 4, 3, 2)
    ds = project.datasets.import_file(save(tmp_path / "frames.npy", array)).wait(timeout=60)
    assert (ds.name, ds.rows, ds.columns) == ("frames", 5, 1)
    table = ds.to_arrow()
    assert np.array_equal(np.asarray(table.column("frames").to_pylist(), "float32").reshape(5, 4, 3, 2), array)
    metadata = pq.read_metadata(ds.catalog.storage.path(ds._data_path)).metadata
    assert json.loads(metadata[b"dataplane.types"]) == {"frames": "tensor"}
    assert json.loads(metadata[b"dataplane.shapes"]) == {"frames": [4, 3, 2]}
    column = ds.column("frames")
    assert column["type"] == "tensor" and column["count"] == 5
    assert column["media"] == {"count": 5, "shapes": {"4×3×2": 5}, "min": 0.0, "max": 119.0, "mean": 59.5}
    assert ds.statistics()["summary"]["types"]["tensor"] == 1


def test_a_one_dimensional_array_is_a_numeric_feature(project, tmp_path):
    ds = project.datasets.import_file(save(tmp_path / "y.npy", np.array([1, 2, 4], "float32"))).wait(timeout=60)
    assert ds.column("y")["type"] == "numeric" and ds.column("y")["mean"] == pytest.approx(7 / 3)


def test_several_npy_files_in_a_zip_give_one_feature_each(project, tmp_path):
    path = make_zip(tmp_path / "xy.zip", {
        "x.npy": npy_bytes(np.ones((3, 2, 2), "float32")),
        "y.npy": npy_bytes(np.array([0, 1, 0], "float32")),
    })
    ds = project.datasets.import_file(path).wait(timeout=60)
    assert ds.to_arrow().column_names == ["x", "y"]
    assert ds.rows == 3 and ds.column("x")["type"] == "tensor" and ds.column("y")["type"] == "numeric"


def test_npy_files_with_different_lengths_are_refused(project, tmp_path, catalog):
    path = make_zip(tmp_path / "xy.zip", {
        "x.npy": npy_bytes(np.ones((3, 2), "float32")),
        "y.npy": npy_bytes(np.ones(4, "float32")),
    })
    ds = project.datasets.import_file(path)
    with pytest.raises(dp.ImportFailed, match=r"same number of examples .* x.npy: 3, y.npy: 4"):
        ds.wait(timeout=60)
    assert not catalog.storage.exists(ds._folder)


@pytest.mark.parametrize("array, kwargs, match", [
    (np.ones((3, 2)), {}, r"float64 values; only 32-bit floats .* A.astype\('float32'\)"),
    (np.ones((3, 2), "int32"), {}, r"int32 values.*astype\('float32'\)"),
    (np.ones((3, 2), ">f4"), {}, r"big-endian .* A.astype\('<f4'\).*byteswap"),
    (np.ones((3, 2), "float32"), {"fortran": True}, r"Fortran order.* np.ascontiguousarray\(A\)"),
])
def test_wrong_arrays_are_refused_saying_how_to_fix_them(project, tmp_path, catalog, array, kwargs, match):
    ds = project.datasets.import_file(save(tmp_path / "bad.npy", array, **kwargs))
    with pytest.raises(dp.ImportFailed, match=rf"bad.npy .*{match}"):
        ds.wait(timeout=60)
    assert ds.status == "failed" and not catalog.storage.exists(ds._folder)


def test_a_truncated_npy_is_refused(project, tmp_path):
    data = npy_bytes(np.ones((100, 10), "float32"))
    (tmp_path / "cut.npy").write_bytes(data[:-100])
    with pytest.raises(dp.ImportFailed, match="cut.npy is truncated"):
        project.datasets.import_file(tmp_path / "cut.npy").wait(timeout=60)


def test_the_header_is_read_without_the_data():
    class Guard(io.BytesIO):
        def read(self, n=-1):
            assert n != -1 and n < 10_000, "read the whole array"
            return super().read(n)

    header = read_header(Guard(npy_bytes(np.ones((1000, 100), "float32"))), "a.npy")
    assert header.shape == (1000, 100) and header.dtype.str == "<f4" and not header.fortran_order
    check_header(header, "a.npy")
    with pytest.raises(InvalidInput, match="not a readable .npy"):
        read_header(io.BytesIO(b"\x93NUMPY garbage"), "b.npy")


def test_staged_npy_files_are_removed_once_imported_or_failed(project, tmp_path):
    x = save(tmp_path / "x.npy", np.ones((3, 2), "float32"))
    y = save(tmp_path / "y.npy", np.zeros(3, "float32"))
    ds = project.datasets.import_files([x, y], "xy", delete_source=True).wait(timeout=60)
    assert ds.rows == 3 and not x.exists() and not y.exists()
    kept = save(tmp_path / "kept.npy", np.ones(3, "float32"))
    project.datasets.import_files([kept], "kept").wait(timeout=60)
    assert kept.exists()
    short = save(tmp_path / "short.npy", np.ones(2, "float32"))
    longer = save(tmp_path / "longer.npy", np.ones(3, "float32"))
    failed = project.datasets.import_files([short, longer], "bad", delete_source=True)
    with pytest.raises(dp.ImportFailed):
        failed.wait(timeout=60)
    assert not short.exists() and not longer.exists()
