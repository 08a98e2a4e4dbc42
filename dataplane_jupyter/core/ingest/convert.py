"""CSV to Parquet, streaming: the file is never held in memory, whatever its size.

Pipeline: local UTF-8 copy (skipped for a local UTF-8 file) -> one DuckDB aggregate scan of
the CSV that refuses bad rows with line numbers and confirms each column's type over every row
(cheaply where the sample already suggests it, see :mod:`~dataplane_jupyter.core.ingest.probe`)
-> a full-rules scan of the few columns not confirmed -> a second scan of the CSV whose typed
Arrow batches are written to one Parquet file next to ``dest`` (renamed into place, or
uploaded through ``filesystem``, so a failed import leaves nothing at ``dest``) and handed, as
they are written, to an optional :class:`BatchSink` (the import's statistics), so nothing reads
the Parquet file again.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Mapping, Protocol, cast

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from dataplane_jupyter.core.errors import InvalidInput, option_hint
from dataplane_jupyter.core.ingest import duck, onescan
from dataplane_jupyter.core.ingest.careful import ON_BAD_ROWS, CarefulResult, OnBadRows, careful_copy
from dataplane_jupyter.core.ingest.columns import ColumnPlan, default_names, fix_names, plan_column
from dataplane_jupyter.core.ingest.detect import SAMPLE_BYTES, join_header_rows, parse_rows
from dataplane_jupyter.core.ingest.model import (
    MAX_CATEGORIES,
    MAX_CELL_CHARS,
    MAX_ROWS,
    ColumnSchema,
    CsvFormat,
    IngestResult,
    IngestWarning,
    Progress,
    noop_progress,
)
from dataplane_jupyter.core.ingest.probe import (
    FULL_PROFILE,
    Guess,
    Probed,
    guess_kinds,
    probe_select,
    read_probes,
)
from dataplane_jupyter.core.ingest.shape import detect_shape, sample_records
from dataplane_jupyter.core.ingest.sqltypes import (
    Profile,
    candidate_formats,
    datetime_check_select,
    ident,
    parse_profiles,
    profile_select,
)
from dataplane_jupyter.core.ingest.staging import (
    RowsRejected as _RowsRejected,
)
from dataplane_jupyter.core.ingest.staging import (
    csv_source,
    first_long_cell,
    local_utf8_copy,
    refuse_rejected_rows,
)
from dataplane_jupyter.core.ingest.values import DateFormat, is_missing
from dataplane_jupyter.core.limits import check_columns, check_first_line

#: Parquet key-value metadata written with every dataset file.
META_TYPES = "dataplane.types"
META_FORMAT = "dataplane.csv_format"
#: String columns profiled per scan: their aggregate state cannot spill to disk.
PROFILE_COLUMNS_PER_SCAN = 32
_FIRST_LINES = 5


class BatchSink(Protocol):
    """Receives the typed batches of the Parquet file while they are written."""

    def start(self, schema: pa.Schema, types: Mapping[str, str]) -> None:
        """Called once, before the first batch, with the file's schema and semantic types."""

    def update(self, batch: pa.RecordBatch) -> None:
        """Called with every batch, in file order."""


