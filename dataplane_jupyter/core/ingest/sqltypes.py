"""Column types over the whole file, as DuckDB SQL over the all-text scan of the CSV.

Rules (a column's *values* are its non-missing cells, trimmed; missing = empty or one of
:data:`~dataplane_jupyter.core.ingest.values.MISSING_MARKERS`):

- **boolean**: every value is ``true/false/yes/no`` (any case);
- **numeric**: every value is a number with the file's decimal separator (digit groups with
  the other separator allowed: ``1.234,56``); stored as int64 when every value is written as
  an integer that fits, else float64;
- **datetime**: every value is ISO 8601 or every value fits one layout of
  :data:`~dataplane_jupyter.core.ingest.values.DATE_FORMATS` (the layouts tried are the ones
  the sample fits; day-first wins over month-first when both fit, for ``,``-decimal files,
  month-first otherwise); stored as date32 without times, timestamp otherwise (ISO offsets are
  converted to UTC);
- **text**: values average at least :data:`TEXT_MIN_MEAN_CHARS` characters, or at least
  :data:`TEXT_MIN_MEAN_WORDS` words with half of them distinct (free prose);
- **categorical**: every other string column (also a column without any value).

A single odd value (``n/d`` among numbers) makes the column categorical: nothing is silently
turned into missing. When at least 90 % of the values are numbers a warning names one odd value.
"""

from __future__ import annotations

from dataclasses import dataclass

from dataplane_jupyter.core.ingest.values import DATE_FORMATS, MISSING_MARKERS, DateFormat, has_utc_offset, matches_format

TEXT_MIN_MEAN_CHARS = 50
TEXT_MIN_MEAN_WORDS = 4
ISO = DateFormat(None, True)
ISO_DATE = DateFormat(None, False)
ISO_UTC = DateFormat("ISO_UTC", True)


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def clean_expr(raw: str) -> str:
    """The trimmed value, NULL for missing markers."""
    markers = ", ".join(literal(m) for m in MISSING_MARKERS)
    return f"CASE WHEN upper(trim({raw})) IN ({markers}) THEN NULL ELSE trim({raw}) END"


def number_expr(v: str, decimal: str) -> str:
    """DOUBLE of a cleaned value, NULL when it is not a number (same rules as parse_number)."""
    if decimal == ".":
        plain, grouped = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?"
        return (f"CASE WHEN regexp_full_match({v}, '{plain}') THEN TRY_CAST({v} AS DOUBLE) "
                f"WHEN regexp_full_match({v}, '{grouped}') "
                f"THEN TRY_CAST(replace({v}, ',', '') AS DOUBLE) END")
    plain, grouped = r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?", r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?"
    return (f"CASE WHEN regexp_full_match({v}, '{plain}') "
            f"THEN TRY_CAST(replace({v}, ',', '.') AS DOUBLE) "
            f"WHEN regexp_full_match({v}, '{grouped}') "
            f"THEN TRY_CAST(replace(replace({v}, '.', ''), ',', '.') AS DOUBLE) END")


def integer_expr(v: str, decimal: str) -> str:
    """BIGINT of a cleaned value written as an integer (digit groups allowed), else NULL."""
    group = "," if decimal == "." else "."
    pattern = r"[+-]?(\d+|\d{1,3}(" + ("\\" + group) + r"\d{3})+)"
    return (f"CASE WHEN regexp_full_match({v}, '{pattern}') "
            f"THEN TRY_CAST(replace({v}, '{group}', '') AS BIGINT) END")


def bool_expr(v: str) -> str:
    """BOOLEAN of a cleaned value (true/yes, false/no), else NULL."""
    return (f"CASE WHEN lower({v}) IN ('true', 'yes') THEN true "
            f"WHEN lower({v}) IN ('false', 'no') THEN false END")


def datetime_expr(v: str, fmt: DateFormat) -> str:
    """DATE/TIMESTAMP of a cleaned value in layout ``fmt``, else NULL."""
    if fmt is ISO_UTC:
        return f"timezone('UTC', TRY_CAST({v} AS TIMESTAMPTZ))"
    if fmt.pattern is None:
        if not fmt.has_time:
            return f"CASE WHEN length({v}) = 10 THEN TRY_CAST({v} AS DATE) END"
        return f"TRY_CAST({v} AS TIMESTAMP)"
    parsed = f"try_strptime({v}, {literal(fmt.pattern)})"
    return parsed if fmt.has_time else f"CAST({parsed} AS DATE)"


