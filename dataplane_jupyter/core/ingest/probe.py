"""Whole-file column profiles in one scan, cheap wherever the detection sample allows.

The sample (the first rows of the file) proposes a *kind* per column: integer, number,
boolean or datetime when every sample value fits it. Such a proposal is confirmed over the
whole file with cheap per-cell tests (a digits-only pattern and a cast, no trimming) that
only ever accept values the full rules of :mod:`~dataplane_jupyter.core.ingest.sqltypes`
accept too; missing markers are looked for only in the cells that fail them. A column with
any other cell is *not confirmed* and is profiled again with the full rules, so the outcome
is always what the full rules decide. Columns the sample already shows to be strings (or has
no value for) get the full profile in the same scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from dataplane_jupyter.core.ingest.sqltypes import (
    PROFILE_FIELDS,
    Profile,
    candidate_formats,
    clean_expr,
    datetime_expr,
    ident,
    literal,
    profile_aggregates,
    profile_cells,
)
from dataplane_jupyter.core.ingest.values import (
    FALSE_WORDS,
    MISSING_MARKERS,
    TRUE_WORDS,
    DateFormat,
    is_integer_text,
    is_missing,
    parse_bool,
    parse_number,
)

_DIGITS = r"[+-]?[0-9]+"
_PLAIN = {".": r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?",
          ",": r"[+-]?([0-9]+,?[0-9]*|,[0-9]+)([eE][+-]?[0-9]+)?"}
_SAMPLE_DATES = 200
#: Kinds profiled with the full rules in the first scan.
FULL_PROFILE = ("string", "unknown")


@dataclass(frozen=True)
class Guess:
    """What the sample says a column may be: ``integer``, ``number``, ``boolean``,
    ``datetime`` (with the layouts every sample value fits), ``string`` (a sample value fits
    no other kind) or ``unknown`` (no sample value)."""

    kind: str
    formats: tuple[DateFormat, ...] = ()


@dataclass
class Probed:
    """A column's whole-file profile, its datetime layout, and a cheap typed cast (or None)."""

    profile: Profile
    date_format: DateFormat | None = None
    cast: str | None = None


def guess_kinds(sample: list[list[str]], width: int, decimal: str) -> list[Guess]:
    """One :class:`Guess` per column from the sample rows."""
    return [_guess([r[i].strip() for r in sample if i < len(r) and not is_missing(r[i])],
                   decimal) for i in range(width)]


def _guess(values: list[str], decimal: str) -> Guess:
    if not values:
        return Guess("unknown")
    if all(parse_number(v, decimal) is not None for v in values):
        integer = all(is_integer_text(v, decimal) for v in values)
        return Guess("integer" if integer else "number")
    if all(parse_bool(v) is not None for v in values):
        return Guess("boolean")
    formats = candidate_formats(values[:_SAMPLE_DATES], decimal)
    return Guess("datetime", tuple(formats)) if formats else Guess("string")


def probe_select(names: list[str], guesses: list[Guess], decimal: str, source: str) -> str:
    """One aggregate query over ``source`` probing every column of ``names``."""
    inner, middle, aggs = [], [], []
    for i, (name, guess) in enumerate(zip(names, guesses)):
        col = ident(name)
        if guess.kind in FULL_PROFILE:
            inner.append(f"{col} AS r{i}, {clean_expr(col)} AS v{i}")
            middle.append(profile_cells(i, decimal, strings_only=guess.kind == "string"))
            aggs += profile_aggregates(i)
        elif guess.kind == "datetime":
            inner.append(f"{col} AS r{i}, trim({col}) AS v{i}")
            middle.append(", ".join([f"r{i}"] + [f"{datetime_expr(f'v{i}', f)} AS t{i}_{k}"
                                                 for k, f in enumerate(guess.formats)]))
            aggs += [f"count(r{i})"] + [f"count(t{i}_{k})" for k in range(len(guess.formats))]
        else:
            # in the aggregates: as a subquery column, DuckDB plans and runs it far slower
            cls = class_expr(f"r{i}", guess.kind, decimal)
            inner.append(f"{col} AS r{i}")
            middle.append(f"r{i}")
            aggs += [f"count({cls})", f"coalesce(max({cls}), 0)", f"count(r{i})"]
        if guess.kind not in FULL_PROFILE:
            aggs.append(f"coalesce(max(length(r{i})), 0)")
    return (f"SELECT count(*), {', '.join(aggs)} FROM (SELECT {', '.join(middle)} FROM "
            f"(SELECT {', '.join(inner)} FROM {source}))")


