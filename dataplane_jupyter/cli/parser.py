"""The argument parser: global options, then one sub-parser per noun, each with its verbs."""

from __future__ import annotations

import argparse

from . import datasets, demo, exporters, image_folders, jobs, projects, sources


def build_parser() -> argparse.ArgumentParser:
    """`dataplane [--home DIR] [--project P] [--json] <noun> <verb> ...`."""
    parser = argparse.ArgumentParser(prog="dataplane", description="The dataplane catalog from the terminal.")
    parser.add_argument("--home", help="data home (default $DATAPLANE_HOME or ~/.dataplane)")
    parser.add_argument("--project", "-p", default="default", help="project name (default: default)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    nouns = parser.add_subparsers(title="nouns", metavar="<noun>")
    for module in (projects, datasets, image_folders, sources, exporters, jobs, demo):
        module.register(nouns)
    return parser


def verbs(nouns: argparse._SubParsersAction, noun: str, help_text: str) -> argparse._SubParsersAction:
    """Add a noun and return the sub-parsers for its verbs."""
    parser = nouns.add_parser(noun, help=help_text)
    parser.set_defaults(run=lambda args, out: parser.print_help() or 2)
    return parser.add_subparsers(title="verbs", metavar="<verb>")
