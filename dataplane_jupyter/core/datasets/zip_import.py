"""Datasets from a zip or an .npy file (spec 002), inside the dataset import job.

A zip with CSV files: the only CSV, else the one named `index.csv`, is imported as a regular
CSV; its columns naming images or npy files inside the zip become image/tensor features
(`media_columns`). A zip without CSV: its images become rows with an `image` column and
`category_0`, `category_1`, ... from their folders. When images sit at different depths, the
depth holding the most images is kept (a tie goes to the deeper one) and the others are
reported as ignored. A zip holding only .npy files (and no image): one feature per file,
named after it, all with the same number of examples. One .npy file: the examples along its
first dimension.
"""

from __future__ import annotations

import posixpath
import tempfile
from collections import Counter
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import fsspec
import pyarrow as pa

from dataplane_jupyter.core.archives import IMAGE_SUFFIXES, NPY_SUFFIX, ZIP_MAGIC, SafeZip, free_bytes, is_zip, suffix
from dataplane_jupyter.core.datasets.media_columns import MEDIA_FOLDER, ZipMedia
from dataplane_jupyter.core.datasets.npy import (
    MAGIC,
    NpyHeader,
    checked_header,
    examples_type,
    iter_example_batches,
    shapes_metadata,
)
from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.images.folder_import import listed

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.imports import DatasetImport

INDEX = "index.csv"


def file_kind(location: str) -> str | None:
    """"zip" or "npy" from the file's first bytes (or its suffix when unreadable); None for CSV."""
    try:
        with fsspec.open(location, "rb") as stream:
            head = stream.read(8)
    except (OSError, ValueError):
        head = b""
    if head[:4] in ZIP_MAGIC or (not head and is_zip(location)):
        return "zip"
    if head.startswith(MAGIC) or (not head and location.lower().endswith(NPY_SUFFIX)):
        return "npy"
    return None


def run_media_import(target: "DatasetImport", kind: str) -> dict[str, Any]:
    """The reader of a zip or npy upload, in the import template (`imports.DatasetImport`)."""
    source = target.source["file"]
    target.progress(0.0, f"Reading {source}", force=True)
    with fsspec.open(target.params["location"], "rb") as stream:
        result = _import_zip(target, stream, source) if kind == "zip" else import_npy_files(target, [(source, stream)], source)
    target.remove_source()
    return result


def _import_zip(ctx: "DatasetImport", stream: BinaryIO, source: str) -> dict[str, Any]:
    with SafeZip(stream, source, room=free_bytes(ctx.catalog.storage)) as archive:
        names = archive.names()
        csvs = [n for n in names if suffix(n) == ".csv"]
        if csvs:
            return _import_zip_csv(ctx, archive, choose_csv(csvs, source), source)
        images = [n for n in names if suffix(n) in IMAGE_SUFFIXES]
        if images:
            return _import_image_tree(ctx, archive, images, [n for n in names if n not in images], source)
        arrays = [n for n in names if suffix(n) == NPY_SUFFIX]
        if arrays:
            return _import_zip_npy(ctx, archive, arrays, source)
        raise InvalidInput(f"{source} holds no CSV, jpg/png/gif image or .npy file" + (f" (only {listed(names)})." if names else " (it is empty)."))


def choose_csv(csvs: list[str], source: str) -> str:
    """The only CSV, else the one named index.csv (the shallowest when several are)."""
    if len(csvs) == 1:
        return csvs[0]
    index = sorted((n for n in csvs if posixpath.basename(n).lower() == INDEX), key=lambda n: (n.count("/"), n))
    if not index:
        raise InvalidInput(
            f"{source} holds {len(csvs)} CSV files ({listed(csvs)}): name the one to import {INDEX}."
        )
    if len(index) > 1 and index[0].count("/") == index[1].count("/"):
        raise InvalidInput(f"{source} holds several {INDEX} files at the same level ({listed(index)}): keep one.")
    return index[0]


def _import_zip_csv(ctx: "DatasetImport", archive: SafeZip, name: str, source: str) -> dict[str, Any]:
    media = ZipMedia(archive, name, ctx.catalog.storage, ctx.folder)
    with tempfile.TemporaryFile() as local:
        archive.copy(name, local)
        local.seek(0)
        return ctx.csv(local, source=f"{source}: {name}", media=media)


def choose_depth(images: list[str]) -> tuple[int, list[str], list[str]]:
    """(folder depth, images kept, images ignored): the depth holding the most images, a tie
    going to the deeper one."""
    depths = Counter(n.count("/") for n in images)
    depth = max(depths, key=lambda d: (depths[d], d))
    kept = [n for n in images if n.count("/") == depth]
    return depth, kept, [n for n in images if n.count("/") != depth]


