"""Notebook magics: `%load_ext dataplane_jupyter`, then

    %dataplane <noun> <verb> ...                       # the `dataplane` command, in the kernel
    %%dataplane sql CONNECTOR [--save-as NAME] [--limit N] [--project P] [--wait]
    SELECT ...                                          # preview a query; save it as a dataset

The line magic takes exactly the CLI's arguments, so the two never drift apart. The magics parse
and then call plain functions (`magics.sql.run_sql`); user errors show a one-line hint
(`UsageError`), never a traceback.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class

from ..cli import main as cli_main
from ..core.catalog.catalog import Catalog
from ..core.errors import DataplaneError
from .complete import complete_dataplane
from .sql import run_sql


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting the kernel."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{message}\n{self.format_usage().strip()}")


def cell_parser() -> argparse.ArgumentParser:
    """Arguments of the `%%dataplane` cell magic."""
    parser = _Parser(prog="%%dataplane", add_help=False)
    commands = parser.add_subparsers(dest="command", metavar="sql", parser_class=_Parser)
    sql = commands.add_parser("sql", add_help=False, help="run the cell's query through an SQL connector")
    sql.add_argument("connector", help="name of a saved SQL connector")
    sql.add_argument("--save-as", help="also import the whole result as a dataset with this name")
    sql.add_argument("--limit", type=int, default=20, help="rows to preview (default 20)")
    sql.add_argument("--project", "-p", default="default", help="project (default: default)")
    sql.add_argument("--home", help="data home (default $DATAPLANE_HOME or ~/.dataplane)")
    sql.add_argument("--wait", action="store_true", help="with --save-as: block until the dataset is ready")
    return parser


@magics_class
class DataplaneMagics(Magics):
    """`%dataplane` (the CLI) and `%%dataplane sql` (queries)."""

    @line_cell_magic
    def dataplane(self, line: str, cell: str | None = None) -> Any:
        """%dataplane <noun> <verb> ... (the `dataplane` command); %%dataplane sql CONNECTOR (a query)."""
        if cell is None:
            return self._command(line)
        return self._cell(line, cell)

    @staticmethod
    def _command(line: str) -> None:
        try:
            cli_main(shlex.split(line))
        except SystemExit:
            pass  # argparse already printed the usage message; keep the kernel alive

    def _cell(self, line: str, cell: str) -> Any:
        try:
            args = cell_parser().parse_args(shlex.split(line))
        except ValueError as exc:  # unbalanced quotes
            raise UsageError(f"%%dataplane: {exc}") from None
        if args.command != "sql":
            raise UsageError("usage: %%dataplane sql CONNECTOR [--save-as NAME] [--limit N] [--project P]")
        try:
            project = Catalog(args.home).project(args.project)
            result = run_sql(project, args.connector, cell, limit=args.limit, save_as=args.save_as)
            if result.dataset is not None:
                self._follow(result.dataset, args.wait)
        except DataplaneError as exc:
            raise UsageError(exc.message) from None
        return result.preview

    def _follow(self, dataset: Any, wait: bool) -> None:
        name = dataset.describe().name
        if wait:
            dataset.wait()
            print(f"Saved the query's result as dataset {name!r}: {dataset.rows:,} rows × {dataset.columns} columns.")
            return
        print(f"Importing the query's whole result as dataset {name!r}.")
        if getattr(self.shell, "kernel", None) is not None:  # a plain IPython terminal draws no widgets
            from IPython.display import display

            from ..widgets.actions import dataset_progress

            display(dataset_progress(dataset))


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics, their completions, and the panels as the display of our records."""
    ipython.register_magics(DataplaneMagics)
    for key in ("%dataplane", "%%dataplane"):
        ipython.set_hook("complete_command", complete_dataplane, str_key=key)
    from ..widgets import register_display

    register_display(ipython)
