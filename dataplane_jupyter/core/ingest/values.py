"""How single cell values are read: missing markers, numbers, booleans, dates.

The same rules exist twice: here in Python for the bounded detection sample, and in
:mod:`dataplane_jupyter.core.ingest.sqltypes` as SQL for the whole file. Keep them in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

#: Cells read as missing in numeric, datetime and boolean columns (compared upper-cased).
MISSING_MARKERS = ("", "NA", "N/A", "NAN", "NULL", "NONE", "#N/A")
TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")

_PLAIN = {
    ".": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"),
    ",": re.compile(r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?"),
}
_GROUPED = {
    ".": re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?"),
    ",": re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?"),
}
_INTEGER = re.compile(r"[+-]?\d+")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?")
_ISO_OFFSET = re.compile(r".*[T ]\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class DateFormat:
    """A datetime layout: ``strptime`` pattern (None = ISO 8601), and whether it has a time."""

    pattern: str | None
    has_time: bool
    day_first: bool | None = None


def _with_times(pattern: str, day_first: bool | None = None) -> list[DateFormat]:
    return [DateFormat(pattern, False, day_first),
            DateFormat(pattern + " %H:%M:%S", True, day_first),
            DateFormat(pattern + " %H:%M", True, day_first)]


#: Non-ISO layouts tried on string columns, in order (ISO 8601 is always tried first).
DATE_FORMATS: tuple[DateFormat, ...] = tuple(
    _with_times("%d/%m/%Y", True) + _with_times("%m/%d/%Y", False) + _with_times("%d.%m.%Y")
    + _with_times("%d-%m-%Y") + _with_times("%Y/%m/%d") + _with_times("%d %b %Y")
)


def is_missing(value: str) -> bool:
    """True for an empty cell or a missing marker such as ``NA`` or ``null``."""
    return value.strip().upper() in MISSING_MARKERS


def parse_number(value: str, decimal: str) -> float | None:
    """The number written in ``value`` with the given decimal separator, or None.

    Accepted: ``12``, ``-3.5``, ``1e3``, and digit groups with the other separator
    (``1,234.5`` when decimal is ``.``; ``1.234,5`` when decimal is ``,``).
    """
    text = value.strip()
    if _PLAIN[decimal].fullmatch(text):
        return float(text.replace(",", ".")) if decimal == "," else float(text)
    if _GROUPED[decimal].fullmatch(text):
        group = "," if decimal == "." else "."
        return float(text.replace(group, "").replace(",", "."))
    return None


def is_integer_text(value: str, decimal: str) -> bool:
    """True when the number in ``value`` is written without decimals or exponent."""
    text = value.strip()
    if _INTEGER.fullmatch(text):
        return True
    return bool(_GROUPED[decimal].fullmatch(text)) and decimal not in text


def parse_bool(value: str) -> bool | None:
    """``true/yes`` and ``false/no`` (any case), else None."""
    text = value.strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def is_iso_datetime(value: str) -> bool:
    """True for ISO 8601 dates and date-times (``2024-03-01``, ``2024-03-01T10:00:00Z``)."""
    text = value.strip()
    if not _ISO.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def has_utc_offset(value: str) -> bool:
    """True when an ISO date-time carries ``Z`` or ``+hh:mm``."""
    return bool(_ISO_OFFSET.match(value.strip()))


def matches_format(value: str, fmt: DateFormat) -> bool:
    """True when ``value`` is written in the layout ``fmt``."""
    if fmt.pattern is None:
        return is_iso_datetime(value)
    try:
        datetime.strptime(value.strip(), fmt.pattern)
    except ValueError:
        return False
    return True


def looks_like_value(value: str) -> bool:
    """True when ``value`` reads as a number (either decimal), a boolean or a date."""
    if parse_number(value, ".") is not None or parse_number(value, ",") is not None:
        return True
    return parse_bool(value) is not None or is_iso_datetime(value)
