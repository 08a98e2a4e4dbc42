"""The first look at a CSV file, from the detection sample alone (issue #13).

Shown while the rest of the import runs (``"partial": true``): the column names, their
provisional types (guessed from the sample), the first rows as read, and a row count
estimated from the file size and the sample's bytes per line (``"rows_estimated": true``).
The exact statistics replace it when the file is stored."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dataplane_jupyter.core.ingest.columns import default_names, fix_names
from dataplane_jupyter.core.ingest.detect import join_header_rows
from dataplane_jupyter.core.ingest.encoding import decode_sample
from dataplane_jupyter.core.ingest.model import CsvFormat
from dataplane_jupyter.core.ingest.probe import guess_kinds
from dataplane_jupyter.core.ingest.records import Record
from dataplane_jupyter.core.ingest.shape import sample_records

#: Rows of the sample kept for display.
SAMPLE_ROWS = 20

_TYPES = {"integer": "numeric", "number": "numeric", "boolean": "boolean", "datetime": "datetime"}
_TEXT_CHARS = 50  # a string column whose sampled values are longer on average reads as text


def first_look(raw: bytes, truncated: bool, fmt: CsvFormat, *, total_bytes: int | None) -> dict[str, Any] | None:
    """The partial statistics payload from the sample ``raw`` (the file's first bytes; ``truncated``
    when the file goes on), or None when the sample holds no data row or the size is unknown
    for a file longer than the sample."""
    if truncated and not total_bytes:
        return None
    text = decode_sample(raw, fmt.encoding, truncated=truncated)
    every = sample_records(text, fmt.separator, fmt.quotechar, fmt.escapechar, truncated=truncated)
    records = [r for r in every if not r.blank and r.line > fmt.skip_lines]
    rows = [r.fields for r in records]
    heading = fmt.header_rows if fmt.header else 0
    data = rows[heading:]
    if not data:
        return None
    first = every.index(records[heading])
    width = Counter(len(r) for r in data).most_common(1)[0][0]
    if fmt.header:
        header = rows[0] if fmt.header_rows == 1 else join_header_rows(rows[:fmt.header_rows], width)
        names, _ = fix_names(list(header) + [""] * (width - len(header)))
    else:
        names = default_names(width)
    guesses = guess_kinds(data, len(names), fmt.decimal)
    columns = [{"name": name, "type": _type(guess.kind, [r[i] for r in data if i < len(r)]), "dtype": None,
                "missing": None, "min": None, "max": None}
               for i, (name, guess) in enumerate(zip(names, guesses))]
    return {
        "rows": _estimate(every[:first], every[first:], fmt, len(data), truncated, total_bytes),
        "rows_estimated": True,
        "columns_count": len(names),
        "columns": columns,
        "sample": {"columns": names,
                   "rows": [[r[i] if i < len(r) else None for i in range(len(names))] for r in data[:SAMPLE_ROWS]]},
        "partial": True,
    }


def _type(kind: str, values: list[str]) -> str:
    if kind in _TYPES:
        return _TYPES[kind]
    filled = [v for v in values if v.strip()]
    long = filled and sum(len(v) for v in filled) / len(filled) > _TEXT_CHARS
    return "text" if long else "categorical"


def _estimate(before: list[Record], data: list[Record], fmt: CsvFormat, count: int, truncated: bool,
              total_bytes: int | None) -> int:
    """Rows of the whole file: the sample's count when it is the whole file; else the bytes
    after the heading divided by the sample's average bytes per data record."""
    if not truncated or not total_bytes:
        return count

    def size(records: list[Record]) -> int:
        return sum(len((r.raw + fmt.record_delimiter).encode(fmt.encoding, errors="replace")) for r in records)

    per_row = max(1.0, size(data) / max(1, len(data)))
    return max(count, round((total_bytes - size(before)) / per_row))