@dataclass
class Profile:
    """Whole-column counts that decide a column's type."""

    values: int
    numbers: int
    integers: int
    booleans: int
    max_chars: int
    mean_chars: float
    mean_words: float
    distinct: int
    odd_value: str | None


PROFILE_FIELDS = ("values", "numbers", "integers", "booleans", "max_chars", "mean_chars",
                  "mean_words", "distinct", "odd_value")


def profile_cells(i: int, decimal: str, *, strings_only: bool = False) -> str:
    """Per-row cells behind the full profile of column ``i`` (``r<i>`` raw, ``v<i>`` cleaned).

    Only a value starting with a sign, digit or separator can be a number, so the regular
    expressions run on those alone. ``strings_only``: the column is known not to be all
    numbers nor all booleans, so integers and booleans are not counted (reported as 0).
    """
    plausible = f"ascii(v{i}) BETWEEN 43 AND 57"
    cells = f"r{i}, v{i}, CASE WHEN {plausible} THEN {number_expr(f'v{i}', decimal)} END AS n{i}"
    if strings_only:
        return f"{cells}, NULL AS k{i}, NULL AS b{i}"
    return (f"{cells}, CASE WHEN {plausible} THEN {integer_expr(f'v{i}', decimal)} END AS k{i}, "
            f"{bool_expr(f'v{i}')} AS b{i}")


def profile_aggregates(i: int) -> list[str]:
    """The aggregates giving :data:`PROFILE_FIELDS` of column ``i`` over its cells."""
    spaces = (f"sum(CASE WHEN contains(v{i}, ' ') "
              f"THEN length(v{i}) - length(replace(v{i}, ' ', '')) ELSE 0 END)")
    return [
        f"count(v{i})", f"count(n{i})", f"count(k{i})", f"count(b{i})",
        f"coalesce(max(length(r{i})), 0)", f"coalesce(avg(length(v{i})), 0)",
        f"coalesce(1 + {spaces} / count(v{i}), 0)", f"approx_count_distinct(r{i})",
        f"any_value(CASE WHEN n{i} IS NULL THEN v{i} END)",
    ]


def profile_select(columns: list[str], decimal: str, table: str) -> str:
    """One aggregate query giving :data:`PROFILE_FIELDS` for every column, in that order.

    Cleaned values are computed once in an inner query: repeated inline in every expression,
    DuckDB evaluates them an order of magnitude slower.
    """
    inner = ", ".join(f"{ident(c)} AS r{i}, {clean_expr(ident(c))} AS v{i}"
                      for i, c in enumerate(columns))
    middle = ", ".join(profile_cells(i, decimal) for i in range(len(columns)))
    aggs = ", ".join(a for i in range(len(columns)) for a in profile_aggregates(i))
    return (f"SELECT count(*) AS total_rows, {aggs} FROM "
            f"(SELECT {middle} FROM (SELECT {inner} FROM {table}))")


def parse_profiles(row: tuple, count: int) -> tuple[int, list[Profile]]:
    """Split the single result row of :func:`profile_select`."""
    width = len(PROFILE_FIELDS)
    profiles = [Profile(*row[1 + i * width: 1 + (i + 1) * width]) for i in range(count)]
    return int(row[0]), profiles


def candidate_formats(sample_values: list[str], decimal: str) -> list[DateFormat]:
    """Datetime layouts that every sample value fits, most likely first."""

    if not sample_values:
        return []
    if all(matches_format(v, ISO) for v in sample_values):
        if any(has_utc_offset(v) for v in sample_values):
            return [ISO_UTC]
        return [ISO_DATE, ISO]
    fits = [f for f in DATE_FORMATS if all(matches_format(v, f) for v in sample_values)]
    day_first_wins = decimal == ","
    return sorted(fits, key=lambda f: 0 if f.day_first in (None, day_first_wins) else 1)


def datetime_check_select(candidates: dict[int, list[DateFormat]], columns: list[str],
                          table: str) -> str:
    """Counts of values parsed by each candidate layout, column by column."""
    parts = []
    for i, formats in candidates.items():
        parts += [f"count({datetime_expr(f'v{i}', fmt)})" for fmt in formats]
    cleaned = ", ".join(f"{clean_expr(ident(columns[i]))} AS v{i}" for i in candidates)
    return f"SELECT {', '.join(parts)} FROM (SELECT {cleaned} FROM {table})"
