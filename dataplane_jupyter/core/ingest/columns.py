"""Column names and column types decided for an import."""

from __future__ import annotations

from dataclasses import dataclass

from dataplane_jupyter.core.ingest.model import MAX_CATEGORIES, IngestWarning
from dataplane_jupyter.core.ingest.sqltypes import (
    ISO_UTC,
    TEXT_MIN_MEAN_CHARS,
    TEXT_MIN_MEAN_WORDS,
    Profile,
    bool_expr,
    datetime_expr,
    integer_expr,
    number_expr,
)
from dataplane_jupyter.core.ingest.values import DateFormat

_MOSTLY_NUMERIC = 0.9


def fix_names(header: list[str]) -> tuple[list[str], list[IngestWarning]]:
    """Header cells made usable: trimmed, empty ones named ``column_<n>`` (1-based position),
    repeated ones suffixed ``_2``, ``_3``... in order of appearance, each fix with a warning."""
    names: list[str] = []
    warnings: list[IngestWarning] = []
    taken = {h.strip() for h in header}
    for position, cell in enumerate(header, start=1):
        name = cell.strip()
        if not name:
            name = _unused(f"column_{position}", taken | set(names))
            warnings.append(IngestWarning(name, f"column {position} has no name in the header; "
                                                f"named it {name!r}"))
        elif name in names:
            new = _unused(name, taken | set(names))
            warnings.append(IngestWarning(new, f"column {position} repeats the name {name!r}; "
                                               f"renamed it {new!r}"))
            name = new
        names.append(name)
    return names, warnings


def _unused(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    suffix = 2
    while f"{base}_{suffix}" in taken:
        suffix += 1
    return f"{base}_{suffix}"


def default_names(width: int) -> list[str]:
    """Names of a file without a header: ``column_1`` ... ``column_<width>``."""
    return [f"column_{i}" for i in range(1, width + 1)]


@dataclass
class ColumnPlan:
    """How one staged text column becomes a typed Parquet column."""

    name: str
    type: str
    expression: str
    warnings: list[IngestWarning]


def plan_column(name: str, profile: Profile, decimal: str, date_format: DateFormat | None,
                *, raw: str, v: str) -> ColumnPlan:
    """Apply the type rules of :mod:`~dataplane_jupyter.core.ingest.sqltypes` to one column.

    ``raw`` and ``v`` are the SQL names of the column's raw and cleaned values in the query.
    """
    if profile.values and profile.booleans == profile.values:
        return ColumnPlan(name, "boolean", bool_expr(v), [])
    if profile.values and profile.numbers == profile.values:
        expr = integer_expr(v, decimal) if profile.integers == profile.values else number_expr(v, decimal)
        return ColumnPlan(name, "numeric", expr, [])
    if date_format is not None:
        notes = [IngestWarning(name, "times with an offset were converted to UTC")] \
            if date_format is ISO_UTC else []
        return ColumnPlan(name, "datetime", datetime_expr(v, date_format), notes)
    kind = "text" if _is_text(profile) else "categorical"
    return ColumnPlan(name, kind, raw, _string_warnings(name, kind, profile))


def _is_text(profile: Profile) -> bool:
    if not profile.values:
        return False
    if profile.mean_chars >= TEXT_MIN_MEAN_CHARS:
        return True
    return profile.mean_words >= TEXT_MIN_MEAN_WORDS and profile.distinct >= profile.values / 2


def _string_warnings(name: str, kind: str, profile: Profile) -> list[IngestWarning]:
    notes: list[IngestWarning] = []
    if not profile.values:
        notes.append(IngestWarning(name, "the column has no values"))
    odd = profile.values - profile.numbers
    if profile.values and profile.numbers >= _MOSTLY_NUMERIC * profile.values:
        notes.append(IngestWarning(
            name, f"{profile.numbers:,} values are numbers but {odd:,} are not "
                  f"(e.g. {profile.odd_value!r}); the column was imported as {kind}"))
    if kind == "categorical" and profile.distinct > MAX_CATEGORIES:
        notes.append(IngestWarning(
            name, f"{profile.distinct:,} distinct values: more than the {MAX_CATEGORIES:,} "
                  "categories the platform supports per column"))
    return notes
