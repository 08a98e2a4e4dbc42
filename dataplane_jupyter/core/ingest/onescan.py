"""One scan of the CSV for a clean file: types checked while the typed batches are written.

The detection sample proposes a kind per column (:func:`~.probe.guess_kinds`). When every
column has one that this scan can check (integer, number, boolean, datetime, string, or no
value in the sample), a single DuckDB scan of the CSV writes each column with the cast the
confirmed probe would have chosen, and computes, in the same batches, one more column: the
first column of the row whose cell the cast does not accept (the probe's cheap per-cell tests,
:func:`~.probe.class_expr`), or NULL. String columns are written as read and profiled on the
batches (pyarrow, vectorised) with the same rules as :func:`~.sqltypes.profile_select`.

Whenever the outcome could differ from the two-scan path's, this scan gives up (returns
``None``) and the caller runs that path from the start: a cell a cast rejects (the sample
lied), a string column whose values all turn out to be numbers or booleans, a cell longer than
:data:`~.model.MAX_CELL_CHARS` (refused with its line by that path), a line longer than
:data:`LINE_BYTES`. Rows of another shape (field counts, quotes) or invalid UTF-8 end it as the
first scan of that path does: :class:`~.staging.RowsRejected` (the careful path reads the
file) or ``InvalidInput`` naming the lines.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dataplane_jupyter.core.background import BackgroundConsumer
from dataplane_jupyter.core.ingest.columns import ColumnPlan, plan_column
from dataplane_jupyter.core.ingest.model import MAX_CATEGORIES, MAX_CELL_CHARS, CsvFormat, Progress
from dataplane_jupyter.core.ingest.probe import Guess, class_expr, confirmed_cast
from dataplane_jupyter.core.ingest.sqltypes import ISO_DATE, Profile, clean_expr, datetime_expr, ident
from dataplane_jupyter.core.ingest.staging import csv_source, refuse_rejected_rows
from dataplane_jupyter.core.ingest.values import FALSE_WORDS, MISSING_MARKERS, TRUE_WORDS, DateFormat, is_missing
from dataplane_jupyter.core.stats.sketches import Hasher, HyperLogLog

#: Longest line this scan reads (DuckDB's read buffers are 16x this); a longer one: two scans.
LINE_BYTES = 1 << 20
#: Distinct values of a string column counted exactly up to this many (then HyperLogLog).
EXACT_DISTINCT = int(1.1 * MAX_CATEGORIES) + 1
#: Rows (and cells) per batch and Parquet row group: a few batches are in flight at once
#: (reader, Parquet thread, statistics thread).
BATCH_ROWS = 65_536
BATCH_CELLS = 12_000_000
#: Batches waiting for the Parquet thread (DuckDB reads the next one while one is compressed).
WRITES_QUEUED = 1
CHECKED = ("integer", "number", "boolean", "datetime", "string", "unknown")
_BAD = "__dataplane_bad"
_PLAIN = {".": r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?",
          ",": r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?"}
_GROUPED = {".": r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", ",": r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?"}


def string_columns(schema: pa.Schema) -> list[str]:
    """The columns worth a Parquet dictionary (strings): for numbers, dates and booleans it
    costs a third more encoding time and makes the zstd file larger, not smaller."""
    return [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


class SampleLied(Exception):
    """The file is not what the sample said: the two-scan path reads it."""


def fits(names: list[str], guesses: list[Guess]) -> bool:
    """Whether this scan can read a file with these columns and sample kinds."""
    return _BAD not in names and all(g.kind in CHECKED and (g.kind != "datetime" or g.formats)
                                     for g in guesses)


@dataclass
class Outcome:
    rows: int
    plans: list[ColumnPlan]


def one_scan(con: duckdb.DuckDBPyConnection, path: Path, reading: CsvFormat, names: list[str],
             guesses: list[Guess], sample: list[list[str]], *, target: Path, meta: Mapping[str, str], types_key: str,
             source: str, progress: Progress, sink: Any, bytes_per_row: float,
             total_bytes: int) -> Outcome:
    """Write the typed Parquet file to ``target`` in one scan; raises :class:`SampleLied`
    when the two-scan path must read the file (``target`` may then hold a partial file)."""
    decimal = reading.decimal
    table = csv_source(path, reading, names, max_line_bytes=LINE_BYTES)
    inner = ", ".join(f"{ident(n)} AS r{i}" for i, n in enumerate(names))
    values: list[str] = []
    bad: list[str] = []
    plans: list[ColumnPlan | None] = []
    strings: dict[int, _StringProfile] = {}
    for i, (name, guess) in enumerate(zip(names, guesses)):
        r = f"r{i}"
        if guess.kind in ("string", "unknown"):
            values.append(r)
            plans.append(None)
            strings[i] = _StringProfile(decimal, guess.kind)
            continue
        too_long = f"strlen({r}) > {MAX_CELL_CHARS}"
        if guess.kind == "datetime":
            fmt = _likely_format(guess, [row[i] for row in sample if i < len(row)])
            typed = datetime_expr(f"trim({r})", fmt)
            values.append(typed)
            bad.append(f"WHEN ({typed}) IS NULL AND ({clean_expr(r)}) IS NOT NULL OR {too_long} THEN {i}")
            profile = Profile(1, 0, 0, 0, 0, 0.0, 0.0, 0, None)
            plans.append(plan_column(name, profile, decimal, fmt, raw=ident(name), v=f"trim({ident(name)})"))
            continue
        cls = class_expr(r, guess.kind, decimal)
        worst = 0 if guess.kind == "integer" else 1
        values.append(confirmed_cast(r, guess.kind, decimal))
        bad.append(f"WHEN ({cls}) > {worst} OR {too_long} THEN {i}")
        kind = "boolean" if guess.kind == "boolean" else "numeric"
        plans.append(ColumnPlan(name, kind, confirmed_cast(ident(name), guess.kind, decimal), []))
    check = f"CASE {' '.join(bad)} END" if bad else "NULL::INTEGER"
    select = ", ".join(f"{v} AS {ident(n)}" for v, n in zip(values, names))
    sql = f"SELECT {select}, {check} AS {_BAD} FROM (SELECT {inner} FROM {table})"
    group_rows = max(8_192, min(BATCH_ROWS, BATCH_CELLS // max(len(names), 1)))
    message = f"reading {source}, checking its types and writing it as Parquet"
    progress(0.25, message)
    reader = con.sql(sql).to_arrow_reader(group_rows)
    width = len(names)
    schema = pa.schema(list(reader.schema)[:width]).with_metadata(dict(meta))
    provisional = {n: (p.type if p is not None else None) for n, p in zip(names, plans)}
    if sink is not None:
        sink.start(schema, provisional)
    rows = 0
    with pq.ParquetWriter(str(target), schema, compression="zstd",
                          use_dictionary=string_columns(schema)) as parquet, \
            BackgroundConsumer(partial(parquet.write_batch, row_group_size=group_rows),
                               queued=WRITES_QUEUED, name="dataplane-parquet") as writer:
        for batch in reader:
            flags = batch.column(width)
            if flags.null_count < len(flags):
                raise SampleLied(f"column {names[pc.min(flags).as_py()]!r}")
            batch = pa.RecordBatch.from_arrays(batch.columns[:width], schema=schema)
            writer.put(batch)
            if sink is not None:
                sink.update(batch)
            for i, state in strings.items():
                state.update(batch.column(i))
            rows += batch.num_rows
            done = rows * bytes_per_row / max(total_bytes, 1)
            progress(0.25 + 0.73 * min(done, 1.0), message)
        writer.finish()
        _refuse_or_retry_rejected(con, path, width, source=source)
        filled = [plan if plan is not None else strings[i].plan(names[i]) for i, plan in enumerate(plans)]
        types = {p.name: p.type for p in filled}
        final = schema.with_metadata({**dict(meta), types_key: json.dumps(types)})
        parquet.add_key_value_metadata({types_key: json.dumps(types),
                                        "ARROW:schema": base64.b64encode(final.serialize()).decode()})
    decided = getattr(sink, "decided", None)
    if callable(decided):
        decided(types)
    return Outcome(rows, filled)


def _likely_format(guess: Guess, cells: list[str]) -> DateFormat:
    """The first layout of the guess the sample does not rule out: ISO dates without a time
    only when no sample value has one (the probe tries both; this scan writes one)."""
    if ISO_DATE not in guess.formats[:-1]:
        return guess.formats[0]
    values = [c.strip() for c in cells if not is_missing(c)]
    for fmt in guess.formats:
        if fmt == ISO_DATE and any(len(v) != 10 for v in values):
            continue
        return fmt
    return guess.formats[0]


def _refuse_or_retry_rejected(con: duckdb.DuckDBPyConnection, path: Path, width: int, *,
                              source: str) -> None:
    (long_lines,) = con.execute("SELECT count(*) FROM reject_errors "
                                "WHERE upper(error_type) = 'LINE SIZE OVER MAXIMUM'").fetchall()[0]
    if long_lines:  # a line over this scan's limit may still be within the file limit
        raise SampleLied("a line longer than this scan reads")
    refuse_rejected_rows(con, path, width, source=source)


class _StringProfile:
    """The :class:`~.sqltypes.Profile` of a string column, over its batches."""

    def __init__(self, decimal: str, kind: str) -> None:
        self.kind = kind
        self.plain = f"^(?:{_PLAIN[decimal]})$"
        self.grouped = f"^(?:{_GROUPED[decimal]})$"
        self.decimal = decimal
        self.markers = pa.array(list(MISSING_MARKERS))
        self.words = pa.array(list(TRUE_WORDS + FALSE_WORDS))
        self.values = self.numbers = self.booleans = self.chars = self.spaces = 0
        self.odd: str | None = None
        self.uniques: pa.Array | None = pa.array([], pa.string())
        self.hll: Any = None
        self.hasher: Any = None

    def update(self, raw: pa.Array) -> None:
        if len(raw) == raw.null_count:
            return
        if pc.max(pc.binary_length(raw)).as_py() > MAX_CELL_CHARS \
                and pc.max(pc.utf8_length(raw)).as_py() > MAX_CELL_CHARS:
            raise SampleLied("a cell longer than allowed")  # refused with its line by two scans
        # every rule below looks at one value at a time: each distinct value once, weighted
        counted = pc.value_counts(raw.drop_null())
        found = counted.field("values").cast(pa.string())
        counts = counted.field("counts")
        self._distinct(found)
        trimmed = pc.utf8_trim(found, characters=" ")
        missing = pc.is_in(pc.utf8_upper(trimmed), value_set=self.markers)
        keep = pc.invert(missing)
        v, n = trimmed.filter(keep), counts.filter(keep)
        if not len(v):
            return
        self.values += pc.sum(n).as_py() or 0
        number = pc.or_(pc.match_substring_regex(v, self.plain), pc.match_substring_regex(v, self.grouped))
        self.numbers += pc.sum(n.filter(number)).as_py() or 0
        self.booleans += pc.sum(n.filter(pc.is_in(pc.utf8_lower(v), value_set=self.words))).as_py() or 0
        self.chars += pc.sum(pc.multiply(pc.utf8_length(v).cast(pa.int64()), n)).as_py() or 0
        self.spaces += pc.sum(pc.multiply(pc.count_substring(v, " ").cast(pa.int64()), n)).as_py() or 0
        if self.odd is None:
            odd = v.filter(pc.invert(number))
            if len(odd):
                self.odd = odd[0].as_py()

    def _distinct(self, found: pa.Array) -> None:
        if self.hll is not None:
            self.hll.update(self.hasher.values(found))
            return
        assert self.uniques is not None
        self.uniques = pc.unique(pa.concat_arrays([self.uniques, found]))
        if len(self.uniques) > EXACT_DISTINCT:
            self.hasher, self.hll = Hasher(), HyperLogLog()
            self.hll.update(self.hasher.values(self.uniques))
            self.uniques = None

    @property
    def distinct(self) -> int:
        if self.hll is not None:
            return int(round(self.hll.estimate()))
        return len(self.uniques) if self.uniques is not None else 0

    def plan(self, name: str) -> ColumnPlan:
        if self.values and (self.numbers == self.values or self.booleans == self.values):
            raise SampleLied(f"column {name!r} holds only numbers or booleans")
        distinct = self.distinct
        if self.hasher is not None:
            self.hasher.close()
        mean_chars = self.chars / self.values if self.values else 0.0
        mean_words = 1 + self.spaces / self.values if self.values else 0.0
        profile = Profile(values=self.values, numbers=self.numbers, integers=0,
                          booleans=self.booleans, max_chars=0, mean_chars=mean_chars,
                          mean_words=mean_words, distinct=distinct, odd_value=self.odd)
        return plan_column(name, profile, self.decimal, None, raw=ident(name), v=ident(name))
