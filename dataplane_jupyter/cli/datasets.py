"""`dataplane datasets list|import|retry|show|stats|column|sample|rejected|rename|download|delete`, and the
embeddings verbs of `cli/embeddings.py`."""

from __future__ import annotations

import argparse
import json

from ..core.datasets.datasets import Dataset
from ..core.errors import InvalidInput
from ..core.models import DatasetLineage, DatasetStatus
from . import embeddings, features
from .common import delete_record, project
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

TABLE = ["name", "origin", "status", "rows", "columns", "size_bytes", "created_at"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `datasets` noun."""
    sub = verbs(nouns, "datasets", "datasets: stored tables with statistics")
    add_verbs(sub, [
        Verb("list", list_datasets, "list datasets, newest first", [
            arg("--origin", action="append", help="keep this origin (repeatable)"),
            arg("--status", action="append", help="keep this status (repeatable)"),
            arg("--search", help="part of the name"),
        ]),
        Verb("import", import_dataset, "import a CSV file (path or fsspec URL)", [
            "file", arg("--name"),
            *(arg(f"--{option}", help=f"{option} (auto-detected when absent)")
              for option in ("separator", "decimal", "encoding")),
            arg("--quotechar", help="quote character (auto-detected when absent)"),
            arg("--header", choices=["yes", "no"], help="whether the first line names the columns (auto-detected)"),
            arg("--skip-lines", type=int, help="lines before the header to skip (auto-detected)"),
            arg("--header-rows", type=int, help="lines the header spans, joined into column names (auto-detected)"),
            arg("--on-bad-rows", choices=["repair", "skip", "error"], default=None,
                help="a row that does not parse like the rest: repair it when unambiguous, else set it "
                     "aside (repair, the default); set every bad row aside (skip); refuse the file (error)"),
            arg("--strict", action="store_true", help="refuse the file on any bad row (= --on-bad-rows error)"),
            arg("--wait", action="store_true", help="follow the import until it is ready"),
        ]),
        Verb("retry", retry_dataset, "import a failed dataset again with other options (not given: as before)", [
            "name",
            *(arg(f"--{option}", help=f"{option} for the next attempt") for option in ("separator", "decimal", "encoding")),
            arg("--quotechar", help="quote character for the next attempt"),
            arg("--header", choices=["yes", "no"], help="whether the first line names the columns"),
            arg("--wait", action="store_true", help="follow the import; exit 1 unless it succeeds"),
        ]),
        Verb("show", show_dataset, "one dataset"),
        Verb("stats", dataset_stats, "its statistics"),
        Verb("delete", delete_record("datasets"), "delete it and our stored files"),
        Verb("column", column_stats, "statistics of one column", ["name", "column"]),
        Verb("sample", sample_dataset, "the first rows", ["name", arg("-n", type=int, default=20)]),
        Verb("rejected", rejected_rows, "the rows its import set aside, verbatim (line, raw, reason)",
             ["name", arg("-n", type=int, default=None, help="at most this many rows (default: all)"),
              arg("--output", help="write them to this CSV file instead")]),
        Verb("rename", rename_dataset, "give it a new name", ["name", "new_name"]),
        Verb("download", download_dataset, "write it to a CSV or Parquet file",
             ["name", "path", arg("--format", choices=["csv", "parquet"])]),
    ])
    embeddings.register(sub)
    features.register_datasets(sub)


def list_datasets(args: argparse.Namespace, out: Output) -> None:
    found = project(args).datasets.list(origin=args.origin, status=args.status, search=args.search)
    out.result([ds.describe() for ds in found], table=TABLE)


def follow_import(ds: Dataset, out: Output) -> None:
    """Show the dataset's progress through its three steps until it is ready or failed."""

    def read() -> tuple[str, float, str, bool]:
        info = ds.info
        done = info.status in (DatasetStatus.READY, DatasetStatus.FAILED)
        return info.status_label, info.progress, ds.job.message if ds.job else "", done

    out.follow(read, ds.catalog.jobs)
    ds.wait()


def import_dataset(args: argparse.Namespace, out: Output) -> None:
    if args.strict and args.on_bad_rows not in (None, "error"):
        raise InvalidInput("--strict and --on-bad-rows " + args.on_bad_rows + " contradict each other.",
                           field="on_bad_rows")
    ds = project(args, create=True).datasets.import_file(
        args.file, args.name, separator=args.separator, decimal=args.decimal, encoding=args.encoding,
        quotechar=args.quotechar, header=None if args.header is None else args.header == "yes",
        skip_lines=args.skip_lines, header_rows=args.header_rows,
        on_bad_rows="error" if args.strict else args.on_bad_rows or "repair",
    )
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)


