"""Records of a CSV text with their physical line numbers and raw text.

A *record* is one row of the file: one physical line, or several when a quoted cell holds
line breaks. Any record delimiter is accepted (``\\n``, ``\\r\\n``, ``\\r``). A quote that
opens and does not close within :data:`MAX_SPAN_LINES` lines (or before the end) does not
swallow the rest of the file: the caller gets the first line alone, marked ``unclosed``.
"""

from __future__ import annotations

import csv
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

#: Most physical lines one quoted record may span before its quote counts as unclosed.
MAX_SPAN_LINES = 200
MAX_SPAN_CHARS = 4 << 20


@dataclass
class Record:
    """One record: first physical line (1-based), raw text without its line end, fields."""

    line: int
    raw: str
    fields: list[str]
    lines: int = 1
    unclosed: bool = False

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


def strip_end(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith(("\n", "\r")):
        return line[:-1]
    return line


def open_quotes(text: str, quote: str, escape: str | None) -> bool:
    """Whether ``text`` leaves a quoted cell open (quotes counted, escaped ones skipped)."""
    if escape and escape != quote:
        count, i = 0, 0
        while True:
            i = text.find(quote, i)
            if i < 0:
                return count % 2 == 1
            if i == 0 or text[i - 1] != escape or _escaped_escape(text, i - 1, escape):
                count += 1
            i += 1
    return text.count(quote) % 2 == 1


def _escaped_escape(text: str, i: int, escape: str) -> bool:
    n = 0
    while i >= 0 and text[i] == escape:
        n += 1
        i -= 1
    return n % 2 == 0


def parse_fields(raw: str, separator: str, quote: str, escape: str | None,
                 *, literal_quotes: bool = False) -> list[str]:
    """The cells of one record (``literal_quotes``: quotes are ordinary characters)."""
    if literal_quotes:
        return raw.split(separator)
    if escape and escape != quote:
        reader = csv.reader([raw], delimiter=separator, quotechar=quote, escapechar=escape,
                            doublequote=False, strict=False)
    else:
        reader = csv.reader([raw], delimiter=separator, quotechar=quote, doublequote=True,
                            strict=False)
    try:
        return next(reader, [""])
    except csv.Error:
        return raw.split(separator)


def read_records(lines: Iterable[str], separator: str, quote: str, escape: str | None, *,
                 width: int | None = None, first_line: int = 1) -> Iterator[Record]:
    """Records of ``lines`` (text lines with their line ends, as ``open(newline="")`` gives).

    A record whose quote stays open is accepted across lines when it parses into ``width``
    fields (any count when ``width`` is None); otherwise its first line comes alone,
    ``unclosed=True``, and the following lines are read again as records of their own. So
    does a record whose quote closes on a later line but with another field count, when one
    of the lines it took reads as a row of its own (a stray quote closed by another).
    """
    source = iter(lines)
    pending: deque[tuple[int, str]] = deque()
    number = first_line

    def next_line() -> tuple[int, str] | None:
        nonlocal number
        if pending:
            return pending.popleft()
        line = next(source, None)
        if line is None:
            return None
        number += 1
        return number - 1, line

    while True:
        item = next_line()
        if item is None:
            return
        start, line = item
        text = strip_end(line)
        if not open_quotes(text, quote, escape):
            yield Record(start, text, parse_fields(text, separator, quote, escape))
            continue
        taken = [item]
        joined = line
        while open_quotes(joined, quote, escape) and len(taken) < MAX_SPAN_LINES \
                and len(joined) < MAX_SPAN_CHARS:
            more = next_line()
            if more is None:
                break
            taken.append(more)
            joined += more[1]
        raw = strip_end(joined)
        fields = parse_fields(raw, separator, quote, escape)
        closed = not open_quotes(joined, quote, escape)
        if closed and (width is None or len(fields) == width or not _rows_inside(taken, separator, width)):
            yield Record(start, raw, fields, lines=len(taken))
            continue
        pending.extendleft(reversed(taken[1:]))
        yield Record(start, text, parse_fields(text, separator, quote, escape), unclosed=True)


def _rows_inside(taken: list[tuple[int, str]], separator: str, width: int) -> bool:
    return any(len(strip_end(line).split(separator)) == width for _, line in taken[1:])
