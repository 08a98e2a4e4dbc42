"""A .csv.gz (or .bz2/.xz) is held to the same bounds as a zip, checked while it streams."""

from __future__ import annotations

import bz2
import gzip
import zlib

import pytest

from dataplane_jupyter.core.errors import ImportFailed


def gzip_bomb(path, inflated: int) -> None:
    """A valid gzip of `inflated` bytes of one CSV column of zeros, written in chunks."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as out:
        out.write(compressor.compress(b"a\n"))
        block = b"0\n" * (1 << 19)
        for _ in range(inflated // len(block)):
            out.write(compressor.compress(block))
        out.write(compressor.flush())


def test_a_gzip_bomb_is_refused_by_its_ratio_while_streaming(catalog, tmp_path):
    bomb = tmp_path / "bomb.csv.gz"
    gzip_bomb(bomb, 256 << 20)  # 256 MiB of "0\n" in about 250 KiB
    assert bomb.stat().st_size < 1 << 20
    dataset = catalog.project("p").datasets.import_file(bomb, name="bomb")
    with pytest.raises(ImportFailed) as failure:
        dataset.wait(timeout=120)
    assert "bomb.csv.gz inflates more than 200 times its compressed size" in str(failure.value)
    assert "decompression bomb" in str(failure.value)


def test_a_compressed_file_past_the_size_limit_is_refused(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_DECOMPRESSED_BYTES", "1MiB")
    rows = "".join(f"{i},{i * 7 % 1000}\n" for i in range(300_000)).encode()  # ~3 MiB, ordinary ratio
    for name, data in (("big.csv.gz", gzip.compress(b"a,b\n" + rows)), ("big.csv.bz2", bz2.compress(b"a,b\n" + rows))):
        path = tmp_path / name
        path.write_bytes(data)
        dataset = catalog.project("p").datasets.import_file(path, name=name.replace(".", "_"))
        with pytest.raises(ImportFailed) as failure:
            dataset.wait(timeout=120)
        assert f"{name} decompresses to more than 1.0 MiB" in str(failure.value)
        assert "DATAPLANE_MAX_DECOMPRESSED_BYTES" in str(failure.value)


def test_a_compressed_file_within_the_limits_imports(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_DECOMPRESSED_BYTES", "10MiB")
    path = tmp_path / "ok.csv.gz"
    path.write_bytes(gzip.compress(b"a,b\n" + b"".join(f"{i},x{i}\n".encode() for i in range(50_000))))
    dataset = catalog.project("p").datasets.import_file(path, name="ok").wait(timeout=120)
    assert (dataset.rows, dataset.columns) == (50_000, 2)
