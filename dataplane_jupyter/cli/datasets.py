"""`dataplane datasets list|import|show|stats|column|sample|rename|download|delete`, and the
embeddings verbs of `cli/embeddings.py`."""

from __future__ import annotations

import argparse
import json

from ..core.datasets import Dataset
from ..core.models import DatasetStatus
from . import embeddings
from .common import project
from .output import Output

TABLE = ["name", "origin", "status", "rows", "columns", "size_bytes", "created_at"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `datasets` noun."""
    from .parser import verbs

    sub = verbs(nouns, "datasets", "datasets: stored tables with statistics")
    listing = sub.add_parser("list", help="list datasets, newest first")
    listing.add_argument("--origin", action="append", help="keep this origin (repeatable)")
    listing.add_argument("--status", action="append", help="keep this status (repeatable)")
    listing.add_argument("--search", help="part of the name")
    listing.set_defaults(run=list_datasets)

    imp = sub.add_parser("import", help="import a CSV file (path or fsspec URL)")
    imp.add_argument("file")
    imp.add_argument("--name")
    for option in ("separator", "decimal", "encoding"):
        imp.add_argument(f"--{option}", help=f"{option} (auto-detected when absent)")
    imp.add_argument("--wait", action="store_true", help="follow the import until it is ready")
    imp.set_defaults(run=import_dataset)

    for verb, run, text in (
        ("show", show_dataset, "one dataset"),
        ("stats", dataset_stats, "its statistics"),
        ("delete", delete_dataset, "delete it and our stored files"),
    ):
        parser = sub.add_parser(verb, help=text)
        parser.add_argument("name")
        parser.set_defaults(run=run)

    column = sub.add_parser("column", help="statistics of one column")
    column.add_argument("name")
    column.add_argument("column")
    column.set_defaults(run=column_stats)

    sample = sub.add_parser("sample", help="the first rows")
    sample.add_argument("name")
    sample.add_argument("-n", type=int, default=20)
    sample.set_defaults(run=sample_dataset)

    rename = sub.add_parser("rename", help="give it a new name")
    rename.add_argument("name")
    rename.add_argument("new_name")
    rename.set_defaults(run=rename_dataset)

    download = sub.add_parser("download", help="write it to a CSV or Parquet file")
    download.add_argument("name")
    download.add_argument("path")
    download.add_argument("--format", choices=["csv", "parquet"])
    download.set_defaults(run=download_dataset)
    embeddings.register(sub)


def list_datasets(args: argparse.Namespace, out: Output) -> None:
    found = project(args).datasets.list(origin=args.origin, status=args.status, search=args.search)
    out.result([ds._info for ds in found], table=TABLE)


def follow_import(ds: Dataset, out: Output) -> None:
    """Show the dataset's progress through its three steps until it is ready or failed."""

    def read() -> tuple[str, float, str, bool]:
        info = ds.info
        done = info.status in (DatasetStatus.READY, DatasetStatus.FAILED)
        return info.status_label, info.progress, ds.job.message if ds.job else "", done

    out.follow(read, ds.catalog.jobs)
    ds.wait()


def import_dataset(args: argparse.Namespace, out: Output) -> None:
    ds = project(args).datasets.import_file(
        args.file, args.name, separator=args.separator, decimal=args.decimal, encoding=args.encoding
    )
    if args.wait:
        follow_import(ds, out)
    out.result(ds.info)


def show_dataset(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasets[args.name].info)


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


def rename_dataset(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).datasets[args.name].rename(args.new_name).info)


def download_dataset(args: argparse.Namespace, out: Output) -> None:
    path = project(args).datasets[args.name].download(args.path, args.format)
    out.result({"path": str(path)})


def delete_dataset(args: argparse.Namespace, out: Output) -> None:
    project(args).datasets[args.name].delete()
    out.result({"deleted": args.name})
