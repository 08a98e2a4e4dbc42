"""NumPy `.npy` files: header checks (32-bit float, little-endian, C order) and tensor columns.

The header is read with `numpy.lib.format` without loading the array; arrays are then read
through a memory map (local files) or in slices, and written to Parquet as one column whose
rows are the examples along the first dimension: a float32 column for a 1-D array, a
fixed-size list of float32 (the flattened example) otherwise, its shape kept in the file's
key-value metadata under :data:`META_SHAPES`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import IO

import numpy as np
import pyarrow as pa
from numpy.lib import format as npformat

from dataplane_jupyter.core.errors import InvalidInput

MAGIC = b"\x93NUMPY"
META_SHAPES = "dataplane.shapes"
ACCEPTED = "<f4"


@dataclass(frozen=True)
class NpyHeader:
    """What the header says: shape, dtype, order, and where the data starts."""

    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    offset: int


def read_header(stream: IO[bytes], name: str) -> NpyHeader:
    """The header of an .npy stream (positioned at its start); InvalidInput if it is not one."""
    try:
        version = npformat.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npformat.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = npformat.read_array_header_2_0(stream)
        else:  # version 3 only differs for structured dtypes with non-latin-1 names: refused anyway
            raise ValueError(f"header version {version[0]}.{version[1]} is not supported; save a plain float32 array")
    except (ValueError, OSError, SyntaxError) as error:
        raise InvalidInput(f"{name} is not a readable .npy file ({error}).") from None
    return NpyHeader(tuple(int(d) for d in shape), np.dtype(dtype), bool(fortran), stream.tell())


def check_header(header: NpyHeader, name: str) -> None:
    """Refuse anything but 32-bit float, little-endian, C-ordered data, saying how to fix it."""
    dtype = header.dtype
    if dtype.kind != "f" or dtype.itemsize != 4 or dtype.fields is not None:
        raise InvalidInput(
            f"{name} holds {dtype} values; only 32-bit floats are accepted (the GPU format). "
            f"Convert before saving: np.save(path, A.astype('float32'))."
        )
    if dtype.str != ACCEPTED:
        raise InvalidInput(
            f"{name} is saved in big-endian byte order ({dtype.str}); only little-endian is accepted. "
            f"Convert before saving: np.save(path, A.astype('<f4')) (or A.byteswap().view(A.dtype.newbyteorder()))."
        )
    if header.fortran_order and len(header.shape) > 1:
        raise InvalidInput(
            f"{name} is saved in Fortran order; only C order is accepted. "
            f"Convert before saving: np.save(path, np.ascontiguousarray(A))."
        )


def checked_header(stream: IO[bytes], name: str) -> NpyHeader:
    """`read_header` then `check_header`."""
    header = read_header(stream, name)
    check_header(header, name)
    return header


def load_example(stream: IO[bytes], name: str, max_bytes: int = 1 << 30) -> np.ndarray:
    """One checked array read whole (one example of a per-example npy column)."""
    header = checked_header(stream, name)
    count = math.prod(header.shape)
    if count * 4 > max_bytes:
        raise InvalidInput(f"{name} holds {count:,} values, more than one example may ({max_bytes // 4:,}).")
    data = stream.read(count * 4)
    if len(data) != count * 4:
        raise InvalidInput(f"{name} is truncated: its header announces {count:,} values.")
    return np.frombuffer(data, dtype=ACCEPTED).reshape(header.shape)


def examples_type(shape: tuple[int, ...]) -> pa.DataType:
    """The Arrow type of one example of an array of `shape` (examples along the first axis)."""
    width = math.prod(shape[1:])
    return pa.float32() if len(shape) == 1 else pa.list_(pa.float32(), width)


def iter_example_batches(stream: IO[bytes], header: NpyHeader, name: str, rows_per_batch: int = 8192):
    """The examples as Arrow arrays, a slice of rows at a time (never the whole array)."""
    if not header.shape:
        raise InvalidInput(f"{name} holds a single number (a 0-d array); save at least one dimension, one row per example.")
    rows, width = header.shape[0], math.prod(header.shape[1:])
    stream.seek(header.offset)
    arrow_type = examples_type(header.shape)
    for start in range(0, rows, rows_per_batch):
        count = min(rows_per_batch, rows - start)
        data = stream.read(count * width * 4)
        if len(data) != count * width * 4:
            raise InvalidInput(f"{name} is truncated: its header announces {rows:,} examples of {width:,} values.")
        flat = pa.array(np.frombuffer(data, dtype=ACCEPTED), pa.float32())
        yield flat if arrow_type == pa.float32() else pa.FixedSizeListArray.from_arrays(flat, width)


def shapes_metadata(shapes: dict[str, list[int]]) -> dict[bytes, bytes]:
    """Parquet key-value metadata recording each tensor column's example shape."""
    return {META_SHAPES.encode(): json.dumps(shapes).encode()}
