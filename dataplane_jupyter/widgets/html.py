"""Small HTML pieces the panels share: badges, tables, messages, sizes. Escaped, no scripts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

STATUS_STEPS = (
    ("copying", "Copy on going"),
    ("computing_statistics", "Dataset Statistics pending"),
    ("ready", "Ready to be used"),
)
STATUS_COLORS = {
    "copying": "#b26a00",
    "computing_statistics": "#1565c0",
    "ready": "#2e7d32",
    "failed": "#c62828",
    "queued": "#616161",
    "running": "#1565c0",
    "succeeded": "#2e7d32",
    "cancelled": "#616161",
}

# Loaded once per panel; an HTML widget applies <style> (it runs no <script>).
STYLESHEET = """<style>
.dp-badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;white-space:nowrap}
.dp-table{border-collapse:collapse;font-size:12.5px}
.dp-table th,.dp-table td{padding:2px 10px;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}
.dp-table th{background:#f5f5f5;position:sticky;top:0}
.dp-raw{margin:0;font-family:var(--jp-code-font-family,monospace);white-space:pre-wrap;background:#fff8e1}
.dp-table td.dp-num{text-align:right;font-variant-numeric:tabular-nums}
.dp-scroll{max-height:360px;overflow:auto}
.dp-error{color:#b71c1c;background:#fdecea;border-left:4px solid #c62828;padding:6px 10px;white-space:pre-wrap}
.dp-ok{color:#1b5e20;background:#edf7ed;border-left:4px solid #2e7d32;padding:6px 10px;white-space:pre-wrap}
.dp-note{color:#424242;background:#f5f5f5;border-left:4px solid #9e9e9e;padding:6px 10px}
.dp-steps{display:flex;gap:6px;align-items:center;font-size:12.5px}
.dp-step{padding:2px 8px;border-radius:10px;border:1px solid #bdbdbd;color:#757575}
.dp-step.done{background:#e8f5e9;border-color:#2e7d32;color:#2e7d32}
.dp-step.current{background:#1565c0;border-color:#1565c0;color:#fff}
.dp-step.failed{background:#c62828;border-color:#c62828;color:#fff}
.dp-title{font-size:16px;font-weight:600}
.dp-muted{color:#757575;font-size:12px}
</style>"""


def text(value: str) -> str:
    """Text content escaped for HTML (quotes stay readable in the source)."""
    return escape(value, quote=False)


def attribute(value: str) -> str:
    """A value escaped for an HTML attribute."""
    return escape(value, quote=True)


def badge(status: str, label: str | None = None) -> str:
    """A coloured pill for a dataset or job status."""
    color = STATUS_COLORS.get(status, "#616161")
    return f'<span class="dp-badge" style="background:{color}" data-status="{escape(status)}">{text(label or status)}</span>'


def steps(status: str, error: str | None = None) -> str:
    """The platform's three steps, the current one highlighted (or failure with its reason)."""
    names = [name for name, _ in STATUS_STEPS]
    current = names.index(status) if status in names else -1
    parts = []
    for index, (_name, label) in enumerate(STATUS_STEPS):
        state = "done" if index < current or status == "ready" else "current" if index == current else ""
        parts.append(f'<span class="dp-step {state}">{index + 1}. {text(label)}</span>')
    if status == "failed":
        parts.append('<span class="dp-step failed">Failed</span>')
    html = f'<div class="dp-steps" data-status="{escape(status)}">{"→".join(parts)}</div>'
    if error:
        html += error_box(error)
    return html


def error_box(message: str) -> str:
    """A readable error (never a traceback)."""
    return f'<div class="dp-error">{text(message)}</div>'


def ok_box(message: str) -> str:
    """A success message."""
    return f'<div class="dp-ok">{text(message)}</div>'


def note(message: str) -> str:
    """A neutral notice."""
    return f'<div class="dp-note">{text(message)}</div>'


def human_size(size: int | None) -> str:
    """1234567 -> '1.2 MB'."""
    if size is None:
        return "—"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def number(value: Any, digits: int = 4, *, code_like: bool = False) -> str:
    """A statistic for display: thousands separators (none for codes: years, ids), a few
    significant digits, dashes for none, midnight timestamps as their date."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value) if code_like else f"{value:,}"
    if isinstance(value, float):
        if code_like:
            return f"{value:.{digits + 2}g}"
        return f"{value:,.{digits}g}" if abs(value) < 1e15 else f"{value:.{digits}e}"
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, str) and (date := _MIDNIGHT.match(value)):
        return date.group(1)
    return str(value)


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?$")
_CODE_LIKE_NAME = re.compile(r"(^|[_\s-])(id|code|year|yr|zip|key|number|no)$", re.I)


def is_code_like(name: str, values: Iterable[Any]) -> bool:
    """Integers that are codes, not amounts (as the sidebar decides): the column's name says so
    (year, id, code…), or every value is a year between 1000 and 2999."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v]
    if not numbers or not all(float(v).is_integer() for v in numbers):
        return False
    return bool(_CODE_LIKE_NAME.search(str(name))) or all(1000 <= v <= 2999 for v in numbers)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def when(moment: dt.datetime | None) -> str:
    """A creation date, in local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, scroll: bool = True, raw: bool = False) -> str:
    """An HTML table; cells are escaped unless `raw`."""
    head = "".join(f"<th>{text(str(h))}</th>" for h in headers)
    rows = [list(row) for row in rows]
    codes = [is_code_like(h, (row[k] for row in rows if k < len(row))) for k, h in enumerate(headers)]

    def cell(k: int, v: Any) -> str:
        shown = str(v) if raw else text(number(v, code_like=k < len(codes) and codes[k]))
        return f'<td class="dp-num">{shown}</td>' if _is_number(v) else f"<td>{shown}</td>"

    body = "".join("<tr>" + "".join(cell(k, v) for k, v in enumerate(row)) + "</tr>" for row in rows)
    html = f'<table class="dp-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="dp-scroll">{html}</div>' if scroll else html
