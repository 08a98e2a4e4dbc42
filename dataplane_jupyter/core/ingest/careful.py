"""The careful path: a file whose rows do not all parse the way the table does.

The fast path (DuckDB, strict) reads clean files. When the sample's shape or the fast scan
finds rows it cannot read (or the file needs a preamble skipped, backslash escapes or ``\\r``
line ends), this pass reads the file record by record and writes a normalised copy (same
separator, ``"`` quotes doubled, ``\\n`` line ends, exactly the table's field count per row)
that the fast path then reads. Each record that does not have the table's field count is, in
the ``"repair"`` mode:

- **repaired** when the repair is unambiguous: a stray quote taken literally when that gives
  the field count; a row written with another separator that then gives the field count;
  empty trailing fields dropped; two short consecutive rows that join into the field count
  (a row split by a stray newline); a short row of at least two fields padded with missing
  values;
- otherwise **set aside**: kept verbatim (line, raw text, reason) in the rejected rows.

A bad record after which no record of the table's width follows (within the next
:data:`_LOOKAHEAD` records, up to the end of the file) ends the table: it and the rest (a
footer, a second table) are not imported, kept in the rejected rows, and named in a warning.

``"skip"`` sets every bad row aside without repairing it; ``"error"`` refuses the file naming
the first bad lines. In all modes, more than :data:`MAX_BAD_SHARE` of the rows bad refuses the
file as not read correctly, naming the detected settings.
"""

from __future__ import annotations

import csv
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal

from dataplane_jupyter.core.errors import InvalidInput, option_hint
from dataplane_jupyter.core.ingest.model import RejectedRow
from dataplane_jupyter.core.ingest.records import Record, read_records

OnBadRows = Literal["repair", "skip", "error"]
ON_BAD_ROWS: tuple[str, ...] = ("repair", "skip", "error")
MAX_BAD_SHARE = 0.10
_LOOKAHEAD = 20
_REPORTED = 5
_SEPARATORS = (",", ";", "\t", "|")


@dataclass
class CarefulResult:
    """What the careful pass did: rows written, repaired (line, how) and set aside."""

    rows: int = 0
    repaired: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    table_end: int | None = None  # first line after the table (footer / second table)
    after_table: int = 0


def careful_copy(path: Path, dest: Path, *, separator: str, quote: str, escape: str | None,
                 width: int, header: bool, skip_lines: int, mode: OnBadRows, source: str,
                 settings: str, max_rejected: int = 100_000) -> CarefulResult:
    """Write the normalised copy of ``path`` to ``dest`` (see the module rules).

    ``settings`` describes the detected format for the refusal message.
    """
    result = CarefulResult()
    bad = 0
    with open(path, encoding="utf-8-sig", newline="") as text, \
            open(dest, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=separator, quotechar='"', doublequote=True,
                            lineterminator="\n")
        lines = _skip(text, skip_lines)
        records = _Lookahead(read_records(lines, separator, quote, escape, width=width,
                                          first_line=skip_lines + 1))
        first = True
        for record in records:
            if record.blank:
                continue
            if first and header:
                first = False
                writer.writerow(_fit(record.fields, width))
                continue
            first = False
            if len(record.fields) == width and not record.unclosed:
                writer.writerow(record.fields)
                result.rows += 1
                continue
            if mode != "error" and _table_ends(record, records, width):
                result.table_end = record.line
                for rest in [record, *records]:
                    if not rest.blank:
                        result.after_table += 1
                        if len(result.rejected) < max_rejected:
                            result.rejected.append(RejectedRow(rest.line, rest.raw,
                                                               "after the table"))
                break
            bad += 1
            if mode == "error":
                result.rejected.append(RejectedRow(record.line, record.raw,
                                                   describe(record, width)))
                if len(result.rejected) >= _REPORTED:
                    break
                continue
            fixed = _repair(record, records, width, separator, quote, escape) \
                if mode == "repair" else None
            if fixed is None:
                if len(result.rejected) < max_rejected:
                    result.rejected.append(RejectedRow(record.line, record.raw,
                                                       describe(record, width)))
                continue
            fields, how, used = fixed
            writer.writerow(fields)
            result.rows += 1
            result.repaired.append((record.line, how))
            for _ in range(used):
                next(records)
    if mode == "error" and result.rejected:
        raise InvalidInput(f"{source}: " + "; ".join(
            f"line {r.line} has {r.reason}" if "fields" in r.reason else f"line {r.line}: {r.reason}"
            for r in result.rejected[:_REPORTED])
            + (" (and more)" if bad > _REPORTED else "")
            + f". To import the file with such rows repaired or set aside: {option_hint('on_bad_rows', 'repair')}",
            field="on_bad_rows")
    total = result.rows + len([r for r in result.rejected if r.reason != "after the table"])
    if bad > max(1, MAX_BAD_SHARE * max(total, 1)):
        bad_lines = ", ".join(str(line) for line in _first_bad_lines(result))
        raise InvalidInput(
            f"{source} was not read correctly: {bad:,} of {total:,} rows do not have the "
            f"{width} fields of the table (lines {bad_lines}{'…' if bad > _REPORTED else ''}); probably the wrong separator, "
            f"quote or encoding. Detected: {settings}. Give the right one to import it.")
    return result