def retry_dataset(args: argparse.Namespace, out: Output) -> None:
    options = {key: getattr(args, key) for key in ("separator", "decimal", "encoding", "quotechar")}
    options = {key: value for key, value in options.items() if value is not None}
    if args.header is not None:
        options["header"] = args.header == "yes"
    ds = project(args).datasets[args.name].retry(**options)
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)


def show_dataset(args: argparse.Namespace, out: Output) -> None:
    info = project(args).datasets[args.name].describe_with_lineage()
    if out.json_mode:
        out.result(info)
        return
    out.result(info.model_dump(mode="json", exclude={"lineage"}))
    if info.lineage is not None:
        for line in lineage_lines(info.lineage):
            print(line)


def lineage_lines(lineage: DatasetLineage) -> list[str]:
    """A dataset's lineage for people: pipeline, version, run, step, the way and the inputs."""
    lines = [f"lineage: pipeline {lineage.pipeline!r} version {lineage.version}, run {lineage.run_number} "
             f"({lineage.run_status}), step {lineage.step!r} ({lineage.step_kind}, {lineage.role})"]
    if lineage.upstream_steps:
        lines.append(f"  computed through: {' → '.join([*lineage.upstream_steps, lineage.step])}")
    for item in lineage.inputs:
        what = f"dataset {item.dataset!r}" if item.dataset else "a dataset deleted since"
        if item.datasource:
            what += f" (snapshot of datasource {item.datasource!r})"
        lines.append(f"  from: {what}, read by step {item.step!r}")
    for export in lineage.exports:
        lines.append(f"  exported by step {export.step!r} with exporter {export.exporter!r}: {export.status.value}"
                     + (f" → {export.location}" if export.location else ""))
    if lineage.reused_by:
        lines.append(f"  reused by run(s) {', '.join(map(str, lineage.reused_by))}")
    return lines


def dataset_stats(args: argparse.Namespace, out: Output) -> None:
    stats = project(args).datasets[args.name].statistics()
    if out.json_mode:
        out.result(stats)
        return
    out.result(stats["summary"])
    out.result(stats["columns"], table=["name", "type", "count", "missing", "distinct", "mean", "min", "max"])


def column_stats(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasets[args.name].column(args.column))


def sample_dataset(args: argparse.Namespace, out: Output) -> None:
    frame = project(args).datasets[args.name].sample(args.n)
    if out.json_mode:
        out.result(json.loads(frame.to_json(orient="split", index=False, date_format="iso")))
    else:
        print(frame.to_string(index=False))


def rejected_rows(args: argparse.Namespace, out: Output) -> None:
    table = project(args).datasets[args.name].rejected_table(0, args.n)
    if args.output:
        from ..core.ingest.rejected import rejected_csv

        with open(args.output, "wb") as stream:
            rejected_csv(table, stream)
        out.result({"path": args.output, "rows": table.num_rows})
        return
    rows = table.to_pylist()
    if out.json_mode:
        out.result(rows)
        return
    if not rows:
        print("No rows were set aside.")
    for row in rows:
        print(f"line {row['line']}: {row['reason']}")
        print("  " + row["raw"].replace("\n", "\n  "))


def rename_dataset(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasets[args.name].rename(args.new_name).info)


def download_dataset(args: argparse.Namespace, out: Output) -> None:
    path = project(args).datasets[args.name].download(args.path, args.format)
    out.result({"path": str(path)})