def csv_to_parquet(
    f: BinaryIO,
    dest: str,
    fmt: CsvFormat,
    *,
    source: str,
    progress: Progress = noop_progress,
    total_bytes: int | None = None,
    filesystem: fsspec.AbstractFileSystem | None = None,
    memory_limit: str | None = None,
    on_bad_rows: OnBadRows = "repair",
    sink: BatchSink | None = None,
) -> IngestResult:
    """Convert the CSV read from ``f`` (in format ``fmt``) into one Parquet file at ``dest``.

    ``progress(fraction, message)`` is called along the way; an exception it raises stops the
    import and is raised again unchanged. Bad files raise ``InvalidInput`` naming ``source``
    and the line/column at fault. Rows that do not parse the way the table does are repaired,
    set aside or refused as ``on_bad_rows`` says (see
    :mod:`~dataplane_jupyter.core.ingest.careful`); the rows set aside are in
    ``IngestResult.rejected``. Column types follow
    :mod:`~dataplane_jupyter.core.ingest.sqltypes`; the types and ``fmt`` are stored in the
    Parquet key-value metadata (:data:`META_TYPES`, :data:`META_FORMAT`). ``sink`` (optional)
    receives every batch of the file as it is written (see :class:`BatchSink`); after a
    failure its state is meaningless.
    """
    if on_bad_rows not in ON_BAD_ROWS:
        raise InvalidInput(f"on_bad_rows must be one of {', '.join(ON_BAD_ROWS)}, got {on_bad_rows!r}",
                           field="on_bad_rows")
    with tempfile.TemporaryDirectory(prefix="dataplane-ingest-") as tmp:
        workdir = Path(tmp)
        path = local_utf8_copy(f, fmt, workdir, source=source, progress=progress,
                               total_bytes=total_bytes, share=(0.0, 0.25))
        careful = _needs_careful(path, fmt)
        result = None
        if not careful:
            try:
                result = _fast(path, fmt, workdir, dest, filesystem, source=source,
                               progress=progress, memory_limit=memory_limit, sink=sink)
            except _RowsRejected:
                careful = True
        if careful:
            result = _careful(path, fmt, workdir, dest, filesystem, source=source,
                              progress=progress, memory_limit=memory_limit, mode=on_bad_rows,
                              sink=sink)
    progress(1.0, f"imported {source}")
    assert result is not None
    return result


def _fast(path: Path, fmt: CsvFormat, workdir: Path, dest: str,
          filesystem: fsspec.AbstractFileSystem | None, *, source: str, progress: Progress,
          memory_limit: str | None, reading: CsvFormat | None = None,
          sink: BatchSink | None = None, header: list[str] | None = None) -> IngestResult:
    """The strict one-table read (DuckDB); raises :class:`_RowsRejected` on a bad row.
    ``header``: the column names (a header of several lines, joined), instead of line 1's."""
    reading = reading or fmt
    names, warnings, sample = _names_and_sample(path, reading, source=source)
    if header is not None:
        names, warnings = fix_names(header)
    guesses = guess_kinds(sample, len(names), reading.decimal)
    if onescan.fits(names, guesses):
        done = _one_scan(path, fmt, reading, names, guesses, sample, workdir, dest, filesystem, source=source,
                         progress=progress, memory_limit=memory_limit, sink=sink)
        if done is not None:
            warnings += [w for p in done.plans for w in p.warnings] + _row_warnings(done.rows, source)
            return IngestResult(rows=done.rows, columns=_schemas(done.plans, dest, filesystem),
                                warnings=warnings, format=fmt)
    con = duck.connect(workdir, memory_limit=memory_limit)
    table = csv_source(path, reading, names)
    try:
        rows, plans, line_bytes = _plan(con, names, sample, reading, path, table, source=source,
                                        progress=progress)
        # the typed scan reads lines known to fit: smaller read buffers (DuckDB's are 16x the
        # longest line allowed), so its memory leaves room for the statistics fed alongside
        table = csv_source(path, reading, names, max_line_bytes=line_bytes)
        warnings += [w for p in plans for w in p.warnings] + _row_warnings(rows, source)
        _write(con, plans, fmt, table, workdir, dest, filesystem, progress=progress,
               source=source, rows=rows, sink=sink)  # checks that every row was written
    finally:
        con.close()
    columns = _schemas(plans, dest, filesystem)
    return IngestResult(rows=rows, columns=columns, warnings=warnings, format=fmt)


