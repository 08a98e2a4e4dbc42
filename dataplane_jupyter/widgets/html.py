"""Small HTML pieces the panels share: badges, tables, messages, sizes. Escaped, no scripts."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import Any

import numpy as np

STATUS_STEPS = (
    ("copying", "Copy on going"),
    ("computing_statistics", "Dataset Statistics pending"),
    ("ready", "Ready to be used"),
)
# How a status reads, as the sidebar colours it (labextension/src/details/format.ts STATUS_TONES;
# tests/display_rules.json holds the table both are checked against): done, at work, failed, or idle.
STATUS_TONES = {
    "ready": "ok", "succeeded": "ok", "reused": "ok",
    "copying": "busy", "computing_statistics": "busy", "computing_embeddings": "busy",
    "queued": "busy", "running": "busy", "fired": "busy", "retried": "busy",
    "failed": "failed",
    "cancelled": "idle", "pending": "idle", "skipped": "idle", "skipped_overlap": "idle", "skipped_missed": "idle",
}


def status_tone(status: str) -> str:
    """ok, busy, failed or idle (unknown statuses are idle), as the sidebar's chips."""
    return STATUS_TONES.get(status, "idle")


# Loaded once per panel; an HTML widget applies <style> (it runs no <script>).
STYLESHEET = """<style>
.dp-badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:calc(var(--jp-ui-font-size1,13px)*0.83333);white-space:nowrap;font-weight:normal;vertical-align:middle;background:var(--jp-layout-color3,#bdbdbd);color:var(--jp-ui-font-color1,#212121)}
.dp-tone-ok{background:var(--jp-success-color3,#c8e6c9);color:var(--jp-success-color0,#1b5e20)}
.dp-tone-busy{background:var(--jp-warn-color3,#ffe0b2);color:var(--jp-warn-color0,#e65100)}
.dp-tone-failed{background:var(--jp-error-color3,#ffcdd2);color:var(--jp-error-color0,#b71c1c)}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar{border-bottom:var(--jp-border-width,1px) solid var(--jp-border-color1,#bdbdbd);min-height:0}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar .lm-TabBar-content{border-bottom:none}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar .lm-TabBar-tab{flex:0 0 auto;min-width:0;max-width:none;height:auto;margin:0 2px 0 0;padding:6px 14px;border:none;border-bottom:2px solid transparent;background:transparent;color:var(--jp-ui-font-color2,#616161);font-size:var(--jp-ui-font-size1,13px);line-height:normal}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar .lm-TabBar-tab:hover{background:var(--jp-layout-color2,#eee);color:var(--jp-ui-font-color1,#212121)}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar .lm-TabBar-tab.lm-mod-current{transform:none;border:none;border-bottom:2px solid var(--jp-brand-color1,#1976d2);background:transparent;color:var(--jp-ui-font-color0,#000);font-weight:600;min-height:0}
.jupyter-widgets.widget-tab.dp-panel-tabs>.lm-TabBar .lm-TabBar-tab.lm-mod-current:before{display:none}
.jupyter-widgets.widget-tab.dp-panel-tabs>.widget-tab-contents{border:none;padding:12px 0 0}
.dp-table{border-collapse:collapse;font-size:12.5px}
.dp-table th,.dp-table td{padding:2px 10px;border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}
.dp-table th{background:#f5f5f5;position:sticky;top:0}
.dp-raw{margin:0;font-family:var(--jp-code-font-family,monospace);white-space:pre-wrap;background:#fff8e1}
.dp-table td.dp-num{text-align:right;font-variant-numeric:tabular-nums}
.dp-scroll{max-height:360px;overflow:auto}
.dp-scroll-x{overflow-x:auto;max-width:100%}
.dp-error{color:#b71c1c;background:#fdecea;border-left:4px solid #c62828;padding:6px 10px;white-space:pre-wrap}
.dp-ok{color:#1b5e20;background:#edf7ed;border-left:4px solid #2e7d32;padding:6px 10px;white-space:pre-wrap}
.dp-note{color:#424242;background:#f5f5f5;border-left:4px solid #9e9e9e;padding:6px 10px}
.dp-steps{display:flex;gap:6px;align-items:center;font-size:12.5px}
.dp-step{padding:2px 8px;border-radius:10px;border:1px solid #bdbdbd;color:#757575}
.dp-step.done{background:#e8f5e9;border-color:#2e7d32;color:#2e7d32}
.dp-step.current{background:#1565c0;border-color:#1565c0;color:#fff}
.dp-step.failed{background:#c62828;border-color:#c62828;color:#fff}
.dp-kv{border-collapse:collapse;font-size:var(--jp-ui-font-size1,13px)}
.dp-kv th,.dp-kv td{padding:3px 16px 3px 0;text-align:left;vertical-align:top;border:none;background:none}
.dp-kv th{color:var(--jp-ui-font-color2,#616161);font-weight:normal}
.dp-kv td{font-variant-numeric:tabular-nums}
.dp-warnings h4{margin:8px 0 4px}
.dp-warnings ul{margin:0;padding-left:20px;color:var(--jp-warn-color0,#e65100)}
.dp-table td.dp-rownum{color:var(--jp-ui-font-color2,#616161)}
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
    """A pill for a dataset or job status, coloured by its tone as the sidebar's chips."""
    return (f'<span class="dp-badge dp-tone-{status_tone(status)}" data-status="{escape(status)}">'
            f"{text(label or status)}</span>")


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


