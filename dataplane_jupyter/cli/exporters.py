"""`dataplane exporters list|create|edit|show|test|history|run|delete`.

`dataplane exporters run EXPORTER DATASET --wait` mirrors `project.exporters[EXPORTER].run(DATASET)`
(the same as `project.datasets[DATASET].export(EXPORTER)`) and exits non-zero when the export fails.
"""

from __future__ import annotations

import argparse
import sys

from ..core.exports.runs import ExportRun
from ..core.models import JobStatus
from .common import delete_record, project, show_record, test_record
from .output import Output
from .parser import Verb, add_verbs, arg, verbs
from .sources import parse_pairs

TABLE = ["name", "connector", "kind", "destination", "mode", "file_format", "last_export"]
RUNS = ["dataset_name", "status", "rows", "location", "duration_seconds", "started_at", "error"]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `exporters` noun."""
    destination = arg("destination", nargs="*", metavar="key=value")
    add_verbs(verbs(nouns, "exporters", "write datasets to databases and file stores"), [
        Verb("list", list_exporters, "list exporters with their last export", []),
        Verb("create", create_exporter,
             "create an exporter: NAME CONNECTOR key=value ... (table=, path=, bucket=, dataset=)", [
                 "name", "connector", destination,
                 arg("--mode", default="timestamp", help="timestamp (default), cancel or overwrite"),
                 arg("--format", dest="file_format", default="csv", help="csv (default) or parquet, for files"),
             ]),
        Verb("edit", edit_exporter, "change it: NAME [key=value ...] [--mode M] [--format F] [--rename N]", [
            "name", destination, arg("--mode"), arg("--format", dest="file_format"), arg("--connector"),
            arg("--rename"),
        ]),
        Verb("show", show_record("exporters"), "one exporter and its last export"),
        Verb("test", test_record("exporters"), "check that its destination is writable"),
        Verb("history", exporter_history, "every export it did, newest first"),
        Verb("delete", delete_record("exporters"), "delete it and its history"),
        Verb("run", run_export, "export a dataset: EXPORTER DATASET [--wait]", [
            "name", "dataset", arg("--wait", action="store_true", help="follow the export; exit 1 unless it succeeds"),
        ]),
    ])


def list_exporters(args: argparse.Namespace, out: Output) -> None:
    infos = [x.info for x in project(args).exporters.list()]
    if out.json_mode:
        out.result(infos)
        return
    rows = [{**i.model_dump(mode="json"), "last_export": i.last_run.status.value if i.last_run else None} for i in infos]
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




def exporter_history(args: argparse.Namespace, out: Output) -> None:
    out.result([run.info for run in project(args).exporters[args.name].history()], table=RUNS)



def follow_export(run: ExportRun, out: Output) -> None:
    """Show the export's progress until it ends."""
    jobs = run.project.catalog.jobs

    def read() -> tuple[str, float, str, bool]:
        info = run.info
        job = jobs.get(info.job_id) if info.job_id else None
        return info.status.value, info.progress, job.message if job else "", info.status.finished

    out.follow(read, jobs)


def run_export(args: argparse.Namespace, out: Output) -> int:
    run = project(args).exporters[args.name].run(args.dataset)
    if not args.wait:
        out.result(run.info)
        return 0
    follow_export(run, out)
    info = run.info
    out.result(info)
    if info.status is not JobStatus.SUCCEEDED:
        print(f"error: export {info.status.value}: {info.error}", file=sys.stderr)
        return 1
    return 0
