"""Detection of a CSV file's format from a bounded sample (1 MiB, whatever the file size).

Rules:

- **encoding**: see :mod:`dataplane_jupyter.core.ingest.encoding`.
- **quote**: ``"`` unless fields clearly open and close with ``'`` instead.
- **separator**: among ``,`` ``;`` tab ``|``, the one that splits the sample rows (quotes
  respected) into the same number (>= 2) of fields most consistently, weighted by how many
  cells then look clean (no other candidate separator inside, unless they read as numbers).
  No candidate gives two fields: a one-column file, separator ``,``.
- **decimal**: ``,`` when more numeric-looking cells use a decimal comma (``3,14``,
  ``1.234,56``) than a decimal point; ambiguous cells such as ``1,234`` count for ``,`` only
  in ``;``/tab/``|`` files.
- **shape** (:mod:`~dataplane_jupyter.core.ingest.shape`): backslash escapes (``\\"``), the
  record delimiter, and lines before the header (a preamble, skipped): each reported in the
  format and overridable (``escapechar``, ``skip_lines``); more than
  :data:`~dataplane_jupyter.core.ingest.model.MAX_COLUMNS` columns refuse the file at once.
- **header**: each column votes: data cells that are numbers, booleans or dates under a
  first-row cell that is not, vote "header"; a first-row cell of the same kind as the data
  votes "no header". No votes: a header (the common case).
- **header rows**: the header goes on over the next line when that line reads as names too:
  in the columns whose data are numbers, booleans or dates, none of its cells is such a value
  and at least one is a name (a group row above the column names, or a units row below them);
  up to :data:`MAX_HEADER_ROWS` lines, and only with at least :data:`HEADER_EVIDENCE_ROWS`
  data lines below it (one text cell above a single number is a data row as often as a
  header line). Their cells are joined into the column names (see
  :func:`join_header_rows`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from typing import BinaryIO

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.ingest.encoding import (
    check_encoding,
    decode_sample,
    detect_encoding,
)
from dataplane_jupyter.core.ingest.model import CsvFormat, CsvOptions
from dataplane_jupyter.core.ingest.shape import detect_escape, detect_shape, sample_records
from dataplane_jupyter.core.ingest.values import is_missing, looks_like_value
from dataplane_jupyter.core.limits import check_columns

SAMPLE_BYTES = 1 << 20
SEPARATORS = (",", ";", "\t", "|")
#: Lines a header may span (a group row, the names, a units row).
MAX_HEADER_ROWS = 3
HEADER_EVIDENCE_ROWS = 2
_MAX_SAMPLE_ROWS = 2_000
_COMMA_DECIMAL = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+,\d+|\d*,\d{1,2}|\d*,\d{4,})")
_DOT_DECIMAL = re.compile(r"[+-]?(\d{1,3}(,\d{3})+\.\d+|\d*\.\d{1,2}|\d*\.\d{4,})")
_AMBIGUOUS_COMMA = re.compile(r"[+-]?\d{1,3},\d{3}")


DEFAULT_OPTIONS = CsvOptions()


def detect_csv_format(f: BinaryIO, options: CsvOptions = DEFAULT_OPTIONS, *, source: str) -> CsvFormat:
    """Detect (or take from ``options``) the encoding, separator, decimal, quote and header.

    Reads at most 1 MiB from ``f`` and seeks back to where it was when ``f`` is seekable
    (otherwise the caller opens the file again). Raises ``InvalidInput`` for an empty file,
    an unreadable encoding or an impossible option.
    """
    raw, truncated = read_sample(f)
    if not raw.strip():
        raise InvalidInput(f"{source} is empty: there is no header and no data")
    if options.encoding:
        encoding = check_encoding(raw, options.encoding, truncated=truncated, source=source)
    else:
        encoding = detect_encoding(raw, truncated=truncated, source=source)
    text = decode_sample(raw, encoding, truncated=truncated)
    if not text.strip():
        raise InvalidInput(f"{source} is empty: there is no header and no data")
    return detect_dialect(text, options, encoding=encoding, truncated=truncated, source=source)


def read_sample(f: BinaryIO) -> tuple[bytes, bool]:
    """Up to :data:`SAMPLE_BYTES` from the current position; True when the file goes on."""
    start = f.tell() if f.seekable() else None
    raw = f.read(SAMPLE_BYTES + 1) or b""
    if start is not None:
        f.seek(start)
    return raw[:SAMPLE_BYTES], len(raw) > SAMPLE_BYTES


def detect_dialect(text: str, options: CsvOptions, *, encoding: str, truncated: bool,
                   source: str) -> CsvFormat:
    """Separator, quote, header and decimal of a decoded sample (options win)."""
    quote = options.quotechar or detect_quote(text)
    separator = options.separator or detect_separator(text, quote, truncated=truncated)
    _check_options(separator, quote, options.decimal, source=source)
    if options.escapechar is not None:
        escape = options.escapechar if options.escapechar not in ("", quote) else None
    else:
        escape = detect_escape(text, separator, quote, truncated=truncated)
    shape = detect_shape(text, separator, quote, escape, truncated=truncated,
                         skip_lines=options.skip_lines)
    _refuse_too_wide(max(shape.width, text.split("\n", 1)[0].count(separator) + 1), source=source)
    rows = [r.fields for r in sample_records(text, separator, quote, escape, truncated=truncated)
            if not r.blank and r.line > shape.skip_lines]
    header = options.header if options.header is not None else (
        True if options.header_rows else detect_header(rows))
    header_rows = _header_rows(options.header_rows, rows, source=source) if header else 1
    data = rows[header_rows:] if header else rows
    decimal = options.decimal or detect_decimal(data, separator)
    if decimal == separator:
        raise InvalidInput(f"{source}: the decimal and column separators are both {decimal!r}",
                           field="decimal")
    return CsvFormat(encoding=encoding, separator=separator, decimal=decimal,
                     quotechar=quote, header=header, escapechar=escape,
                     skip_lines=shape.skip_lines, record_delimiter=shape.record_delimiter,
                     header_rows=header_rows)


def parse_rows(text: str, separator: str, quote: str, *, truncated: bool,
               limit: int = _MAX_SAMPLE_ROWS) -> list[list[str]]:
    """Records of the sample (blank lines skipped, a record cut by the sample end dropped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar=quote,
                        doublequote=True, strict=False)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) > limit:
                return rows[:limit]
    except csv.Error:
        pass
    return rows[:-1] if truncated and len(rows) > 1 else rows


