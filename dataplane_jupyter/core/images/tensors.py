"""Fixed-size float32 arrays out of image and tensor columns.

Images: each value (a stored file's path, or a gs:// / s3:// URL) is decoded with Pillow and
transformed by the column's feature options into H×W×C values in [0, 1]; decoding runs on a
pool of threads (one per core: Pillow releases the GIL while it decodes and resizes). A row
whose image is missing or unusable gets zeros — the documented fill — and is counted; the
count and the first reasons are given in one `ImageFillWarning`, never an exception.

Tensors: inline columns (fixed-size lists of float32, shape in the file's metadata, or plain
float32 for one value per example) are reshaped without decoding; columns of .npy paths are
read file by file. Missing or unusable examples are zeros as well, and counted.
"""

from __future__ import annotations

import math
import os
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dataplane_jupyter.core.datasets.npy import load_example
from dataplane_jupyter.core.errors import InvalidInput

from .features import FeatureOptions
from .remote import RemoteImages
from .transform import CHANNELS, Unusable, decode

LISTED = 5


class ImageFillWarning(UserWarning):
    """Some rows had no usable image or tensor and were filled with zeros."""


@dataclass
class Fills:
    """Rows filled with zeros, and why (counted for the warning)."""

    column: str
    rows: int = 0
    empty: int = 0
    unusable: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, row: int, why: str | None) -> None:
        if why is None:
            self.empty += 1
        else:
            self.unusable += 1
            if len(self.examples) < LISTED:
                self.examples.append(f"row {row}: {why}")

    @property
    def count(self) -> int:
        return self.empty + self.unusable

    def message(self) -> str:
        parts = [f"{self.empty:,} empty"] if self.empty else []
        if self.unusable:
            parts.append(f"{self.unusable:,} unusable ({'; '.join(self.examples)}"
                         + (f"; and {self.unusable - len(self.examples):,} more" if self.unusable > len(self.examples) else "") + ")")
        return f"column {self.column!r}: {self.count:,} of {self.rows:,} rows filled with zeros: {', '.join(parts)}"

    def warn(self, stacklevel: int) -> None:
        if self.count:
            warnings.warn(self.message(), ImageFillWarning, stacklevel=stacklevel)


