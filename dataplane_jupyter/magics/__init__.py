"""Notebook magics: `%load_ext dataplane_jupyter`, then `%dataplane <noun> <verb> ...`.

The line magic takes exactly the `dataplane` command's arguments and runs it in the kernel, so
the two never drift apart; user errors print the message and no traceback.
"""

from __future__ import annotations

import shlex
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class

from ..cli import main as cli_main


@magics_class
class DataplaneMagics(Magics):
    """`%dataplane`: the CLI inside the notebook."""

    @line_magic
    def dataplane(self, line: str) -> None:
        """%dataplane [--project P] [--json] <noun> <verb> ... (same as the `dataplane` command)."""
        try:
            cli_main(shlex.split(line))
        except SystemExit:
            pass  # argparse already printed the usage message; keep the kernel alive


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics."""
    ipython.register_magics(DataplaneMagics)