def _import_image_tree(ctx: "DatasetImport", archive: SafeZip, images: list[str], others: list[str], source: str) -> dict[str, Any]:
    depth, kept, ignored = choose_depth(images)
    folder = ctx.folder
    storage = ctx.catalog.storage
    paths = []
    for index, name in enumerate(kept):
        with storage.open(f"{folder}/{MEDIA_FOLDER}/{name}", "wb") as out:
            archive.copy(name, out)
        paths.append(f"{MEDIA_FOLDER}/{name}")
        ctx.progress(0.5 * (index + 1) / len(kept), f"Stored {index + 1:,} of {len(kept):,} images")
    columns: dict[str, list[str]] = {"image": paths}
    for level in range(depth):
        columns[f"category_{level}"] = [n.split("/")[level] for n in kept]
    types = {"image": "image", **{c: "categorical" for c in columns if c != "image"}}
    warnings = []
    if ignored:
        warnings.append({"column": None, "message": (
            f"{source}: {len(ignored):,} images are not at folder depth {depth} like the {len(kept):,} imported "
            f"ones and were ignored ({listed(ignored)})")})
    if others:
        warnings.append({"column": None, "message": f"{source}: {len(others):,} files that are not images were ignored ({listed(others)})"})
    return _finish(ctx, pa.table(columns), types, {}, warnings, {"structure": {"depth": depth, "kept": len(kept), "ignored": len(ignored)}})


def _import_zip_npy(ctx: "DatasetImport", archive: SafeZip, arrays: list[str], source: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dataplane-npy-") as scratch:
        opened = []
        for index, name in enumerate(arrays):
            local = open(f"{scratch}/{index}.npy", "w+b")
            archive.copy(name, local)
            local.seek(0)
            opened.append((f"{source}: {name}", local))
        try:
            return import_npy_files(ctx, opened, source)
        finally:
            for _, local in opened:
                local.close()


def feature_name(label: str, taken: set[str]) -> str:
    """A column name from a file name (its stem, made unique)."""
    stem = posixpath.splitext(posixpath.basename(label.split(": ")[-1]))[0] or "tensor"
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}_{n}", n + 1
    taken.add(name)
    return name


def import_npy_files(ctx: "DatasetImport", files: Sequence[tuple[str, IO[bytes]]], source: str) -> dict[str, Any]:
    headers: list[tuple[str, IO[bytes], NpyHeader]] = [(label, f, checked_header(f, label)) for label, f in files]
    for label, _, header in headers:
        if not header.shape:
            raise InvalidInput(f"{label} holds a single number (a 0-d array); save one row per example along the first dimension.")
    lengths = {label: header.shape[0] for label, _, header in headers}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{label.split(': ')[-1]}: {n:,}" for label, n in lengths.items())
        raise InvalidInput(f"{source}: the npy files must hold the same number of examples (first dimension); they hold {detail}.")
    taken: set[str] = set()
    names = [feature_name(label, taken) for label, _, _ in headers]
    schema = pa.schema([pa.field(n, examples_type(h.shape)) for n, (_, _, h) in zip(names, headers)])
    types = {n: "numeric" if len(h.shape) == 1 else "tensor" for n, (_, _, h) in zip(names, headers)}
    shapes = {n: list(h.shape[1:]) for n, (_, _, h) in zip(names, headers) if len(h.shape) > 1}
    batches = zip(*(iter_example_batches(f, h, label) for label, f, h in headers))
    return _finish(ctx, None, types, shapes, [], {"npy": {n: list(h.shape) for n, (_, _, h) in zip(names, headers)}},
                   schema=schema, batches=batches)


def _finish(ctx: "DatasetImport", table: pa.Table | None, types: dict[str, str], shapes: dict[str, list[int]],
            warnings: list[dict[str, Any]], extra: dict[str, Any], *, schema: pa.Schema | None = None, batches: Any = None) -> dict[str, Any]:
    """Hand the reader's batches and types to the import template: write, record, statistics."""
    schema = table.schema if table is not None else schema
    chunks = [table.columns] if table is not None else batches
    record_batches = (pa.RecordBatch.from_arrays(
        [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays], schema=schema) for arrays in chunks)
    rows, schema = ctx.write(schema, record_batches, types, metadata=shapes_metadata(shapes) if shapes else None)
    ctx.copied(rows, [{"name": f.name, "type": types[f.name], "dtype": str(f.type)} for f in schema], warnings, **extra)
    return ctx.finish()


