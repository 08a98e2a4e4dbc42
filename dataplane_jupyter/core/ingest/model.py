"""Value objects of a CSV import: the user's overrides, what was detected, what came out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

#: File rules of the platform (spec 002, "Csv restrictions").
MAX_CELL_CHARS = 50_000
MAX_CATEGORIES = 2_000
MAX_ROWS = 10_000_000
#: Columns per CSV file: beyond, the import is refused at once, naming the count (memory and
#: time of every step grow with the column count: 5,000 columns x 5 rows took 1.5 GiB).
MAX_COLUMNS = 2000  # the default of DATAPLANE_MAX_COLUMNS: core/limits.py reads it when a file is

#: The semantic column types; stored in the Parquet file and used by the statistics.
ColumnType = Literal["numeric", "categorical", "text", "datetime", "boolean", "image", "tensor"]
COLUMN_TYPES: tuple[str, ...] = ("numeric", "categorical", "text", "datetime", "boolean", "image", "tensor")

#: ``progress(fraction, message)``; it may raise to cancel the work.
Progress = Callable[[float, str], None]


def noop_progress(fraction: float, message: str) -> None:
    """Default progress callback: ignores the report."""


@dataclass(frozen=True)
class CsvOptions:
    """User overrides of the CSV format; ``None`` means "detect it"."""

    separator: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    quotechar: str | None = None
    header: bool | None = None
    escapechar: str | None = None
    skip_lines: int | None = None
    #: lines making up the header (a group row above the column names: 2)
    header_rows: int | None = None


@dataclass(frozen=True)
class CsvFormat:
    """The format that was detected (or forced) and used; stored with the dataset."""

    encoding: str
    separator: str
    decimal: str
    quotechar: str
    header: bool
    #: ``\\`` when quotes are escaped ``\\"``; None: doubled (``""``)
    escapechar: str | None = None
    #: physical lines before the header (a title or preamble), skipped
    skip_lines: int = 0
    #: the record delimiter found (``\\n``, ``\\r\\n`` or ``\\r``); any is read
    record_delimiter: str = "\n"
    #: lines the header spans (with ``header``); their cells are joined into the column names
    header_rows: int = 1

    def to_dict(self) -> dict[str, str | bool | int | None]:
        """JSON-ready form, e.g. for the catalog or an API response."""
        return {
            "encoding": self.encoding,
            "separator": self.separator,
            "decimal": self.decimal,
            "quotechar": self.quotechar,
            "header": self.header,
            "escapechar": self.escapechar,
            "skip_lines": self.skip_lines,
            "record_delimiter": self.record_delimiter,
            "header_rows": self.header_rows,
        }

    def describe(self) -> str:
        """The settings in words, for messages ("separator ';', quote '\"', ...")."""
        parts = [f"encoding {self.encoding}", f"separator {self.separator!r}",
                 f"quote {self.quotechar!r}", f"decimal {self.decimal!r}",
                 (f"a header of {self.header_rows} lines" if self.header_rows > 1 else "a header line")
            if self.header else "no header line"]
        if self.escapechar:
            parts.append(f"escape {self.escapechar!r}")
        if self.skip_lines:
            parts.append(f"{self.skip_lines} line(s) skipped before the header")
        return ", ".join(parts)


@dataclass(frozen=True)
class ColumnSchema:
    """One imported column: its name, semantic ``type`` and storage ``dtype`` (Arrow)."""

    name: str
    type: str
    dtype: str


@dataclass(frozen=True)
class IngestWarning:
    """Something the user should know about an import that still succeeded."""

    column: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}" if self.column else self.message


@dataclass
class IngestResult:
    """Outcome of :func:`csv_to_parquet`."""

    rows: int
    columns: list[ColumnSchema]
    warnings: list[IngestWarning]
    format: CsvFormat
    extra: dict[str, object] = field(default_factory=dict)
    #: rows not imported, verbatim (see :mod:`~dataplane_jupyter.core.ingest.careful`)
    rejected: list["RejectedRow"] = field(default_factory=list)
    #: rows imported after a repair: (first line, how)
    repaired: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its first physical line, raw text and the reason."""

    line: int
    raw: str
    reason: str