def _one_scan(path: Path, fmt: CsvFormat, reading: CsvFormat, names: list[str], guesses: list[Guess],
              sample: list[list[str]], workdir: Path, dest: str, filesystem: fsspec.AbstractFileSystem | None, *, source: str,
              progress: Progress, memory_limit: str | None,
              sink: BatchSink | None) -> onescan.Outcome | None:
    """The file read once (see :mod:`~dataplane_jupyter.core.ingest.onescan`); None when the
    sample lied and the two scans must read it."""
    remote = filesystem is not None and not _is_local(filesystem)
    target = workdir / "out.parquet" if remote else Path(f"{dest}.partial")
    with open(path, "rb") as stream:
        head = stream.read(1 << 20)
    bytes_per_row = len(head) / max(head.count(b"\n"), 1)
    # one DuckDB thread: with more, DuckDB 2.0 returned the rows of this query out of file
    # order (a 1M-row file came back reordered from row 45,661); the other core writes
    # Parquet and computes the statistics meanwhile
    con = duck.connect(workdir, memory_limit=memory_limit, threads=1)
    placed = False
    try:
        done = onescan.one_scan(con, path, reading, names, guesses, sample, target=target,
                                meta={META_FORMAT: json.dumps(fmt.to_dict())}, types_key=META_TYPES,
                                source=source, progress=progress, sink=sink,
                                bytes_per_row=bytes_per_row, total_bytes=path.stat().st_size)
        if done.rows == 0:
            raise InvalidInput(f"{source} has a header line but no data rows")
        if filesystem is not None and remote:
            filesystem.put(str(target), dest)
        else:
            os.replace(target, dest)
        placed = True
        return done
    except onescan.SampleLied as why:
        progress(0.25, f"reading {source} again: its first rows did not show every type ({why})")
        return None
    finally:
        con.close()
        if not placed and target.exists():
            target.unlink()


def _needs_careful(path: Path, fmt: CsvFormat) -> bool:
    """Whether the sample already shows what only the careful path reads right."""
    if fmt.skip_lines or fmt.escapechar or fmt.record_delimiter == "\r" or fmt.header_rows > 1:
        return True
    text, truncated = _sample_text(path)
    shape = detect_shape(text, fmt.separator, fmt.quotechar, fmt.escapechar,
                         truncated=truncated, skip_lines=fmt.skip_lines)
    return not shape.clean


def _careful(path: Path, fmt: CsvFormat, workdir: Path, dest: str,
             filesystem: fsspec.AbstractFileSystem | None, *, source: str, progress: Progress,
             memory_limit: str | None, mode: OnBadRows,
             sink: BatchSink | None = None) -> IngestResult:
    text, truncated = _sample_text(path)
    shape = detect_shape(text, fmt.separator, fmt.quotechar, fmt.escapechar,
                         truncated=truncated, skip_lines=fmt.skip_lines)
    progress(0.25, f"reading {source} row by row (some rows need care)")
    normalised = workdir / "careful.csv"
    extra = fmt.header_rows - 1 if fmt.header else 0  # header lines above the last one
    header = _header_lines(text, fmt, truncated=truncated, width=shape.width) if extra else None
    done = careful_copy(path, normalised, separator=fmt.separator, quote=fmt.quotechar,
                        escape=fmt.escapechar, width=shape.width, header=fmt.header,
                        skip_lines=fmt.skip_lines + extra, mode=mode, source=source,
                        settings=fmt.describe())
    if done.rows == 0:
        raise InvalidInput(f"{source} has a header line but no data rows" if fmt.header
                           else f"{source} is empty: there is no header and no data")
    reading = replace(fmt, encoding="utf-8", quotechar='"', escapechar=None, skip_lines=0,
                      record_delimiter="\n")
    try:
        result = _fast(normalised, fmt, workdir, dest, filesystem, source=source,
                       progress=progress, memory_limit=memory_limit, reading=reading,
                       sink=sink, header=header)
    except _RowsRejected as exc:  # the normalised copy always has the table's field count
        raise InvalidInput(f"{source}: {exc}") from None
    result.warnings[:0] = careful_warnings(done, fmt, source=source, header=header)
    result.rejected, result.repaired = done.rejected, done.repaired
    return result