def class_expr(r: str, kind: str, decimal: str) -> str:
    """0 = integer, 1 = other plain number (or true/false for booleans), 2 = anything else;
    NULL = missing. The missing markers are only looked for in cells that fail the rest, and
    a column's largest class tells what it holds."""
    markers = ", ".join(literal(m) for m in MISSING_MARKERS)
    if kind == "boolean":
        tests = [f"WHEN {r} IN ({_spellings(TRUE_WORDS + FALSE_WORDS)}) THEN 1"]
    else:
        tests = [f"WHEN regexp_full_match({r}, '{_PLAIN[decimal]}') THEN 1"]
        if kind == "integer":
            fits = f"CASE WHEN TRY_CAST({r} AS BIGINT) IS NULL THEN 1 ELSE 0 END"
            tests.insert(0, f"WHEN regexp_full_match({r}, '{_DIGITS}') THEN {fits}")
    return (f"CASE WHEN {r} IS NULL THEN NULL {' '.join(tests)} "
            f"WHEN upper(trim({r})) IN ({markers}) THEN NULL ELSE 2 END")


def _spellings(words: tuple[str, ...]) -> str:
    return ", ".join(literal(s) for w in words for s in (w, w.upper(), w.title()))


def read_probes(row: tuple, names: list[str], guesses: list[Guess], decimal: str
                ) -> tuple[int, list[Probed | None]]:
    """Row count and one :class:`Probed` per column (None: not confirmed, profile it fully)."""
    values = iter(row[1:])
    probed: list[Probed | None] = []
    for name, guess in zip(names, guesses):
        if guess.kind in FULL_PROFILE:
            probed.append(Probed(Profile(*[next(values) for _ in PROFILE_FIELDS])))
        elif guess.kind == "datetime":
            total, counts = next(values), [next(values) for _ in guess.formats]
            max_chars = next(values)
            fitting = [f for f, n in zip(guess.formats, counts) if n == total]
            probed.append(Probed(_typed(total, max_chars), fitting[0]) if fitting else None)
        else:
            counts = [next(values) for _ in range(4)]
            probed.append(_read_classes(name, guess.kind, decimal, *counts))
    return int(row[0]), probed


def _read_classes(name: str, kind: str, decimal: str, values: int, largest: int,
                  cells: int, max_chars: int) -> Probed | None:
    if largest == 2:
        return None
    r = ident(name)
    if kind == "boolean":
        return Probed(_typed(values, max_chars, booleans=values), cast=confirmed_cast(r, kind, decimal))
    integers = values if largest == 0 else 0
    profile = _typed(values, max_chars, numbers=values, integers=integers)
    if largest == 0:
        return Probed(profile, cast=confirmed_cast(r, "integer", decimal))
    return Probed(profile, cast=confirmed_cast(r, "number", decimal, markers=cells != values))


def confirmed_cast(r: str, kind: str, decimal: str, *, markers: bool = True) -> str:
    """The cheap typed cast of column ``r`` once every cell is known to pass
    :func:`class_expr` for ``kind`` (0 for ``integer``, at most 1 otherwise). ``markers``:
    the column may hold missing markers (for numbers: a NaN from ``nan`` becomes NULL)."""
    if kind == "boolean":
        return (f"CASE WHEN {r} IN ({_spellings(TRUE_WORDS)}) THEN true "
                f"WHEN {r} IN ({_spellings(FALSE_WORDS)}) THEN false END")
    if kind == "integer":
        return f"TRY_CAST({r} AS BIGINT)"
    text = r if decimal == "." else f"replace({r}, ',', '.')"
    number = f"TRY_CAST({text} AS DOUBLE)"
    # a NaN can only come from a missing marker (nan is not a number to the rules)
    return f"nullif({number}, 'NaN'::DOUBLE)" if markers else number


def _typed(values: int, max_chars: int, *, numbers: int = 0, integers: int = 0,
           booleans: int = 0) -> Profile:
    """The profile of a confirmed column: only what its plan reads (``integers`` is either
    all the values or 0 for "not all"); the string measures stay 0."""
    return Profile(values=values, numbers=numbers, integers=integers, booleans=booleans,
                   max_chars=max_chars, mean_chars=0.0, mean_words=0.0, distinct=0,
                   odd_value=None)
