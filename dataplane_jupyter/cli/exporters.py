"""`dataplane exporters list|create|edit|show|test|history|run|delete`.

`dataplane exporters run EXPORTER DATASET --wait` mirrors `project.exporters[EXPORTER].run(DATASET)`
(the same as `project.datasets[DATASET].export(EXPORTER)`) and exits non-zero when the export fails.
"""

from __future__ import annotations

import argparse
import sys

from ..core.export_runs import FINISHED, ExportRun
from .common import project
from .output import Output
from .sources import parse_pairs

TABLE = ["name", "connector", "kind", "destination", "mode", "file_format", "last_export"]
RUNS = ["dataset_name", "status", "rows", "location", "duration_seconds", "started_at", "error"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `exporters` noun."""
    from .parser import verbs

    sub = verbs(nouns, "exporters", "write datasets to databases and file stores")
    sub.add_parser("list", help="list exporters with their last export").set_defaults(run=list_exporters)
    create = sub.add_parser("create", help="create an exporter: NAME CONNECTOR key=value ... (table=, path=, bucket=, dataset=)")
    create.add_argument("name")
    create.add_argument("connector")
    create.add_argument("destination", nargs="*", metavar="key=value")
    create.add_argument("--mode", default="timestamp", help="timestamp (default), cancel or overwrite")
    create.add_argument("--format", dest="file_format", default="csv", help="csv (default) or parquet, for files")
    create.set_defaults(run=create_exporter)
    edit = sub.add_parser("edit", help="change it: NAME [key=value ...] [--mode M] [--format F] [--rename N]")
    edit.add_argument("name")
    edit.add_argument("destination", nargs="*", metavar="key=value")
    edit.add_argument("--mode")
    edit.add_argument("--format", dest="file_format")
    edit.add_argument("--connector")
    edit.add_argument("--rename")
    edit.set_defaults(run=edit_exporter)
    for verb, run, text in (
        ("show", show_exporter, "one exporter and its last export"),
        ("test", test_exporter, "check that its destination is writable"),
        ("history", exporter_history, "every export it did, newest first"),
        ("delete", delete_exporter, "delete it and its history"),
    ):
        parser = sub.add_parser(verb, help=text)
        parser.add_argument("name")
        parser.set_defaults(run=run)
    start = sub.add_parser("run", help="export a dataset: EXPORTER DATASET [--wait]")
    start.add_argument("name")
    start.add_argument("dataset")
    start.add_argument("--wait", action="store_true", help="follow the export; exit 1 unless it succeeds")
    start.set_defaults(run=run_export)


def list_exporters(args: argparse.Namespace, out: Output) -> None:
    infos = [x.info for x in project(args).exporters.list()]
    if out.json_mode:
        out.result(infos)
        return
    rows = [{**i.model_dump(mode="json"), "last_export": i.last_run.status if i.last_run else None} for i in infos]
    out.result(rows, table=TABLE)


def create_exporter(args: argparse.Namespace, out: Output) -> None:
    exporters = project(args).exporters
    created = exporters.create(args.name, args.connector, mode=args.mode, file_format=args.file_format,
                               destination=parse_pairs(args.destination))
    out.result(created.info)


def edit_exporter(args: argparse.Namespace, out: Output) -> None:
    exporter = project(args).exporters[args.name]
    changed = exporter.update(name=args.rename, connector=args.connector, mode=args.mode,
                              file_format=args.file_format, destination=parse_pairs(args.destination))
    out.result(changed.info)


def show_exporter(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).exporters[args.name].info)


def test_exporter(args: argparse.Namespace, out: Output) -> int:
    result = project(args).exporters[args.name].test()
    out.result(result)
    return 0 if result.ok else 1


def exporter_history(args: argparse.Namespace, out: Output) -> None:
    out.result([run.info for run in project(args).exporters[args.name].history()], table=RUNS)


def delete_exporter(args: argparse.Namespace, out: Output) -> None:
    project(args).exporters[args.name].delete()
    out.result({"deleted": args.name})


def follow_export(run: ExportRun, out: Output) -> None:
    """Show the export's progress until it ends."""
    jobs = run.project.catalog.jobs

    def read() -> tuple[str, float, str, bool]:
        info = run.info
        job = jobs.get(info.job_id) if info.job_id else None
        return info.status, info.progress, job.message if job else "", info.status in FINISHED

    out.follow(read, jobs)


def run_export(args: argparse.Namespace, out: Output) -> int:
    run = project(args).exporters[args.name].run(args.dataset)
    if not args.wait:
        out.result(run.info)
        return 0
    follow_export(run, out)
    info = run.info
    out.result(info)
    if info.status != "succeeded":
        print(f"error: export {info.status}: {info.error}", file=sys.stderr)
        return 1
    return 0