def workers() -> int:
    """Decoding threads: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ImageDecoder:
    """Decodes batches of image values (stored paths or bucket URLs) into float32 N×H×W×C."""

    def __init__(self, options: FeatureOptions, read_local: Callable[[str], IO[bytes]],
                 remote: RemoteImages | None, threads: int | None = None) -> None:
        self.options = options
        self.read_local = read_local
        self.remote = remote
        self.threads = threads or workers()
        self.pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="dataplane-decode")

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def __enter__(self) -> "ImageDecoder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def batch(self, values: list[str | None], first_row: int, fills: Fills) -> np.ndarray:
        """One batch: an array of len(values) examples; failures are zeros, noted in `fills`."""
        out = np.zeros((len(values), *self.options.shape), dtype=np.float32)
        clean = [v.strip() if isinstance(v, str) and v.strip() else None for v in values]
        urls = [v if v is not None and "://" in v else None for v in clean]
        fetched: dict[int, bytes] = {}
        failed: dict[int, str] = {}
        if any(urls):
            remote = self.remote or RemoteImages(None)
            got = remote.fetch(urls)
            fetched = {i: d for i, d in enumerate(got.data) if d is not None}
            failed.update(got.errors)

        def one(i: int) -> str | None:
            value = clean[i]
            try:
                data = fetched[i] if i in fetched else _read(self.read_local, str(value))
                np.divide(decode(data, self.options), np.float32(255), out=out[i], dtype=np.float32)
                return None
            except Unusable as error:
                return f"{value}: {error}"
            except (OSError, InvalidInput) as error:
                return f"{value}: cannot read it ({error})"

        def run(chunk: list[int]) -> list[tuple[int, str]]:
            return [(i, why) for i in chunk if (why := one(i)) is not None]

        todo = [i for i, v in enumerate(clean) if v is not None and i not in failed]
        # A few contiguous chunks per thread rather than one task per image: fewer hand-offs.
        size = max(1, -(-len(todo) // (self.threads * 4)))
        for found in self.pool.map(run, [todo[k:k + size] for k in range(0, len(todo), size)]):
            failed.update(found)
        fills.rows += len(values)
        for i, v in enumerate(clean):
            if v is None:
                fills.add(first_row + i, None)
            elif i in failed:
                fills.add(first_row + i, failed[i])
        return out


def _read(read_local: Callable[[str], IO[bytes]], value: str) -> bytes:
    with read_local(value) as stream:
        return stream.read()


# -- tensor columns ------------------------------------------------------------------------------

def inline_batch(chunk: pa.Array, shape: tuple[int, ...], first_row: int, fills: Fills) -> np.ndarray:
    """Examples stored in the file (float32, or fixed-size lists of float32) as N×shape float32."""
    n = len(chunk)
    out = np.zeros((n, *shape), dtype=np.float32)
    fills.rows += n
    valid = np.asarray(chunk.is_valid().to_numpy(zero_copy_only=False), dtype=bool) if chunk.null_count else np.ones(n, bool)
    if pa.types.is_fixed_size_list(chunk.type) or pa.types.is_list(chunk.type) or pa.types.is_large_list(chunk.type):
        present = chunk.filter(pa.array(valid)) if chunk.null_count else chunk
        flat = pc.list_flatten(present).to_numpy(zero_copy_only=False).astype(np.float32, copy=False)
        width = math.prod(shape)
        if flat.size != len(present) * width:
            raise InvalidInput(f"column {fills.column!r} holds lists of varying lengths; expected {width:,} values per row.")
        out[valid] = np.nan_to_num(flat.reshape(len(present), *shape), nan=0.0)
    else:
        values = chunk.to_numpy(zero_copy_only=False).astype(np.float32)
        out[valid] = np.nan_to_num(values[valid], nan=0.0).reshape(-1, *shape)
    for i in np.flatnonzero(~valid):
        fills.add(first_row + int(i), None)
    return out


def npy_batch(values: list[str | None], shape: tuple[int, ...], read_local: Callable[[str], IO[bytes]],
              first_row: int, fills: Fills, pool: ThreadPoolExecutor) -> np.ndarray:
    """Examples stored as .npy files (one per row) as N×shape float32."""
    out = np.zeros((len(values), *shape), dtype=np.float32)
    clean = [v.strip() if isinstance(v, str) and v.strip() else None for v in values]

    def one(i: int) -> str | None:
        value = clean[i]
        try:
            with read_local(str(value)) as stream:
                array = load_example(stream, str(value))
        except (OSError, InvalidInput) as error:
            return f"{value}: {error}"
        if tuple(array.shape) != shape:
            return f"{value}: shape {'×'.join(map(str, array.shape)) or 'scalar'}, not {'×'.join(map(str, shape))}"
        out[i] = array
        return None

    todo = [i for i, v in enumerate(clean) if v is not None]
    reasons = dict(zip(todo, pool.map(one, todo)))
    fills.rows += len(values)
    for i, v in enumerate(clean):
        if v is None:
            fills.add(first_row + i, None)
        elif reasons.get(i):
            fills.add(first_row + i, reasons[i])
    return out


def common_shape(shapes: dict[str, int] | None, column: str) -> tuple[int, ...]:
    """The most common example shape from the statistics ("20×10" → (20, 10); "scalar" → ())."""
    if not shapes:
        raise InvalidInput(f"column {column!r} has no readable .npy file: its shape is unknown.", field="column")
    label = Counter(shapes).most_common(1)[0][0]
    return () if label == "scalar" else tuple(int(d) for d in label.split("×"))


def rebatch(chunks: Iterator[pa.Array], size: int) -> Iterator[pa.Array]:
    """Arrow arrays of exactly `size` rows (the last one shorter)."""
    pending: list[pa.Array] = []
    held = 0
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        while held >= size:
            joined = pa.concat_arrays(pending)
            yield joined.slice(0, size)
            rest = joined.slice(size)
            pending, held = ([rest] if len(rest) else []), len(rest)
    if held:
        yield pa.concat_arrays(pending)


def channels_of(options: FeatureOptions) -> int:
    return CHANNELS[options.color_mode]