def careful_warnings(done: CarefulResult, fmt: CsvFormat, *, source: str,
                     header: list[str] | None = None) -> list[IngestWarning]:
    """The warnings naming what the careful path did, with counts and first line numbers."""
    notes = []
    if fmt.skip_lines:
        notes.append(IngestWarning(None, f"{source}: the first {fmt.skip_lines} line(s) come "
                                         "before the header (a title or preamble) and were skipped"))
    if header is not None:
        top = fmt.skip_lines + 1
        shown = ", ".join(repr(n) for n in header[:_FIRST_LINES]) + (", …" if len(header) > _FIRST_LINES else "")
        notes.append(IngestWarning(None, f"{source}: the header spans {fmt.header_rows} lines ({top} to "
                                         f"{top + fmt.header_rows - 1}); their cells were joined into the "
                                         f"column names: {shown}. To read only line {top} as the header: "
                                         f"{option_hint('header_rows', 1)}"))
    if done.repaired:
        first = ", ".join(f"{line} ({how})" for line, how in done.repaired[:_FIRST_LINES])
        notes.append(IngestWarning(None, f"{_rows(len(done.repaired))} repaired: lines {first}"
                                         + (", …" if len(done.repaired) > _FIRST_LINES else "")))
    aside = [r for r in done.rejected if r.reason != "after the table"]
    if aside:
        first = ", ".join(f"{r.line} ({r.reason})" for r in aside[:_FIRST_LINES])
        notes.append(IngestWarning(None, f"{_rows(len(aside))} set aside: lines {first}"
                                         + (", …" if len(aside) > _FIRST_LINES else "")
                                         + "; see the rejected rows"))
    if done.table_end is not None:
        notes.append(IngestWarning(None, f"the table ends before line {done.table_end}: "
                                         f"{_rows(done.after_table, 'line')} after it (a footer or "
                                         "a second table) were not imported; see the rejected rows"))
    return notes


def _header_lines(text: str, fmt: CsvFormat, *, truncated: bool, width: int) -> list[str]:
    """The column names of a header of several lines (see ``detect.join_header_rows``)."""
    records = [r.fields for r in sample_records(text, fmt.separator, fmt.quotechar, fmt.escapechar,
                                                truncated=truncated)
               if not r.blank and r.line > fmt.skip_lines]
    return join_header_rows(records[:fmt.header_rows], width)


