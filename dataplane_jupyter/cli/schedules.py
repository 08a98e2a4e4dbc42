"""`dataplane schedules create|list|show|runs|preview|pause|resume|delete` and `dataplane scheduler`.

    dataplane schedules create --datasource weekly --cron "0 6 * * MON" --timezone Europe/Paris
    dataplane schedules create nightly --pipeline scoring --every 3600 --param out.exporter=other
    dataplane scheduler            # fires due schedules until SIGTERM / Ctrl-C (logs to stdout)
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any

from ..core.errors import InvalidInput
from ..core.schedules import Scheduler
from .common import catalog, project
from .output import Output
from .parser import Verb, add_verbs, arg, verbs

TABLE = ["name", "target_type", "target_name", "description", "enabled", "next_run", "last_status"]
RUNS = ["tick", "attempt", "status", "run_name", "run_id", "message"]


def timing_args() -> list[Any]:
    return [
        arg("--cron", help='five-field cron line, e.g. "0 6 * * MON"'),
        arg("--timezone", "--tz", dest="timezone", help="IANA zone of the cron line (default UTC)"),
        arg("--every", type=float, help="seconds between ticks (at least 1)"),
        arg("--at", help="one date-time, ISO 8601 (e.g. 2027-01-04T06:00)"),
    ]


def register(nouns: argparse._SubParsersAction) -> None:
    """Add the `schedules` noun and the `scheduler` command."""
    params = [
        arg("--param", action="append", default=[], metavar="KEY=VALUE",
            help="a run parameter; dotted keys nest (out.exporter=other); values are JSON when they parse"),
        arg("--params-json", help="all run parameters as one JSON object"),
    ]
    add_verbs(verbs(nouns, "schedules", "run pipelines and refresh datasources on a schedule"), [
        Verb("list", list_schedules, "schedules with their next run and last status", [
            arg("--pipeline"), arg("--datasource")]),
        Verb("create", create_schedule,
             "create one: [NAME] --pipeline P | --datasource D, and --cron (+ --timezone) | --every S | --at T", [
                 arg("name", nargs="?"), arg("--pipeline"), arg("--datasource"), *timing_args(), *params,
                 arg("--retries", type=int, default=0, help="tries again after a failed run (default 0)"),
                 arg("--retry-delay", type=float, default=60.0, help="seconds before each retry (default 60)"),
                 arg("--paused", action="store_true", help="create it paused"),
             ]),
        Verb("edit", edit_schedule, "change its timing, parameters or retries: NAME [--cron ...] [--rename N]", [
            "name", *timing_args(), *params, arg("--retries", type=int), arg("--retry-delay", type=float),
            arg("--rename")]),
        Verb("show", show_schedule, "one schedule and its next five fire times"),
        Verb("runs", schedule_runs, "what each tick did, most recent first", [
            "name", arg("--limit", type=int, default=50)]),
        Verb("preview", preview_schedule, "read a timing and list its next fire times, without saving", [
            *timing_args(), arg("--count", type=int, default=5)]),
        Verb("pause", pause_schedule, "stop firing until resumed"),
        Verb("resume", resume_schedule, "fire again from now on"),
        Verb("delete", delete_schedule, "delete it and its history"),
    ])
    daemon = nouns.add_parser(
        "scheduler", help="fire due schedules without JupyterLab (foreground; SIGTERM or Ctrl-C stops it)",
        description="Fires the due schedules of every project of the catalog until SIGTERM or SIGINT, logging "
        "to stdout. Several schedulers (Jupyter servers, daemons) may share a catalog: each tick fires once.")
    daemon.add_argument("--max-sleep", type=float, default=1.0, help="longest pause between looks (s, default 1)")
    daemon.add_argument("--grace", type=float, default=30.0,
                        help="on stop, seconds the runs it started get to finish before they are cancelled")
    daemon.add_argument("--once", action="store_true", help="one pass, then exit")
    daemon.add_argument("--name", help="name in the records (default host:pid)")
    daemon.set_defaults(run=run_scheduler)


def parse_params(pairs: list[str], as_json: str | None) -> dict[str, Any] | None:
    """`--param a.b=1 --param c=x` → {"a": {"b": 1}, "c": "x"}; `--params-json` first."""
    if as_json is None and not pairs:
        return None
    try:
        params = json.loads(as_json) if as_json else {}
    except json.JSONDecodeError as error:
        raise InvalidInput(f"--params-json: not JSON ({error.msg} at column {error.colno}).", field="params") from None
    if not isinstance(params, dict):
        raise InvalidInput("--params-json: expected a JSON object.", field="params")
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--param: expected KEY=VALUE, got {pair!r}.", field="params")
        try:
            value: Any = json.loads(text)
        except json.JSONDecodeError:
            value = text
        *parents, leaf = key.split(".")
        node = params
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise InvalidInput(f"--param {pair!r}: {part!r} is already a value.", field="params")
        node[leaf] = value
    return params


def list_schedules(args: argparse.Namespace, out: Output) -> None:
    infos = [s.info for s in project(args).schedules.list(pipeline=args.pipeline, datasource=args.datasource)]
    out.result(infos, table=None if out.json_mode else TABLE)


def create_schedule(args: argparse.Namespace, out: Output) -> None:
    created = project(args).schedules.create(
        args.name, pipeline=args.pipeline, datasource=args.datasource, cron=args.cron, timezone=args.timezone,
        every=args.every, at=args.at, params=parse_params(args.param, args.params_json), retries=args.retries,
        retry_delay=args.retry_delay, enabled=not args.paused)
    out.result(created.info)


def edit_schedule(args: argparse.Namespace, out: Output) -> None:
    schedule = project(args).schedules[args.name]
    schedule.update(name=args.rename, cron=args.cron, timezone=args.timezone, every=args.every, at=args.at,
                    params=parse_params(args.param, args.params_json), retries=args.retries,
                    retry_delay=args.retry_delay)
    out.result(schedule.info)


def show_schedule(args: argparse.Namespace, out: Output) -> None:
    schedule = project(args).schedules[args.name]
    data = schedule.info.model_dump(mode="json")
    data["next_runs"] = [t.isoformat() for t in schedule.next_runs(5)]
    out.result(data)


def schedule_runs(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).schedules[args.name].runs(limit=args.limit), table=None if out.json_mode else RUNS)


def preview_schedule(args: argparse.Namespace, out: Output) -> None:
    found = project(args).schedules.preview(cron=args.cron, timezone=args.timezone, every=args.every, at=args.at,
                                            count=args.count)
    if out.json_mode:
        out.result(found)
        return
    print(found.description)
    for moment in found.local_next_runs:
        print(f"  {moment}")


def pause_schedule(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).schedules[args.name].pause().info)


def resume_schedule(args: argparse.Namespace, out: Output) -> None:
    out.result(project(args).schedules[args.name].resume().info)


def delete_schedule(args: argparse.Namespace, out: Output) -> None:
    project(args).schedules[args.name].delete()
    out.message(f"Deleted schedule {args.name!r}.")


def run_scheduler(args: argparse.Namespace, out: Output) -> int:
    """Foreground scheduler: logs to stdout; SIGTERM/SIGINT stop firing, let the runs it started
    finish for `--grace` seconds, cancel what is left, and exit 0."""
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    log = logging.getLogger("dataplane_jupyter.scheduler")
    scheduler = Scheduler(catalog(args), name=args.name, max_sleep=args.max_sleep, reap_every=30.0)
    if args.once:
        report = scheduler.run_pending()
        log.info("one pass: %d fired, %d skipped (overlap), %d missed", len(report.fired),
                 len(report.skipped_overlap), report.skipped_missed)
        return 0
    stop = threading.Event()

    def on_signal(number: int, _frame: Any) -> None:
        log.info("%s received: stopping", signal.Signals(number).name)
        stop.set()
        scheduler.wake.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.run_forever(stop)
    cancelled = scheduler.drain(args.grace)
    log.info("scheduler exited cleanly (%d run(s) cancelled)", cancelled)
    return 0
