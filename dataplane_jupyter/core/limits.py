"""The resource limits that keep one user's upload from hurting the machine, in one place.

Every limit is read from a `DATAPLANE_*` environment variable when it is needed (worker
processes inherit the server's environment), with a default sized from the machine; see
docs/limits.md for the table. Sizes accept a plain number of bytes or a unit: `512MB`, `2GiB`.

- `max_columns`: a file wider than this is refused before anything is read past its header.
- `max_jobs`: concurrent jobs per machine (per catalog); more wait `queued`, in line.
- `worker_memory`: a worker process using more is stopped, and its job fails saying so.
- `duckdb_memory`: the memory_limit of every DuckDB connection a worker opens (part of the
  worker's allowance: DuckDB spills to disk beyond it).
- `max_decompressed_bytes` / `max_ratio`: what a zip or `.csv.gz` may inflate to.
- `max_line_bytes`: the longest line a CSV may have.
- `cancel_grace`: seconds a cancelled job gets to stop by itself before its worker is killed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import psutil

from dataplane_jupyter.core.errors import InvalidInput

_UNITS = {"": 1, "B": 1, "K": 1000, "KB": 1000, "KIB": 1 << 10, "M": 1000**2, "MB": 1000**2,
          "MIB": 1 << 20, "G": 1000**3, "GB": 1000**3, "GIB": 1 << 30, "T": 1000**4, "TB": 1000**4,
          "TIB": 1 << 40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$")


def parse_size(text: str, variable: str) -> int:
    """`"2GiB"` → 2147483648; ValueError naming the variable for anything else."""
    match = _SIZE.match(str(text))
    unit = match.group(2).upper() if match else ""
    if not match or unit not in _UNITS:
        raise ValueError(f"{variable}={text!r} is not a size: write bytes or e.g. 512MB, 2GiB.")
    return int(float(match.group(1)) * _UNITS[unit])


def human(size: float) -> str:
    """1536 → '1.5 KiB'."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


def _env_size(variable: str, default: int) -> int:
    value = os.environ.get(variable)
    return parse_size(value, variable) if value else default


def env_number(variable: str, default: float, kind: type = int) -> float:
    value = os.environ.get(variable)
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"{variable}={value!r} is not a number.") from None
    if number <= 0:
        raise ValueError(f"{variable} must be more than 0, not {value!r}.")
    return number


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module docstring); `Limits.from_env()` reads them."""

    max_columns: int
    max_jobs: int
    worker_memory: int
    duckdb_memory: int
    max_decompressed_bytes: int
    max_ratio: float
    max_line_bytes: int
    cancel_grace: float

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults sized from this machine, overridden by the DATAPLANE_* variables."""
        max_jobs = int(env_number("DATAPLANE_MAX_JOBS", os.cpu_count() or 1))
        # all the workers that may run at once stay within 80 % of the machine's memory
        worker_memory = _env_size(
            "DATAPLANE_WORKER_MEMORY", max(1 << 30, int(psutil.virtual_memory().total * 0.8 / max_jobs))
        )
        duckdb_memory = _env_size("DATAPLANE_DUCKDB_MEMORY", min(1 << 30, worker_memory * 2 // 5))
        return cls(
            max_columns=int(env_number("DATAPLANE_MAX_COLUMNS", 2_000)),  # 20,000 took GBs and minutes
            max_jobs=max_jobs,
            worker_memory=worker_memory,
            duckdb_memory=min(duckdb_memory, worker_memory),
            max_decompressed_bytes=_env_size(
                "DATAPLANE_MAX_DECOMPRESSED_BYTES", _env_size("DATAPLANE_ZIP_MAX_BYTES", 20 << 30)),
            max_ratio=float(env_number(
                "DATAPLANE_MAX_DECOMPRESSION_RATIO", env_number("DATAPLANE_ZIP_MAX_RATIO", 200.0, float), float)),
            max_line_bytes=_env_size("DATAPLANE_MAX_LINE_BYTES", 16 << 20),
            cancel_grace=float(env_number("DATAPLANE_CANCEL_GRACE", 3.0, float)),
        )


def duckdb_memory_limit() -> str:
    """The `memory_limit` setting for a new DuckDB connection (bytes, as DuckDB reads them)."""
    return f"{Limits.from_env().duckdb_memory}B"


def check_columns(count: int, source: str) -> None:
    """Refuse a file wider than DATAPLANE_MAX_COLUMNS, naming its width, before it is read."""
    limit = Limits.from_env().max_columns
    if count > limit:
        raise InvalidInput(
            f"{source} has {count:,} columns; at most {limit:,} are accepted (each column costs memory in every "
            "step). Keep the columns you need, or raise the limit with the environment variable DATAPLANE_MAX_COLUMNS.",
            field="source",
        )


def check_first_line(path: str | os.PathLike[str], source: str, *, chunk: int = 1 << 20) -> None:
    """Refuse a file whose first line is longer than DATAPLANE_MAX_LINE_BYTES, naming its length.

    Readers call this when their sample holds a single line: a file that is one endless line
    (no line break) otherwise reads as "a header and no data". Reads at most the limit.
    """
    limit = Limits.from_env().max_line_bytes
    length = 0
    with open(path, "rb") as stream:
        while length <= limit:
            block = stream.read(chunk)
            if not block:
                return  # the whole file is one line within the limit: the reader says what it lacks
            newline = block.find(b"\n")
            if newline >= 0:
                length += newline
                break
            length += len(block)
        total = os.fstat(stream.fileno()).st_size
    if length > limit:
        raise InvalidInput(
            f"{source}: line 1 is longer than {human(limit)} (no line break in its first {human(length)}; "
            f"the file is {human(total)}). Lines may be at most {human(limit)} "
            f"(DATAPLANE_MAX_LINE_BYTES); is this really a CSV file with one row per line?"
        )