def number(value: Any, digits: int = 6, *, code_like: bool = False) -> str:
    """A statistic or cell for display, spelled as the sidebar does (labextension
    src/details/format.ts `formatCell`; tests/display_rules.json checks both): thousands
    separators (none for codes: years, ids), six significant digits, `true`/`false`, a dash
    for none, midnight timestamps as their date."""
    if value is None:
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value)) if code_like else f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return _float(float(value), digits, code_like)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, str) and (date := _MIDNIGHT.match(value)):
        return date.group(1)
    return str(value)


def _float(value: float, digits: int, code_like: bool) -> str:
    if math.isnan(value):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value)) if code_like else f"{int(value):,}"
    rounded = Decimal(f"{value:.{digits}g}")
    return format(rounded, "f" if code_like else ",f")


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


def key_values(rows: Iterable[tuple[str, str, str]]) -> str:
    """Label and value rows (key, label, value; values escaped), unbordered, as the sidebar's
    details summary; each value cell carries `data-field` = key."""
    body = "".join(f'<tr><th scope="row">{text(label)}</th><td data-field="{attribute(key)}">{text(value)}</td></tr>'
                   for key, label, value in rows)
    return f'<table class="dp-kv"><tbody>{body}</tbody></table>'


def took(seconds: float | None, digits: int = 1) -> str:
    """How long something ran ("12.3 s"), or a dash when it has not finished."""
    return f"{seconds:.{digits}f} s" if seconds is not None else "—"


def when(moment: dt.datetime | None) -> str:
    """A creation date, in local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else "—"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, scroll: bool = True, raw: bool = False,
          numbered: bool = False) -> str:
    """An HTML table; cells are escaped unless `raw`. `numbered`: a first "#" column with each
    row's number from 0, as the sidebar's Sample tab."""
    head = ("<th>#</th>" if numbered else "") + "".join(f"<th>{text(str(h))}</th>" for h in headers)
    rows = [list(row) for row in rows]
    codes = [is_code_like(h, (row[k] for row in rows if k < len(row))) for k, h in enumerate(headers)]

    def cell(k: int, v: Any) -> str:
        shown = str(v) if raw else text(number(v, code_like=k < len(codes) and codes[k]))
        return f'<td class="dp-num">{shown}</td>' if _is_number(v) else f"<td>{shown}</td>"

    def line(index: int, row: list[Any]) -> str:
        first = f'<td class="dp-num dp-rownum">{index}</td>' if numbered else ""
        return "<tr>" + first + "".join(cell(k, v) for k, v in enumerate(row)) + "</tr>"

    body = "".join(line(index, row) for index, row in enumerate(rows))
    html = f'<table class="dp-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return f'<div class="dp-scroll">{html}</div>' if scroll else html