def detect_quote(text: str) -> str:
    """``'`` when it opens and closes fields clearly more often than ``"``; else ``"``."""
    def fields_quoted_with(q: str) -> int:
        pattern = rf"(?:^|[,;\t|]){q}[^{q}\n]*{q}(?=[,;\t|\r\n]|$)"
        return len(re.findall(pattern, text[:200_000], flags=re.MULTILINE))

    single, double = fields_quoted_with("'"), fields_quoted_with('"')
    return "'" if single >= 2 and single > 2 * double else '"'


def detect_separator(text: str, quote: str, *, truncated: bool) -> str:
    """The candidate separator with the best consistency x cleanliness score."""
    best, best_score = ",", 0.0
    for candidate in SEPARATORS:
        rows = parse_rows(text, candidate, quote, truncated=truncated, limit=500)
        score = _separator_score(rows, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _separator_score(rows: list[list[str]], separator: str) -> float:
    if not rows:
        return 0.0
    counts = Counter(len(r) for r in rows)
    width, matching = counts.most_common(1)[0]
    if width < 2:
        return 0.0
    others = [s for s in SEPARATORS if s != separator]
    cells = [c for r in rows if len(r) == width for c in r]
    clean = sum(1 for c in cells if not any(o in c for o in others) or looks_like_value(c))
    return (matching / len(rows)) * (0.5 + 0.5 * clean / max(len(cells), 1))


def detect_decimal(rows: list[list[str]], separator: str) -> str:
    """``,`` or ``.`` from the numeric-looking data cells (see the module rules)."""
    comma = dot = ambiguous = 0
    for row in rows:
        for cell in row:
            text = cell.strip()
            if _COMMA_DECIMAL.fullmatch(text):
                comma += 1
            elif _DOT_DECIMAL.fullmatch(text):
                dot += 1
            elif _AMBIGUOUS_COMMA.fullmatch(text):
                ambiguous += 1
    if comma != dot:
        return "," if comma > dot else "."
    return "," if ambiguous and separator != "," else "."


def detect_header(rows: list[list[str]]) -> bool:
    """Whether the first record names the columns (see the module rules)."""
    if len(rows) < 2:
        return True
    votes = 0
    for index, first in enumerate(rows[0]):
        column = [r[index] for r in rows[1:] if index < len(r) and r[index].strip()]
        if not column:
            continue
        typed = sum(looks_like_value(c) for c in column) / len(column)
        if typed >= 0.9:
            votes += -1 if looks_like_value(first) else 1
    return votes >= 0


def _header_rows(given: int | None, rows: list[list[str]], *, source: str) -> int:
    if given is None:
        return detect_header_rows(rows)
    if not 1 <= given <= MAX_HEADER_ROWS:
        raise InvalidInput(f"{source}: header_rows must be 1 to {MAX_HEADER_ROWS}, got {given}",
                           field="header_rows")
    return given


def detect_header_rows(rows: list[list[str]]) -> int:
    """Lines the header spans, the first one included (see the module rules)."""
    count = 1
    while count < MAX_HEADER_ROWS and len(rows) > count + HEADER_EVIDENCE_ROWS and _names_line(rows[count], rows[count + 1:]):
        count += 1
    return count


def _names_line(line: list[str], data: list[list[str]]) -> bool:
    names = 0
    for index, cell in enumerate(line):
        column = [r[index] for r in data if index < len(r) and r[index].strip()]
        if not column or sum(looks_like_value(c) for c in column) < 0.9 * len(column):
            continue
        if not cell.strip() or is_missing(cell):
            continue
        if looks_like_value(cell):
            return False
        names += 1
    return names > 0


def join_header_rows(rows: list[list[str]], width: int) -> list[str]:
    """Column names from a header of several lines, as a person reads them: a cell left empty
    in a line above the last one belongs to the group named on its left (a merged cell of a
    spreadsheet export); the non-empty parts of each column are joined with a space."""
    filled = []
    for depth, row in enumerate(rows):
        cells = [row[i].strip() if i < len(row) else "" for i in range(width)]
        if depth < len(rows) - 1:
            group = ""
            for i, cell in enumerate(cells):
                group = cell or group
                cells[i] = group
        filled.append(cells)
    return [" ".join(part for part in parts if part) for parts in zip(*filled)]


def _refuse_too_wide(width: int, *, source: str) -> None:
    check_columns(width, source)  # DATAPLANE_MAX_COLUMNS, read when the file is (core/limits.py)


def _check_options(separator: str, quote: str, decimal: str | None, *, source: str) -> None:
    if len(separator) != 1 or separator in "\r\n":
        raise InvalidInput(f"{source}: the separator must be one character, got {separator!r}",
                           field="separator")
    if len(quote) != 1 or quote == separator:
        raise InvalidInput(f"{source}: invalid quote character {quote!r}", field="quotechar")
    if decimal is not None and decimal not in (".", ","):
        raise InvalidInput(f"{source}: the decimal separator must be '.' or ',', got {decimal!r}",
                           field="decimal")
