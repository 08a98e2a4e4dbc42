"""Printing results as tables for people or JSON for scripts, and following jobs' progress."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, Callable, Sequence

from pydantic import BaseModel

from ..core.errors import cli_hint, reword_hints

if TYPE_CHECKING:
    from ..core.jobs.handles import Jobs


def plain(value: Any) -> Any:
    """JSON-ready version of records and lists of records."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


class Output:
    """Where a command's result goes."""

    def __init__(self, json_mode: bool) -> None:
        self.json_mode = json_mode

    def result(self, value: Any, *, table: Sequence[str] | None = None) -> None:
        """Print a result: JSON, or a table of the named fields, or key: value lines."""
        data = plain(value)
        if self.json_mode:
            print(json.dumps(data, indent=2, default=str))
        elif table is not None and isinstance(data, list):
            print_table(data, table)
        elif isinstance(data, dict):
            for key, item in data.items():
                if key == "warnings" and isinstance(item, list) and item:
                    print("warnings:")  # one per line, suggested options as this CLI spells them
                    for warning in item:
                        text = warning.get("message", warning) if isinstance(warning, dict) else warning
                        print(f"  - {reword_hints(str(text), cli_hint)}")
                    continue
                if key in ("error", "message") and isinstance(item, str):
                    item = reword_hints(item, cli_hint)  # `separator=";"` → `--separator ";"`
                print(f"{key}: {item if not isinstance(item, (dict, list)) else json.dumps(item, default=str)}")
        else:
            print(data)

    def message(self, text: str) -> None:
        """A note for people (stderr in JSON mode so stdout stays parseable)."""
        print(text, file=sys.stderr if self.json_mode else sys.stdout)

    def follow(self, read: Callable[[], tuple[str, float, str, bool]], jobs: "Jobs", poll: float = 0.3) -> None:
        """Show progress until `read()` says finished: (status, fraction, message, finished).
        `jobs.wait_until` drives the loop, so a job whose worker died ends instead of hanging."""
        tty = sys.stderr.isatty()
        last: list[tuple[str, str]] = []

        def step() -> bool | None:
            status, fraction, message, finished = read()
            message = reword_hints(message, cli_hint)
            line = f"[{'#' * int(fraction * 30):<30}] {fraction * 100:3.0f}% {status}: {message}"
            if tty:
                print(f"\r{line[:120]:<120}", end="", file=sys.stderr, flush=True)
            elif [(status, message)] != last:
                print(line, file=sys.stderr, flush=True)
            last[:] = [(status, message)]
            return True if finished else None

        jobs.wait_until(step, poll=poll)
        if tty:
            print(file=sys.stderr)

def print_table(rows: list[dict[str, Any]], fields: Sequence[str]) -> None:
    """A left-aligned text table; suggested options in errors and messages as this CLI spells them."""
    def shown(field: str, value: Any) -> str:
        text = _cell(value)
        return reword_hints(text, cli_hint) if field in ("error", "message") else text

    cells = [[shown(field, row.get(field)) for field in fields] for row in rows]
    widths = [max([len(field), *(len(row[i]) for row in cells)]) for i, field in enumerate(fields)]
    print("  ".join(field.upper().ljust(width) for field, width in zip(fields, widths)))
    for row in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)
