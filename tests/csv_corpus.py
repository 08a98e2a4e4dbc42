"""A corpus of damaged CSV files made from clean ones, and a cell-by-cell scorer.

Clean tables are generated (seeded, no download): integers, decimals, words, names holding the
separator (so quoted), quoted text holding quotes, ISO dates, booleans; written with one of
several dialects (``,`` ``;`` tab ``|``, decimal point or comma). Each damaged file is a clean
file hurt in one typical way, at a seeded position:

``stray_quote`` a ``"`` inside an unquoted cell; ``unclosed_quote`` a cell opening a quote that
never closes; ``short_row`` a row missing its last fields; ``long_row`` a row with an extra
field; ``delimiter_changed`` one row written with another separator; ``stray_newline`` a row
split in two by a newline; ``two_tables`` a second, differently shaped table after a blank
line; ``preamble`` title lines before the header; ``footer`` summary lines after the data;
``record_delimiter`` ``\\r`` or ``\\r\\n`` line ends; ``escape_char`` quotes escaped as ``\\"``
instead of doubled; ``no_header`` the header line removed.

Scoring: each reader's table is compared with the clean table cell by cell. Rows are aligned
with a sequence matcher over whole rows (so one lost or extra row does not shift every later
row), then cells of paired rows compared by position after normalisation (numbers as numbers,
dates as ISO dates, booleans, whitespace collapsed, missing = ""). A file's score is
2 x matching cells / (expected cells + produced cells); a refused file scores 0.

Run (one run, every reader on the same files)::

    python -m tests.csv_corpus --per-kind 18
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import json
import math
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

KINDS = (
    "stray_quote", "unclosed_quote", "short_row", "long_row", "delimiter_changed",
    "stray_newline", "two_tables", "preamble", "footer", "record_delimiter", "escape_char",
    "no_header",
)
WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda",
         "omega", "north", "south", "east", "west", "red", "green", "blue")
FIRST = ("Ann", "Bob", "Chloé", "Dmitri", "Eve", "Farid", "Grace", "Hiro", "Ines", "Jon")
LAST = ("Smith", "Martin", "García", "Müller", "Rossi", "Kim", "Dubois", "Novak")


@dataclass
class Dialect:
    separator: str = ","
    decimal: str = "."


@dataclass
class Clean:
    """A clean table: column names and typed rows (None = missing), and its dialect."""

    names: list[str]
    rows: list[list[Any]]
    dialect: Dialect


def make_clean(seed: int) -> Clean:
    rng = random.Random(seed)
    dialect = rng.choice([Dialect(","), Dialect(","), Dialect(";", ","), Dialect("\t"),
                          Dialect("|"), Dialect(";")])
    n = rng.randint(60, 300)
    columns: list[tuple[str, Callable[[], Any]]] = [
        ("id", None),  # filled below
        ("amount", lambda: round(rng.uniform(-500, 5000), 2)),
        ("count", lambda: rng.randint(0, 10_000)),
        ("category", lambda: rng.choice(WORDS[:6])),
        ("name", lambda: f"{rng.choice(LAST)}, {rng.choice(FIRST)}"),
        ("day", lambda: dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))),
        ("active", lambda: rng.random() < 0.4),
        ("comment", lambda: " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
         + (' "quoted" end' if rng.random() < 0.1 else "")),
        ("ratio", lambda: round(rng.random(), 4)),
    ]
    keep = [columns[0]] + rng.sample(columns[1:], rng.randint(3, len(columns) - 1))
    rows = []
    for i in range(n):
        row = []
        for name, make in keep:
            if name == "id":
                row.append(i + 1)
            elif rng.random() < 0.03:
                row.append(None)
            else:
                row.append(make())
        rows.append(row)
    return Clean([name for name, _ in keep], rows, dialect)


def _format(value: Any, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if dialect.decimal == "," else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_lines(clean: Clean, *, escape: bool = False) -> list[str]:
    """The clean file as a list of lines (no line ends), quoting minimal, quotes doubled
    (or backslash-escaped with ``escape``)."""
    out = io.StringIO()
    if escape:
        writer = csv.writer(out, delimiter=clean.dialect.separator, lineterminator="\n",
                            doublequote=False, escapechar="\\", quoting=csv.QUOTE_MINIMAL)
    else:
        writer = csv.writer(out, delimiter=clean.dialect.separator, lineterminator="\n")
    writer.writerow(clean.names)
    for row in clean.rows:
        writer.writerow([_format(v, clean.dialect) for v in row])
    return out.getvalue().split("\n")[:-1]


@dataclass
class Damaged:
    kind: str
    name: str
    text: str
    clean: Clean


def damage(clean: Clean, kind: str, rng: random.Random) -> str:
    """The clean file's text hurt in the way ``kind`` names."""
    sep = clean.dialect.separator
    if kind == "escape_char":  # make sure quotes are there to escape
        text_columns = [j for j, v in enumerate(clean.rows[0]) if isinstance(v, str)]
        for row in rng.sample(clean.rows, min(8, len(clean.rows))):
            for j in text_columns[:1]:
                row[j] = f'{row[j] or ""} "{rng.choice(WORDS)}" said'
    lines = write_lines(clean, escape=kind == "escape_char")
    data = range(1, len(lines))
    at = rng.choice(list(data))
    cells = lines[at].split(sep)  # a plain split: good enough to pick a cell to hurt
    if kind == "stray_quote":
        j = rng.randrange(len(cells))
        cell = cells[j]
        pos = rng.randint(1, max(1, len(cell)))
        cells[j] = cell[:pos] + '"' + cell[pos:] if not cell.startswith('"') else cell + 'x"'
        lines[at] = sep.join(cells)
    elif kind == "unclosed_quote":
        j = rng.randrange(len(cells))
        cells[j] = '"' + cells[j].lstrip('"')
        lines[at] = sep.join(cells)
    elif kind == "short_row":
        drop = rng.randint(1, max(1, len(clean.names) // 2))
        lines[at] = sep.join(cells[: max(1, len(cells) - drop)])
    elif kind == "long_row":
        lines[at] = lines[at] + sep + rng.choice(WORDS)
    elif kind == "delimiter_changed":
        other = {",": ";", ";": ",", "\t": ",", "|": ","}[sep]
        row = clean.rows[at - 1]
        text = io.StringIO()
        csv.writer(text, delimiter=other, lineterminator="").writerow(
            [_format(v, clean.dialect) for v in row])
        lines[at] = text.getvalue()
    elif kind == "stray_newline":
        line = lines[at]
        spaces = [i for i, c in enumerate(line) if c == " " and '"' not in line]
        if spaces:
            i = rng.choice(spaces)
            lines[at] = line[:i] + "\n" + line[i + 1:]
        else:
            j = rng.randrange(1, len(cells))
            lines[at] = sep.join(cells[:j]) + "\n" + sep.join(cells[j:])
    elif kind == "two_tables":
        width = rng.randint(2, 3) if len(clean.names) > 4 else len(clean.names) + 2
        second = [sep.join(f"s{k}" for k in range(width))]
        second += [sep.join(str(rng.randint(0, 99)) for _ in range(width))
                   for _ in range(rng.randint(3, 30))]
        lines = lines + [""] + second
    elif kind == "preamble":
        pre = [f"Report: {rng.choice(WORDS)} export", f"Generated {rng.randint(1, 28)} May 2024"]
        lines = pre[: rng.randint(1, 2)] + ([""] if rng.random() < 0.5 else []) + lines
    elif kind == "footer":
        foot = [f"Total{sep}{rng.randint(1000, 99999)}", f"Exported by {rng.choice(WORDS)} tool"]
        lines = lines + ([""] if rng.random() < 0.5 else []) + foot[: rng.randint(1, 2)]
    elif kind == "record_delimiter":
        return rng.choice(["\r", "\r\n"]).join(lines) + "\r"
    elif kind == "no_header":
        lines = lines[1:]
    return "\n".join(lines) + "\n"


def build_corpus(folder: Path, per_kind: int, seed: int = 7) -> list[Damaged]:
    """``per_kind`` damaged files of every kind under ``folder`` (seeded)."""
    rng = random.Random(seed)
    out = []
    for kind in KINDS:
        for k in range(per_kind):
            clean = make_clean(rng.randrange(1 << 30))
            text = damage(clean, kind, rng)
            name = f"{kind}_{k:03d}.csv"
            (folder / name).write_text(text, encoding="utf-8", newline="")
            out.append(Damaged(kind, name, text, clean))
    return out


# --- scoring ---------------------------------------------------------------------------------

def norm(value: Any) -> str:
    """A cell as comparable text: numbers as numbers, dates as ISO dates, booleans, spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(float(value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):
        return norm(value.to_pydatetime())
    text = " ".join(str(value).split())
    if text.lower() in ("true", "false"):
        return text.lower()
    try:
        return _number(float(text))
    except ValueError:
        pass
    try:
        return _number(float(text.replace(",", ".")))
    except ValueError:
        return text


def _number(x: float) -> str:
    if math.isnan(x):
        return ""
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.10g}"


def expected_cells(clean: Clean) -> list[list[str]]:
    return [[norm(v) for v in row] for row in clean.rows]


def score(expected: list[list[str]], got: list[list[str]] | None) -> float:
    """2 x matching cells / (expected + produced cells); ``None`` (refused) scores 0."""
    if got is None:
        return 0.0
    total = sum(len(r) for r in expected) + sum(len(r) for r in got)
    if total == 0:
        return 1.0
    keys_a = ["\x1f".join(r) for r in expected]
    keys_b = ["\x1f".join(r) for r in got]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    match = 0
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            match += sum(len(expected[i]) for i in range(a0, a1))
        elif op == "replace":
            for i, j in zip(range(a0, a1), range(b0, b1)):
                match += sum(1 for x, y in zip(expected[i], got[j]) if x == y)
    return 2 * match / total


# --- readers ---------------------------------------------------------------------------------

def _table_rows(table: Any) -> list[list[str]]:
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return [[norm(c[r]) for c in columns] for r in range(table.num_rows)]


def read_ours(path: Path, workdir: Path) -> list[list[str]]:
    import pyarrow.parquet as pq

    from dataplane_jupyter.core.ingest import csv_to_parquet, detect_csv_format

    dest = workdir / (path.stem + ".parquet")
    with open(path, "rb") as f:
        fmt = detect_csv_format(f, source=path.name)
        csv_to_parquet(f, str(dest), fmt, source=path.name)
    rows = _table_rows(pq.read_table(dest))
    dest.unlink()
    return rows


def read_duckdb(path: Path, workdir: Path) -> list[list[str]]:
    import duckdb

    con = duckdb.connect()
    try:
        table = con.sql(f"SELECT * FROM read_csv('{path}', strict_mode=false, ignore_errors=true, "
                        "null_padding=true)").arrow()
        if hasattr(table, "read_all"):
            table = table.read_all()
        return _table_rows(table)
    finally:
        con.close()


def read_pandas(path: Path, workdir: Path) -> list[list[str]]:
    import warnings

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pd.read_csv(path, sep=None, engine="python", on_bad_lines="warn")
    frame = frame.astype(object).where(frame.notna(), None)
    return [[norm(v) for v in row] for row in frame.itertuples(index=False, name=None)]


READERS: dict[str, Callable[[Path, Path], list[list[str]]]] = {
    "dataplane": read_ours, "duckdb": read_duckdb, "pandas": read_pandas,
}


def run(folder: Path, corpus: list[Damaged], readers: list[str]) -> dict[str, dict[str, Any]]:
    """Score every reader on every file: per reader, per kind mean score and refusals."""
    workdir = folder / "work"
    workdir.mkdir(exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for reader in readers:
        per_kind: dict[str, list[float]] = {k: [] for k in KINDS}
        refused = 0
        start = time.perf_counter()
        for item in corpus:
            try:
                got = READERS[reader](folder / item.name, workdir)
            except Exception:  # a refusal (or a crash) scores 0
                got = None
                refused += 1
            per_kind[item.kind].append(score(expected_cells(item.clean), got))
        all_scores = [s for v in per_kind.values() for s in v]
        results[reader] = {
            "score": statistics.mean(all_scores),
            "refused": refused,
            "files": len(all_scores),
            "seconds": time.perf_counter() - start,
            "kinds": {k: statistics.mean(v) for k, v in per_kind.items() if v},
        }
    return results


def report(results: dict[str, dict[str, Any]]) -> str:
    readers = list(results)
    lines = ["| kind | " + " | ".join(readers) + " |", "|---|" + "---|" * len(readers)]
    for kind in KINDS:
        lines.append(f"| {kind} | " + " | ".join(
            f"{results[r]['kinds'].get(kind, 0):.3f}" for r in readers) + " |")
    lines.append("| **all** | " + " | ".join(f"**{results[r]['score']:.3f}**" for r in readers)
                 + " |")
    lines.append("| files refused | " + " | ".join(
        f"{results[r]['refused']} / {results[r]['files']}" for r in readers) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="damaged-CSV corpus score")
    parser.add_argument("--per-kind", type=int, default=18)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="csv-corpus-") as tmp:
        folder = Path(tmp)
        corpus = build_corpus(folder, args.per_kind, args.seed)
        results = run(folder, corpus, args.readers.split(","))
    if args.json:
        print(json.dumps(results, indent=2))
    print(f"{len(corpus)} damaged files ({args.per_kind} per kind, seed {args.seed})")
    print(report(results))


if __name__ == "__main__":
    sys.exit(main())
