"""Getting the CSV onto local disk as UTF-8, and the all-text DuckDB scan of it.

Bad rows (too many or too few fields, broken quotes, invalid UTF-8, overlong lines) refuse the
whole file with a message naming the file and the physical line numbers (counted in the file,
so a quoted newline counts as a line).
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO

import duckdb

from dataplane_jupyter.core.errors import InvalidInput, option_hint
from dataplane_jupyter.core.ingest.encoding import UTF8, UTF8_BOM, transcode_to_utf8
from dataplane_jupyter.core.ingest.model import CsvFormat, Progress
from dataplane_jupyter.core.ingest.sqltypes import literal

MAX_LINE_BYTES = 16 << 20
_REPORTED_LINES = 5
_FOUND = re.compile(r"Found:\s*(\d+)")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def local_utf8_copy(f: BinaryIO, fmt: CsvFormat, workdir: Path, *, source: str,
                    progress: Progress, total_bytes: int | None,
                    share: tuple[float, float]) -> Path:
    """A local UTF-8 path with the file's content: the file itself when it already is one."""
    direct = _local_path(f)
    if direct is not None and fmt.encoding in (UTF8, UTF8_BOM):
        return direct
    dest = workdir / "source.utf8.csv"
    with open(dest, "wb") as out:
        transcode_to_utf8(f, out, fmt.encoding, source=source, progress=progress,
                          total_bytes=total_bytes or _size(f), share=share)
    return dest


def _local_path(f: BinaryIO) -> Path | None:
    name = getattr(f, "name", None)
    if not isinstance(name, str) or not hasattr(f, "fileno") or _decompresses(f):
        return None
    try:
        same = os.path.samestat(os.fstat(f.fileno()), os.stat(name))
        at_start = f.tell() == 0
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return Path(name) if same and at_start else None


def _decompresses(f: BinaryIO) -> bool:
    """True for a decompressing wrapper (gzip, bz2, lzma...): its `name` is the compressed file."""
    import bz2
    import gzip
    import lzma

    return isinstance(f, (gzip.GzipFile, bz2.BZ2File, lzma.LZMAFile))


def _size(f: BinaryIO) -> int | None:
    size = getattr(f, "size", None)
    return size if isinstance(size, int) else None


def csv_source(path: Path, fmt: CsvFormat, names: list[str], *, max_line_bytes: int | None = None) -> str:
    """SQL reading the CSV with every column as VARCHAR; bad rows go to ``reject_errors``.
    ``max_line_bytes``: the longest line there can be (known after a first scan), under
    :data:`MAX_LINE_BYTES`; DuckDB's read buffers are sized from it."""
    line = min(MAX_LINE_BYTES, max(max_line_bytes or MAX_LINE_BYTES, 1 << 20))
    columns = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names) + "}"
    return (
        f"read_csv({literal(str(path))}, auto_detect = false, delim = {literal(fmt.separator)}, "
        f"quote = {literal(fmt.quotechar)}, escape = {literal(fmt.quotechar)}, "
        f"header = {str(fmt.header).lower()}, columns = {columns}, store_rejects = true, "
        f"rejects_limit = 100, max_line_size = {line}, "
        f"strict_mode = true, null_padding = false, encoding = 'utf-8')"
    )


class RowsRejected(Exception):
    """The strict scan rejected rows the careful path reads (field counts, quotes)."""


#: Rejections that the careful path cannot mend: they stay refusals.
_HARD = ("INVALID ENCODING", "LINE SIZE OVER MAXIMUM")


def refuse_rejected_rows(con: duckdb.DuckDBPyConnection, path: Path, width: int, *,
                         source: str) -> None:
    """After a :func:`csv_source` scan: ``InvalidInput`` naming the lines of an invalid
    encoding or an overlong line, :class:`RowsRejected` for rows of another shape."""
    rejects = con.execute(
        "SELECT line, line_byte_position, error_type, error_message FROM reject_errors "
        "ORDER BY line LIMIT 1000"
    ).fetchall()
    if not rejects:
        return
    if not any(r[2].upper() in _HARD for r in rejects):
        raise RowsRejected(f"{len(rejects)} rows rejected by the strict scan")
    rejects = [r for r in rejects if r[2].upper() in _HARD]
    lines = physical_lines(path, [r[1] for r in rejects[:_REPORTED_LINES]])
    details = [_describe(kind, msg, line, width)
               for (_, _, kind, msg), line in zip(rejects, lines)]
    more = f" ({len(rejects)} bad rows in all)" if len(rejects) > _REPORTED_LINES else ""
    raise InvalidInput(f"{source}: " + "; ".join(details) + more)


def _describe(kind: str, message: str, line: int, width: int) -> str:
    kind = kind.upper()
    if kind in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        found = _FOUND.search(message)
        got = found.group(1) if found else ("more" if kind.startswith("TOO") else "fewer")
        return f"line {line} has {got} fields, expected {width}"
    if kind == "INVALID ENCODING":
        return f"line {line} is not valid UTF-8 (give the file's encoding, e.g. {option_hint('encoding', 'cp1252')})"
    if kind == "LINE SIZE OVER MAXIMUM":
        return (f"line {line} is longer than {MAX_LINE_BYTES // (1 << 20)} MiB "
                "(a cell may hold at most 50,000 characters)")
    if kind in ("UNQUOTED VALUE", "UNTERMINATED QUOTE"):
        return f"line {line} has a quote that is not closed properly"
    return f"line {line}: {message}"


def physical_lines(path: Path, byte_positions: list[int]) -> list[int]:
    """1-based line numbers of byte offsets in ``path`` (one streaming pass)."""
    wanted = sorted(set(byte_positions))
    found: dict[int, int] = {}
    newlines, offset = 0, 0
    with open(path, "rb") as stream:
        for position in wanted:
            while offset < position:
                chunk = stream.read(min(1 << 20, position - offset))
                if not chunk:
                    break
                newlines += chunk.count(b"\n")
                offset += len(chunk)
            found[position] = newlines + 1
    return [found[p] for p in byte_positions]


def first_long_cell(path: Path, fmt: CsvFormat, column: int, limit: int) -> tuple[int, int]:
    """Physical line and length of the first cell of ``column`` longer than ``limit``
    characters; a slow pass, for the error message only."""
    with open(path, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text, delimiter=fmt.separator, quotechar=fmt.quotechar,
                            doublequote=True)
        start, first = 1, fmt.header
        for row in reader:
            if row and not first and column < len(row) and len(row[column]) > limit:
                return start, len(row[column])
            first = first and not row
            start = reader.line_num + 1
    raise LookupError(f"no cell of column {column} is longer than {limit}")
