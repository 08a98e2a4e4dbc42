"""Value objects of a CSV import: the user's overrides, what was detected, what came out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

#: File rules of the platform (spec 002, "Csv restrictions").
MAX_CELL_CHARS = 50_000
MAX_CATEGORIES = 2_000
MAX_ROWS = 10_000_000

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


@dataclass(frozen=True)
class CsvFormat:
    """The format that was detected (or forced) and used; stored with the dataset."""

    encoding: str
    separator: str
    decimal: str
    quotechar: str
    header: bool

    def to_dict(self) -> dict[str, str | bool]:
        """JSON-ready form, e.g. for the catalog or an API response."""
        return {
            "encoding": self.encoding,
            "separator": self.separator,
            "decimal": self.decimal,
            "quotechar": self.quotechar,
            "header": self.header,
        }


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
