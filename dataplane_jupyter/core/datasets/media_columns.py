"""CSV columns that name images or npy files become `image` / `tensor` features.

Two cases (spec 002):
- inside a zip, a column whose values are paths (relative to the CSV, or to the zip's top) of
  jpg/jpeg/png/gif or .npy entries: the entries are copied under the dataset folder, the column
  keeps their path relative to it, and paths missing from the zip become empty values (with a
  warning giving their count);
- anywhere, a column whose values are all `gs://` or `s3://` URLs of images: typed `image`,
  the objects are fetched only when used (`fetch_image`), never at import.

The semantic type goes into the Parquet key-value metadata (`dataplane.types`) that the
statistics read.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dataplane_jupyter.core.archives import IMAGE_SUFFIXES, NPY_SUFFIX, SafeZip, suffix
from dataplane_jupyter.core.datasets.npy import checked_header
from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.ingest import META_TYPES, IngestResult, IngestWarning

if TYPE_CHECKING:
    from dataplane_jupyter.core.catalog.storage import Storage

MEDIA_FOLDER = "media"
REMOTE_IMAGE = re.compile(r"^(gs|s3)://[^/\s]+/\S*\.(jpe?g|png|gif)$", re.IGNORECASE)
REMOTE_PREFIXES = ("gs://", "s3://")


class ZipMedia:
    """Entries of an uploaded zip that a CSV inside it refers to."""

    def __init__(self, archive: SafeZip, csv_name: str, storage: "Storage", folder: str) -> None:
        self.archive = archive
        self.base = posixpath.dirname(csv_name)
        self.storage = storage
        self.folder = folder

    def resolve(self, value: str) -> str | None:
        """The zip entry a cell names (relative to the CSV's folder, else to the zip's top)."""
        clean = value.strip().replace("\\", "/")
        for candidate in (posixpath.join(self.base, clean), clean):
            name = posixpath.normpath(candidate).lstrip("/")
            if name in self.archive.entries:
                return name
        return None

    def store(self, name: str, check_npy: bool) -> str:
        """Copy one entry under the dataset folder; returns its path relative to the folder."""
        relative = f"{MEDIA_FOLDER}/{name}"
        with self.storage.open(f"{self.folder}/{relative}", "wb") as out:
            self.archive.copy(name, out)
        if check_npy:
            with self.storage.open(f"{self.folder}/{relative}") as stream:
                checked_header(stream, f"{self.archive.archive}: {name}")
        return relative


def fetch_image(url: str, **storage_options: Any) -> bytes:
    """The bytes of an image named by URL (gs://, s3://, or any fsspec URL), fetched now."""
    with fsspec.open(url, "rb", **storage_options) as stream:
        return stream.read()


def type_media_columns(
    destination: str, result: IngestResult, fs: fsspec.AbstractFileSystem, *, source: str, media: ZipMedia | None = None
) -> IngestResult:
    """Find image/tensor columns in the freshly written dataset file and retype them in place."""
    file = pq.ParquetFile(destination, filesystem=fs)  # Arrow's own file on local storage
    found: dict[str, tuple[str, dict[str, str | None]]] = {}
    for column in result.columns:
        if column.type not in ("categorical", "text"):
            continue
        kind = _remote_kind(file, column.name) if media is None else _zip_kind(file, column.name, media)
        if kind is None:
            continue
        mapping = {} if media is None else _store(file, column.name, kind, media, source)
        found[column.name] = (kind, mapping)
    if not found:
        return result
    warnings = [*result.warnings, *_missing_warnings(file, found, source)]
    _rewrite(file, destination, fs, found)
    columns = [replace(c, type=found[c.name][0]) if c.name in found else c for c in result.columns]
    return replace(result, columns=columns, warnings=warnings)


def _distinct(file: pq.ParquetFile, name: str) -> list[str]:
    values = pc.unique(file.read(columns=[name]).column(0).drop_null())
    return [v for v in values.to_pylist() if v is not None and v.strip()]


def _remote_kind(file: pq.ParquetFile, name: str) -> str | None:
    index = file.schema_arrow.get_field_index(name)
    for group in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(group).column(index).statistics
        if stats is not None and stats.has_min_max and not (
            str(stats.min).startswith(REMOTE_PREFIXES) and str(stats.max).startswith(REMOTE_PREFIXES)
        ):
            return None  # cheap refusal from the footer: some value is not a bucket URL
    values = _distinct(file, name)
    return "image" if values and all(REMOTE_IMAGE.match(v.strip()) for v in values) else None


def _zip_kind(file: pq.ParquetFile, name: str, media: ZipMedia) -> str | None:
    values = _distinct(file, name)
    suffixes = {suffix(v.strip()) for v in values}
    if not values or not (suffixes <= set(IMAGE_SUFFIXES) or suffixes == {NPY_SUFFIX}):
        return None
    if not any(media.resolve(v) for v in values):
        return None
    return "tensor" if suffixes == {NPY_SUFFIX} else "image"


def _store(file: pq.ParquetFile, name: str, kind: str, media: ZipMedia, source: str) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for value in _distinct(file, name):
        entry = media.resolve(value)
        try:
            mapping[value] = media.store(entry, kind == "tensor") if entry else None
        except InvalidInput as error:
            raise InvalidInput(f"{source}: column {name!r}, value {value!r}: {error.message}") from None
    return mapping


def _missing_warnings(file: pq.ParquetFile, found: dict[str, tuple[str, dict[str, str | None]]], source: str) -> list[IngestWarning]:
    notes = []
    for name, (kind, mapping) in found.items():
        missing = [v for v, stored in mapping.items() if stored is None]
        if not missing:
            continue
        column = file.read(columns=[name]).column(0)
        rows = pc.sum(pc.is_in(column, value_set=pa.array(missing))).as_py() or 0
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        what = "images" if kind == "image" else "npy files"
        notes.append(IngestWarning(name, f"{rows:,} rows name {what} missing from {source.split(':')[0]} ({shown}); "
                                         "their values are empty, so experiments cannot use this feature"))
    return notes


def _rewrite(file: pq.ParquetFile, destination: str, fs: fsspec.AbstractFileSystem,
             found: dict[str, tuple[str, dict[str, str | None]]]) -> None:
    metadata = dict(file.schema_arrow.metadata or {})
    types = json.loads(metadata.get(META_TYPES.encode(), b"{}"))
    types.update({name: kind for name, (kind, _) in found.items()})
    metadata[META_TYPES.encode()] = json.dumps(types).encode()
    schema = file.schema_arrow.with_metadata(metadata)
    partial = f"{destination}.media.partial"
    try:
        with fs.open(partial, "wb") as out, pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for batch in file.iter_batches(batch_size=65_536):
                columns = [
                    _mapped(batch.column(i), found[field.name][1]) if field.name in found and found[field.name][1] else batch.column(i)
                    for i, field in enumerate(batch.schema)
                ]
                writer.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
        fs.mv(partial, destination)
    finally:
        if fs.exists(partial):
            fs.rm(partial)


def _mapped(column: pa.Array, mapping: dict[str, str | None]) -> pa.Array:
    values = [None if v is None else mapping.get(v, v if v.strip() else None) for v in column.to_pylist()]
    return pa.array(values, column.type)