def _first_bad_lines(result: CarefulResult) -> list[int]:
    lines = sorted([line for line, _ in result.repaired[:_REPORTED]]
                   + [r.line for r in result.rejected[:_REPORTED] if r.reason != "after the table"])
    return lines[:_REPORTED]


def describe(record: Record, width: int) -> str:
    """Why a record is bad, in the words of the warning ("2 fields, expected 3")."""
    if record.unclosed:
        return "a quote that is not closed"
    return f"{len(record.fields)} fields, expected {width}"


def _skip(text, skip_lines: int) -> Iterator[str]:
    for _ in range(skip_lines):
        if not text.readline():
            break
    return iter(text)


class _Lookahead:
    """An iterator of records that can look ahead (bounded)."""

    def __init__(self, records: Iterator[Record]) -> None:
        self._records = records
        self._ahead: deque[Record] = deque()

    def __iter__(self) -> "_Lookahead":
        return self

    def __next__(self) -> Record:
        if self._ahead:
            return self._ahead.popleft()
        return next(self._records)

    def peek(self, n: int) -> list[Record]:
        while len(self._ahead) < n:
            record = next(self._records, None)
            if record is None:
                break
            self._ahead.append(record)
        return list(self._ahead)[:n]


def _table_ends(record: Record, records: _Lookahead, width: int) -> bool:
    ahead = [r for r in records.peek(_LOOKAHEAD) if not r.blank]
    if any(len(r.fields) == width and not r.unclosed for r in ahead):
        return False
    # a lone bad row at the very end is a footer only if it is not a short data row
    if not ahead:
        return len(record.fields) < 2 or _looks_like_footer(record, width)
    return True


def _looks_like_footer(record: Record, width: int) -> bool:
    return len(record.fields) != width and not record.unclosed and len(record.fields) < width // 2 + 1


def _fit(fields: list[str], width: int) -> list[str]:
    return (fields + [""] * width)[:width]


def _repair(record: Record, records: _Lookahead, width: int, separator: str, quote: str,
            escape: str | None) -> tuple[list[str], str, int] | None:
    """(fields, how, records consumed after this one), or None when not unambiguous."""
    raw, n = record.raw, len(record.fields)
    if quote in raw:
        literal = raw.split(separator)
        if len(literal) == width:
            return literal, "stray quote taken literally", 0
    if n > width and not any(f.strip() for f in record.fields[width:]) and not record.unclosed:
        return record.fields[:width], "empty trailing fields dropped", 0
    for other in _SEPARATORS:
        if other != separator and other in raw:
            fields = next(csv.reader([raw], delimiter=other, quotechar=quote, strict=False), [])
            if len(fields) == width:
                return fields, f"written with the separator {other!r}", 0
    if n < width and not record.unclosed:
        following = records.peek(1)
        if following and not following[0].blank and not following[0].unclosed:
            m = len(following[0].fields)
            if m < width and n + m - 1 == width:
                nxt = following[0].fields
                joined = record.fields[:-1] + [record.fields[-1] + "\n" + nxt[0]] + nxt[1:]
                return joined, f"split by a line break (lines {record.line}-{following[0].line})", 1
        if n >= 2 or width == 2:
            return _fit(record.fields, width), f"{n} fields, padded to {width}", 0
    return None
