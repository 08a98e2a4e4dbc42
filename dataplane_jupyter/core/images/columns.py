"""Feature options, arrays and previews of one column of a dataset or of an image folder.

`DatasetColumn` and `FolderColumn` say where a column's values are and how to open its files;
everything else (options, defaults, decoding) is shared.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, TYPE_CHECKING, Any, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from dataplane_jupyter.core.catalog import schema
from dataplane_jupyter.core.datasets.npy import META_SHAPES
from dataplane_jupyter.core.errors import InvalidInput, NotFound

from . import features as f
from .remote import RemoteImages
from .tensors import Fills, ImageDecoder, common_shape, inline_batch, npy_batch, rebatch, workers
from .transform import Unusable, open_image

if TYPE_CHECKING:
    from dataplane_jupyter.core.datasets.datasets import Dataset
    from dataplane_jupyter.core.images.folders import ImageFolder

SAMPLE_REMOTE = 16
SAMPLE_LOCAL = 200
DEFAULT_BATCH = 256
ARRAY_TYPES = ("image", "tensor", "numeric")


class Column:
    """A column whose values are image files (or tensors) somewhere in storage or in buckets."""

    owner: f.Owner
    name: str
    project: Any

    # -- to be given by the two kinds ----------------------------------------------------------
    def kind(self) -> str:
        raise NotImplementedError

    def rows(self) -> int:
        raise NotImplementedError

    def value_batches(self, size: int) -> Iterator[pa.Array]:
        raise NotImplementedError

    def open_value(self, value: str) -> IO[bytes]:
        raise NotImplementedError
    def found(self) -> f.Found | None: ...

    # -- options -------------------------------------------------------------------------------
    @property
    def engine(self) -> sa.Engine:
        return self.project.catalog.engine

    def defaults(self) -> tuple[f.FeatureOptions, dict[str, str], f.Found | None]:
        """The defaults, computed once from what the column holds and then kept (version 0)."""
        for row in f.stored_versions(self.engine, self.owner, self.name):
            if row.version == 0:
                saved = row.options
                found = f.Found(saved["sizes"], saved["modes"], saved["distinct_sizes"]) if saved.get("inspected") else None
                return f.FeatureOptions.model_validate(saved["defaults"]), saved["reasons"], found
            break
        found = self.found()
        defaults, reasons = f.choose_defaults(found or f.Found({}, {}, 0))
        payload = {"defaults": defaults.model_dump(mode="json"), "reasons": reasons, "inspected": found is not None,
                   **({"sizes": found.sizes, "modes": found.modes, "distinct_sizes": found.distinct_sizes} if found else {})}
        try:
            with self.engine.begin() as connection:
                connection.execute(schema.feature_options.insert().values(
                    id=schema.new_id(), project_id=self.owner.project_id, dataset_id=self.owner.dataset_id,
                    image_folder_id=self.owner.image_folder_id, column_name=self.name, version=0,
                    options=payload, created_by=""))
        except sa.exc.IntegrityError:
            pass  # someone else stored them first: the same figures
        return defaults, reasons, found

    def options(self) -> f.DescribeFeatureOptions:
        """The options in force (the latest version, else the defaults)."""
        self._require_image()
        defaults, reasons, found = self.defaults()
        versions = [r for r in f.stored_versions(self.engine, self.owner, self.name) if r.version > 0]
        return f.describe(self.name, versions[-1] if versions else None, defaults, reasons, found)

    def history(self) -> list[f.DescribeFeatureOptions]:
        """Every version set so far, oldest first (the defaults are not a version)."""
        self._require_image()
        defaults, reasons, found = self.defaults()
        return [f.describe(self.name, r, defaults, reasons, found)
                for r in f.stored_versions(self.engine, self.owner, self.name) if r.version > 0]

    def at_version(self, version: int | None) -> f.FeatureOptions:
        """The options of one version (None: the current ones; 0: the defaults)."""
        if version is None:
            return f.FeatureOptions.model_validate(self.options().model_dump(include=set(f.FeatureOptions.model_fields)))
        if version == 0:
            return self.defaults()[0]
        for row in f.stored_versions(self.engine, self.owner, self.name):
            if row.version == version:
                return f.FeatureOptions.model_validate(row.options)
        raise NotFound(f"{self.owner.label}, column {self.name!r}, has no options version {version}.")

    def set_options(self, *, transformation: str | None = None, size: Any = None, color_mode: str | None = None,
                    fill: str | None = None) -> f.DescribeFeatureOptions:
        """Store a new version (fields not given keep their current value); nothing is recomputed."""
        current = self.options()
        base = f.FeatureOptions.model_validate(current.model_dump(include=set(f.FeatureOptions.model_fields)))
        if transformation == "none" and size is None and current.sizes:
            size = next(iter(current.sizes))  # `none` keeps the one size the images have
        chosen = f.make_options(base, transformation=transformation, size=size, color_mode=color_mode, fill=fill)
        f.refuse_none(chosen, self.defaults()[2], self.owner.label)
        if chosen == base and not current.is_default:
            return current  # nothing changed: no new version
        f.store_version(self.engine, self.owner, self.name, chosen, self.project.catalog.user)
        return self.options()

    def trial(self, *, transformation: str | None = None, size: Any = None, color_mode: str | None = None,
              fill: str | None = None) -> f.FeatureOptions | None:
        """The current options with some fields replaced, not stored (None when none is given)."""
        if transformation is None and size is None and color_mode is None and fill is None:
            return None
        chosen = f.make_options(self.at_version(None), transformation=transformation, size=size,
                                color_mode=color_mode, fill=fill)
        f.refuse_none(chosen, self.defaults()[2], self.owner.label)
        return chosen

    def _require_image(self) -> None:
        if self.kind() != "image":
            raise InvalidInput(f"Column {self.name!r} of {self.owner.label} holds {self.kind()} values: feature "
                               "options (transformation, color mode) apply to image columns.", field="column")

    # -- arrays --------------------------------------------------------------------------------
    def iter_arrays(self, batch_size: int = DEFAULT_BATCH, *, version: int | None = None, connector: str | None = None,
                    max_parallel: int | None = None, timeout: float | None = None, threads: int | None = None,
                    options: f.FeatureOptions | None = None, _stacklevel: int = 3) -> Iterator[np.ndarray]:
        """float32 batches of `batch_size` examples; one ImageFillWarning at the end if rows were filled."""
        if not isinstance(batch_size, int) or batch_size < 1:
            raise InvalidInput(f"batch_size must be a whole number of at least 1, not {batch_size!r}.", field="batch_size")
        kind = self.kind()
        if kind not in ARRAY_TYPES:
            raise InvalidInput(f"Column {self.name!r} of {self.owner.label} holds {kind} values; arrays come from "
                               "image, tensor and numeric columns.", field="column")
        fills = Fills(self.name)
        first = 0
        if kind == "image":
            chosen = options or self.at_version(version)
            limits: dict[str, Any] = {k: v for k, v in (("max_parallel", max_parallel), ("timeout", timeout)) if v is not None}
            remote = RemoteImages(self.project, connector=connector,
                                  **limits)
            with ImageDecoder(chosen, self.open_value, remote, threads) as decoder:
                for chunk in self.value_batches(batch_size):
                    yield decoder.batch(chunk.to_pylist(), first, fills)
                    first += len(chunk)
        elif self.stored_inline():
            shape = self.inline_shape()
            for chunk in self.value_batches(batch_size):
                yield inline_batch(chunk, shape, first, fills)
                first += len(chunk)
        else:
            shape = common_shape(self.npy_shapes(), self.name)
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=threads or workers()) as pool:
                for chunk in self.value_batches(batch_size):
                    yield npy_batch(chunk.to_pylist(), shape, self.open_value, first, fills, pool)
                    first += len(chunk)
        fills.warn(_stacklevel)  # the warning points at the caller's line

    def to_numpy(self, **kwargs: Any) -> np.ndarray:
        """The whole column as one float32 array (N×H×W×C for images, N×… for tensors)."""
        batches = list(self.iter_arrays(kwargs.pop("batch_size", 1024), _stacklevel=5, **kwargs))
        if batches:
            return np.concatenate(batches) if len(batches) > 1 else batches[0]
        return np.zeros((0, *self.example_shape(kwargs.get("version"))), dtype=np.float32)

    def example_shape(self, version: int | None = None) -> tuple[int, ...]:
        kind = self.kind()
        if kind == "image":
            return self.at_version(version).shape
        if self.stored_inline():
            return self.inline_shape()
        return common_shape(self.npy_shapes(), self.name)

    # tensor columns (datasets only)
    def stored_inline(self) -> bool:
        return True

    def inline_shape(self) -> tuple[int, ...]:
        return ()

    def npy_shapes(self) -> dict[str, int] | None:
        return None


class DatasetColumn(Column):
    """A column of a dataset: values in its Parquet file, files under its folder."""

    def __init__(self, dataset: "Dataset", name: str) -> None:
        self.dataset = dataset
        self.project = dataset.project
        self.name = name
        info = dataset.info
        self.owner = f.Owner(info.project_id, f"dataset {info.name!r}", dataset_id=info.id)
        self._entry = self._statistics_entry()

    def _statistics_entry(self) -> dict[str, Any]:
        for entry in self.dataset.statistics()["columns"]:
            if entry["name"] == self.name:
                return entry
        raise NotFound(f"Dataset {self.dataset.info.name!r} has no column {self.name!r}.")

    def kind(self) -> str:
        return str(self._entry.get("type") or "")

    def rows(self) -> int:
        return int(self.dataset.info.rows or 0)

    def _file(self) -> pq.ParquetFile:
        return pq.ParquetFile(self.project.catalog.storage.open_arrow(self.dataset._data_path))

    def value_batches(self, size: int) -> Iterator[pa.Array]:
        file = self._file()
        chunks = (batch.column(0) for batch in file.iter_batches(batch_size=max(size, 1024), columns=[self.name]))
        yield from rebatch(chunks, size)

    def open_value(self, value: str) -> IO[bytes]:
        return self.project.catalog.storage.open(f"{self.dataset._folder}/{value}")

    def found(self) -> f.Found | None:
        media = self._entry.get("media")
        found = f.found_in_statistics(media)
        if found is not None and (found.sizes or not (media or {}).get("remote")):
            return found
        return self._sample()

    def _sample(self) -> f.Found | None:
        """Sizes and modes of a few images, read now (statistics without sizes, bucket URLs)."""

        values = []
        for chunk in self.value_batches(SAMPLE_LOCAL):
            values = [v.strip() for v in chunk.to_pylist() if isinstance(v, str) and v.strip()]
            break
        remote = [v for v in values if "://" in v][:SAMPLE_REMOTE]
        local = [v for v in values if "://" not in v]
        blobs: list[bytes] = [d for d in RemoteImages(self.project).fetch(list[str | None](remote)).data if d] if remote else []
        sizes: Counter[str] = Counter()
        modes: Counter[str] = Counter()
        for value in local:
            try:
                with self.open_value(value) as stream:
                    blobs.append(stream.read())
            except OSError:
                continue
        for data in blobs:
            try:
                image = open_image(data)
            except Unusable:
                continue
            sizes[f"{image.width}×{image.height}"] += 1
            modes[image.mode] += 1
        return f.Found.of(sizes, modes) if sizes else None

    def stored_inline(self) -> bool:
        field_type = self._file().schema_arrow.field(self.name).type
        return not (pa.types.is_string(field_type) or pa.types.is_large_string(field_type))

    def inline_shape(self) -> tuple[int, ...]:
        file = self._file()
        shapes = json.loads((file.schema_arrow.metadata or {}).get(META_SHAPES.encode(), b"{}"))
        if self.name in shapes:
            return tuple(int(d) for d in shapes[self.name])
        field_type = file.schema_arrow.field(self.name).type
        if pa.types.is_fixed_size_list(field_type):
            return (field_type.list_size,)
        return ()

    def npy_shapes(self) -> dict[str, int] | None:
        return (self._entry.get("media") or {}).get("shapes")


class FolderColumn(Column):
    """The images of an image folder, as one column named `image` (through the folder's public
    methods: the folder module uses this one, not the other way round)."""

    def __init__(self, folder: "ImageFolder") -> None:
        self.folder = folder
        self.project = folder.project
        self.name = f.FOLDER_COLUMN
        info = folder.info
        self.owner = f.Owner(info.project_id, f"image folder {info.name!r}", image_folder_id=info.id)
        self._images = folder.images()  # the manifest, in archive order (InvalidState until ready)

    def kind(self) -> str:
        return "image"

    def rows(self) -> int:
        return len(self._images)

    def value_batches(self, size: int) -> Iterator[pa.Array]:
        paths = pa.array([image.path for image in self._images], pa.string())
        for start in range(0, len(paths), size):
            yield paths.slice(start, size)

    def open_value(self, value: str) -> IO[bytes]:
        import io

        return io.BytesIO(self.folder.image(value))

    def found(self) -> f.Found | None:
        if not self._images:
            return None
        return f.Found.of(Counter(f"{i.width}×{i.height}" for i in self._images), Counter(i.mode for i in self._images))
