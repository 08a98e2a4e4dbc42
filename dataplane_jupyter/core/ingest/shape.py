"""The shape of a CSV file, read from its sample the way a person would read it.

- **record delimiter**: ``\\r\\n``, ``\\n`` or ``\\r``, whichever ends most lines;
- **escape character**: ``\\`` when quotes inside quoted cells are written ``\\"`` (the rows
  then split into consistent field counts) rather than doubled (``""``);
- **table start**: the table is the longest run of records with the same field count (>= 2);
  non-blank lines before its first record (titles, "exported on ..." lines) are a *preamble*
  and skipped: the header is the first record of the run;
- **clean**: every sample record after the start has the table's field count (nothing for
  the careful path to repair or set aside, as far as the sample shows).
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from dataplane_jupyter.core.ingest.records import Record, read_records

_SAMPLE_RECORDS = 2_000
_RUN = 3


@dataclass(frozen=True)
class Shape:
    record_delimiter: str
    escapechar: str | None
    skip_lines: int
    width: int
    clean: bool
    preamble: tuple[str, ...] = ()


def record_delimiter(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


def sample_records(text: str, separator: str, quote: str, escape: str | None, *,
                   truncated: bool, limit: int = _SAMPLE_RECORDS) -> list[Record]:
    out: list[Record] = []
    for record in read_records(io.StringIO(text, newline=""), separator, quote, escape):
        out.append(record)
        if len(out) >= limit:
            return out
    if truncated and out:
        out.pop()  # cut by the end of the sample
    return out


def detect_escape(text: str, separator: str, quote: str, *, truncated: bool) -> str | None:
    """``\\`` when backslash-escaped quotes read more consistently than doubled ones."""
    if "\\" + quote not in text:
        return None
    doubled = _consistency(sample_records(text, separator, quote, None, truncated=truncated))
    escaped = _consistency(sample_records(text, separator, quote, "\\", truncated=truncated))
    if escaped > doubled:
        return "\\"
    # unquoted cells with \" read the same both ways: the escapes decide
    return "\\" if escaped == doubled and text.count("\\" + quote) > text.count(quote * 2) else None


def _consistency(records: list[Record]) -> float:
    widths = [len(r.fields) for r in records if not r.blank]
    if not widths:
        return 0.0
    return Counter(widths).most_common(1)[0][1] / len(widths) - sum(r.unclosed for r in records) / len(widths)


def detect_shape(text: str, separator: str, quote: str, escape: str | None, *,
                 truncated: bool, skip_lines: int | None = None) -> Shape:
    """The table's start, field count and whether the sample is clean (see the module rules)."""
    delimiter = record_delimiter(text)
    records = [r for r in sample_records(text, separator, quote, escape, truncated=truncated)
               if not r.blank]
    if not records:
        return Shape(delimiter, escape, skip_lines or 0, 0, True)
    if skip_lines is not None:
        body = [r for r in records if r.line > skip_lines]
        start = body[0] if body else records[0]
        width = _width(body or records)
    else:
        width = _width(records)
        start = _table_start(records, width)
    preamble = tuple(r.raw for r in records if r.line < start.line)
    body = [r for r in records if r.line >= start.line]
    clean = all(len(r.fields) == width and not r.unclosed for r in body)
    return Shape(delimiter, escape, start.line - 1, width, clean, preamble)


def _width(records: list[Record]) -> int:
    counts = Counter(len(r.fields) for r in records)
    wide = [(n, w) for w, n in counts.items() if w >= 2]
    return max(wide)[1] if wide else counts.most_common(1)[0][0]


def _table_start(records: list[Record], width: int) -> Record:
    """The first record starting a run of :data:`_RUN` records of the table's width, when
    every record before it is narrower (a title, a note); else the first record."""
    for i, record in enumerate(records):
        run = records[i:i + _RUN]
        if len(run) == _RUN and all(len(r.fields) == width for r in run):
            return record
        if len(record.fields) >= width:
            break
    return records[0]