def _rows(n: int, word: str = "row") -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _sample_text(path: Path) -> tuple[str, bool]:
    with open(path, "rb") as stream:
        raw = stream.read(SAMPLE_BYTES + 1)
    truncated = len(raw) > SAMPLE_BYTES
    return raw[:SAMPLE_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff"), truncated


def _names_and_sample(path: Path, fmt: CsvFormat, *, source: str
                      ) -> tuple[list[str], list[IngestWarning], list[list[str]]]:
    with open(path, "rb") as stream:
        raw = stream.read(SAMPLE_BYTES + 1)
    truncated = len(raw) > SAMPLE_BYTES
    text = raw[:SAMPLE_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff")
    rows = parse_rows(text, fmt.separator, fmt.quotechar, truncated=truncated)
    if not rows:
        raise InvalidInput(f"{source} is empty: there is no header and no data")
    if truncated and len(rows) == 1:  # the first line is longer than the sample
        check_first_line(path, source)  # refuses an endless line, naming its length
        with open(path, "rb") as stream:
            line = stream.readline().decode("utf-8", errors="ignore").lstrip("\ufeff")
        rows = parse_rows(line, fmt.separator, fmt.quotechar, truncated=False)
    check_columns(len(rows[0]), source)  # before any per-column work (security: core/limits.py)
    if not fmt.header:
        width = Counter(len(r) for r in rows).most_common(1)[0][0]
        return default_names(width), [], rows
    if len(rows) == 1 and not truncated:
        raise InvalidInput(f"{source} has a header line but no data rows")
    names, warnings = fix_names(rows[0])
    return names, warnings, rows[1:]


def _plan(con: duckdb.DuckDBPyConnection, names: list[str], sample: list[list[str]],
          fmt: CsvFormat, path: Path, table: str, *, source: str, progress: Progress
          ) -> tuple[int, list[ColumnPlan], int]:
    """Row count, column plans, and a bound on the bytes of any line (record) of the file."""
    rows, probed = _probe(con, names, sample, fmt, path, table, source=source, progress=progress)
    if rows == 0:
        raise InvalidInput(f"{source} has a header line but no data rows")
    found = _complete(con, names, probed, sample, fmt.decimal, table, source=source,
                      progress=progress)
    profiles = [p.profile for p in found]
    _refuse_long_cells(names, profiles, fmt, path, source=source)
    _exact_distinct_near_limit(con, names, profiles, table)
    plans = []
    for name, p in zip(names, found):
        # the typed expressions see trimmed cells: missing markers never parse, so they
        # become NULL without the costlier cleaning
        plan = plan_column(name, p.profile, fmt.decimal, p.date_format, raw=ident(name),
                           v=f"trim({ident(name)})")
        if p.cast and plan.type in ("numeric", "boolean"):
            plan = replace(plan, expression=p.cast)
        plans.append(plan)
    # a cell of n characters takes at most 4n bytes in UTF-8, 8n with every character a
    # doubled quote, plus its quotes and separator; + the line end and some slack
    line_bytes = sum(8 * p.max_chars + 3 for p in profiles) + 1024
    return rows, plans, line_bytes


def _probe(con: duckdb.DuckDBPyConnection, names: list[str], sample: list[list[str]],
           fmt: CsvFormat, path: Path, table: str, *, source: str, progress: Progress
           ) -> tuple[int, list[Probed | None]]:
    """One scan for every column the sample gives a type, plus string columns in slices."""
    guesses = guess_kinds(sample, len(names), fmt.decimal)
    full = [i for i, g in enumerate(guesses) if g.kind in FULL_PROFILE]
    typed = [i for i, g in enumerate(guesses) if g.kind not in FULL_PROFILE]
    size = PROFILE_COLUMNS_PER_SCAN
    scans = [typed + full[:size]] + [full[s:s + size] for s in range(size, len(full), size)]
    rows, probed = 0, dict[int, Probed | None]()
    for n, columns in enumerate(scans):
        share = (0.25 + 0.35 * n / len(scans), 0.25 + 0.35 * (n + 1) / len(scans))
        sql = probe_select([names[i] for i in columns], [guesses[i] for i in columns],
                           fmt.decimal, table)
        result = duck.run(con, sql, progress=progress, share=share,
                          message=f"reading {source} and finding its column types")
        if n == 0:
            refuse_rejected_rows(con, path, len(names), source=source)
        rows, found = read_probes(result[0], [names[i] for i in columns],
                                  [guesses[i] for i in columns], fmt.decimal)
        probed.update(zip(columns, found))
    return rows, [probed[i] for i in range(len(names))]


def _complete(con: duckdb.DuckDBPyConnection, names: list[str], probed: list[Probed | None],
              sample: list[list[str]], decimal: str, table: str, *, source: str,
              progress: Progress) -> list[Probed]:
    """Full-rule profiles (and datetime layouts) of the columns the probe did not confirm."""
    pending = [i for i, p in enumerate(probed) if p is None]
    profiles: dict[int, Profile] = {}
    slices = range(0, len(pending), PROFILE_COLUMNS_PER_SCAN)
    for n, start in enumerate(slices):
        part = pending[start:start + PROFILE_COLUMNS_PER_SCAN]
        share = (0.6 + 0.12 * n / len(slices), 0.6 + 0.12 * (n + 1) / len(slices))
        result = duck.run(con, profile_select([names[i] for i in part], decimal, table),
                          progress=progress, share=share,
                          message=f"checking the column types of {source}")
        profiles.update(zip(part, parse_profiles(result[0], len(part))[1]))
    formats = _date_formats(con, names, profiles, sample, decimal, table, source=source,
                            progress=progress)
    done = list(probed)
    for i, profile in profiles.items():
        done[i] = Probed(profile, formats.get(i))
    return cast("list[Probed]", done)  # every column the probe left out is profiled above


def _refuse_long_cells(names: list[str], profiles: list[Profile], fmt: CsvFormat, path: Path,
                       *, source: str) -> None:
    for i, (name, profile) in enumerate(zip(names, profiles)):
        if profile.max_chars <= MAX_CELL_CHARS:
            continue
        line, chars = first_long_cell(path, fmt, i, MAX_CELL_CHARS)
        raise InvalidInput(
            f"{source}: line {line}, column {name!r} holds {chars:,} characters; "
            f"a cell may hold at most {MAX_CELL_CHARS:,}"
        )


def _exact_distinct_near_limit(con: duckdb.DuckDBPyConnection, names: list[str],
                               profiles: list[Profile], table: str) -> None:
    """HyperLogLog is ~2 % off: count exactly where that could flip the 2,000-category rule."""
    for name, profile in zip(names, profiles):
        if 0.9 * MAX_CATEGORIES <= profile.distinct <= 1.1 * MAX_CATEGORIES:
            (profile.distinct,) = cast("tuple[int]", con.execute(  # fetchall: no result left open
                f"SELECT count(DISTINCT {ident(name)}) FROM {table}").fetchall()[0])


def _date_formats(con: duckdb.DuckDBPyConnection, names: list[str],
                  profiles: dict[int, Profile], sample: list[list[str]], decimal: str,
                  table: str, *, source: str, progress: Progress) -> dict[int, DateFormat]:
    candidates: dict[int, list[DateFormat]] = {}
    for i, profile in profiles.items():
        if not profile.values or profile.numbers == profile.values \
                or profile.booleans == profile.values:
            continue
        values = [r[i].strip() for r in sample if i < len(r) and not is_missing(r[i])]
        formats = candidate_formats(values[:200], decimal)
        if formats:
            candidates[i] = formats
    if not candidates:
        return {}
    result = duck.run(con, datetime_check_select(candidates, names, table), progress=progress,
                      share=(0.72, 0.72), message=f"checking the dates of {source}")
    counts = iter(result[0])
    chosen: dict[int, DateFormat] = {}
    for i, formats in candidates.items():
        parsed = [next(counts) for _ in formats]
        fitting = [fmt for fmt, n in zip(formats, parsed) if n == profiles[i].values]
        if fitting:
            chosen[i] = fitting[0]
    return chosen


def _row_warnings(rows: int, source: str) -> list[IngestWarning]:
    if rows <= MAX_ROWS:
        return []
    return [IngestWarning(None, f"{source} has {rows:,} rows, more than the {MAX_ROWS:,} "
                                "recommended: training will be slow")]


def _write(con: duckdb.DuckDBPyConnection, plans: list[ColumnPlan], fmt: CsvFormat,
           table: str, workdir: Path, dest: str, filesystem: fsspec.AbstractFileSystem | None, *,
           progress: Progress, source: str, rows: int, sink: BatchSink | None = None) -> None:
    """Second scan of the CSV: DuckDB's typed Arrow batches, in file order, are written to
    the Parquet file (zstd) and handed to ``sink`` in the same pass."""
    remote = filesystem is not None and not _is_local(filesystem)
    target = workdir / "out.parquet" if remote else Path(f"{dest}.partial")
    types = {p.name: p.type for p in plans}
    meta = {META_TYPES: json.dumps(types), META_FORMAT: json.dumps(fmt.to_dict())}
    select = ", ".join(f"{p.expression} AS {ident(p.name)}" for p in plans)
    # one batch = one row group; no ORDER BY: DuckDB keeps the insertion order of the rows
    group_rows = max(8_192, min(122_880, 12_000_000 // max(len(plans), 1)))
    message = f"writing {source} as Parquet"
    progress(0.72, message)
    try:
        # one DuckDB thread keeps the rows in file order (see _one_scan)
        con.execute("SET threads = 1")
        reader = con.sql(f"SELECT {select} FROM {table}").to_arrow_reader(group_rows)
        schema = reader.schema.with_metadata({k.encode(): v.encode() for k, v in meta.items()})
        if sink is not None:
            sink.start(schema, types)
        done = 0
        with pq.ParquetWriter(str(target), schema, compression="zstd",
                              use_dictionary=onescan.string_columns(schema)) as writer:
            for batch in reader:
                batch = pa.RecordBatch.from_arrays(batch.columns, schema=schema)
                writer.write_batch(batch, row_group_size=group_rows)
                if sink is not None:
                    sink.update(batch)
                done += batch.num_rows
                progress(0.72 + 0.26 * min(done / max(rows, 1), 1.0), message)
        if done != rows:  # never a silently shorter file
            raise RuntimeError(f"{source}: {done:,} rows written, {rows:,} read")
        if filesystem is not None and remote:
            filesystem.put(str(target), dest)
        else:
            os.replace(target, dest)
    finally:
        if not remote and target.exists():
            target.unlink()


def _is_local(filesystem: fsspec.AbstractFileSystem) -> bool:
    protocol = filesystem.protocol
    protocols = protocol if isinstance(protocol, (tuple, list)) else (protocol,)
    return "file" in protocols or "local" in protocols


def _schemas(plans: list[ColumnPlan], dest: str,
             filesystem: fsspec.AbstractFileSystem | None) -> list[ColumnSchema]:
    schema = pq.read_schema(dest, filesystem=filesystem)
    return [ColumnSchema(p.name, p.type, str(schema.field(p.name).type)) for p in plans]
