"""The argument parser: global options, then one sub-parser per noun, each with its verbs.

A noun module lists its verbs as a table:

    add_verbs(verbs(nouns, "datasets", "..."), [
        Verb("show", show_dataset, "one dataset"),                       # takes NAME
        Verb("sample", sample_dataset, "the first rows", ["name", arg("-n", type=int, default=20)]),
    ])
"""

from __future__ import annotations

import argparse
from typing import Any, Callable, NamedTuple, Sequence

from .output import Output

Runner = Callable[[argparse.Namespace, Output], "int | None"]


class Arg(NamedTuple):
    """One argument of a verb, as `ArgumentParser.add_argument` takes it."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    """`arg("--wait", action="store_true", help=...)`; in a table a bare string is a positional."""
    return Arg(flags, options)


class Verb(NamedTuple):
    """A row of a noun's table: the verb, the function it runs, its help and its arguments."""

    name: str
    run: Runner
    help: str
    args: Sequence[str | Arg] = ("name",)


def add_global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """`--home`, `--project`, `--json`: on the top-level parser with their defaults, and on every
    noun and verb parser without (`argparse.SUPPRESS`), so they may come before the noun or after
    the verb (`dataplane datasets stats sales --json`) and a later one wins."""

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--home", default=default(None),
                        help="data home (default $DATAPLANE_HOME or ~/.dataplane)")
    parser.add_argument("--user", default=default(None),
                        help="who works (default $DATAPLANE_USER, else the OS user); see DATAPLANE_ACCESS")
    parser.add_argument("--project", "-p", default=default("default"), help="project name (default: default)")
    parser.add_argument("--json", action="store_true", default=default(False), help="print JSON for scripts")


def build_parser() -> argparse.ArgumentParser:
    """`dataplane [--home DIR] [--project P] [--json] <noun> <verb> ... [--home DIR] [--project P] [--json]`."""
    from . import datasets, demo, exporters, image_folders, jobs, members, pipelines, projects, schedules, sources

    parser = argparse.ArgumentParser(prog="dataplane", description="The dataplane catalog from the terminal.")
    add_global_options(parser, defaults=True)
    nouns = parser.add_subparsers(title="nouns", metavar="<noun>")
    for module in (projects, members, datasets, image_folders, sources, exporters, pipelines, schedules, jobs, demo):
        module.register(nouns)
    return parser


def verbs(nouns: argparse._SubParsersAction, noun: str, help_text: str) -> argparse._SubParsersAction:
    """Add a noun and return the sub-parsers for its verbs."""
    parser = nouns.add_parser(noun, help=help_text)
    add_global_options(parser, defaults=False)
    parser.set_defaults(run=lambda args, out: parser.print_help() or 2)
    return parser.add_subparsers(title="verbs", metavar="<verb>")


def add_verbs(sub: argparse._SubParsersAction, table: Sequence[Verb]) -> None:
    """Add each verb of the table with its arguments."""
    for verb in table:
        parser = sub.add_parser(verb.name, help=verb.help)
        add_global_options(parser, defaults=False)
        for argument in verb.args:
            flags, options = ((argument,), {}) if isinstance(argument, str) else argument
            parser.add_argument(*flags, **options)
        parser.set_defaults(run=verb.run)
