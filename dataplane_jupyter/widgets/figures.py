"""Figures drawn from stored statistics: pure functions, statistics dict in, plotly figure out.

Nothing here reads data or recomputes a statistic: the histograms, top values and correlation
matrix come from `Dataset.statistics()` as the statistics job stored them. The panels call these
functions; the tests call them without a kernel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TEMPLATE = "plotly_white"
BAR_COLOR = "#1f77b4"
MAX_CATEGORIES_DRAWN = 15  # every level labelled up to this many (the sidebar's charts.ts too)
TOP_OF_MANY = 10  # levels drawn for a column with more than MAX_CATEGORIES_DRAWN
LABELLED_AXIS_LIMIT = 60  # beyond this many heatmap columns, tick labels overlap: hover instead
CELL_TEXT_LIMIT = 12  # up to this many heatmap columns, each cell's r value is written in it


def _empty(message: str, height: int = 200) -> go.Figure:
    figure = go.Figure(layout={"template": TEMPLATE, "height": height})
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def distribution_trace(column: dict[str, Any]) -> go.Bar | None:
    """One bar trace for a column: its stored histogram, or its most frequent values; for image
    columns the widths of the inspected images, for tensor columns their shapes."""
    histogram = column.get("histogram")
    if histogram and histogram.get("counts"):
        return _histogram_trace(column["name"], histogram, column.get("type") == "datetime")
    media = column.get("media") or {}
    width = (media.get("width") or {}).get("histogram")
    if width and width.get("counts"):
        return _histogram_trace(f"{column['name']} width (px)", width, False)
    if media.get("shapes"):
        return _top_trace(column, [{"value": k, "count": v} for k, v in media["shapes"].items()])
    top = column.get("top")
    if top:
        return _top_trace(column, top)
    return None


def _histogram_trace(name: str, histogram: dict[str, Any], dates: bool) -> go.Bar:
    counts = histogram["counts"]
    edges = pd.to_datetime(histogram["edges"]) if dates else np.asarray(histogram["edges"], dtype=float)
    left, right = edges[:-1], edges[1:]
    if dates:
        centers = [a + (b - a) / 2 for a, b in zip(left, right)]
        widths = [(b - a).total_seconds() * 1000 for a, b in zip(left, right)]
        ranges = [f"{a:%Y-%m-%d %H:%M} – {b:%Y-%m-%d %H:%M}" for a, b in zip(left, right)]
    else:
        centers = list((left + right) / 2)
        widths = list(right - left)
        ranges = [f"{a:.4g} – {b:.4g}" for a, b in zip(left, right)]
    return go.Bar(
        x=centers, y=counts, width=widths, name=name, marker_color=BAR_COLOR,
        customdata=ranges, hovertemplate="%{customdata}<br>%{y} rows<extra></extra>",
    )


def level_label(value: Any) -> str:
    """A category's label as the sidebar's charts write it (`String(value)`): true/false."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


def levels_note(column: dict[str, Any]) -> str | None:
    """For a column with more levels than are drawn, what its chart says instead of one
    "(other values)" bar dwarfing the rest: "142 levels, each 0.7 %" when the drawn ones are
    equally frequent, else "142 levels: the 10 most frequent (35.7 % of rows)" (charts.ts
    `levelsNote`)."""
    top = column.get("top") or []
    distinct = column.get("distinct") or len(top)
    total = column.get("count") or 0
    if distinct <= MAX_CATEGORIES_DRAWN or not top or total <= 0:
        return None
    counts = [entry["count"] for entry in top[:TOP_OF_MANY]]

    def share(count: int) -> str:
        return f"{100 * count / total:.1f} %"

    if max(counts) == min(counts):
        return f"{distinct:,} levels, each {share(counts[0])}"
    return f"{distinct:,} levels: the {len(counts)} most frequent ({share(sum(counts))} of rows)"


def _top_trace(column: dict[str, Any], top: list[dict[str, Any]]) -> go.Bar:
    many = levels_note({**column, "top": top}) is not None
    shown = top[:TOP_OF_MANY if many else MAX_CATEGORIES_DRAWN]
    labels = [level_label(entry["value"]) for entry in shown]
    counts = [entry["count"] for entry in shown]
    other = (column.get("count") or 0) - sum(entry["count"] for entry in top)
    if not many and (len(top) > len(shown) or other > 0):
        labels.append("(other values)")
        counts.append(other + sum(entry["count"] for entry in top[len(shown):]))
    return go.Bar(
        x=counts, y=labels, orientation="h", name=column["name"], marker_color=BAR_COLOR,
        hovertemplate="%{y}: %{x} rows<extra></extra>",
    )


def distribution_figure(column: dict[str, Any], height: int = 320) -> go.Figure:
    """The distribution of one column: histogram (numeric, datetime) or top values (others)."""
    trace = distribution_trace(column)
    note = levels_note(column) if not (column.get("media") or {}) else None
    title = f"{column['name']} ({column.get('type', '?')})" + (f"<br><sub>{note}</sub>" if note else "")
    if trace is None:
        return _empty(f"{title}: no values to draw", height)
    figure = go.Figure(trace, layout={"template": TEMPLATE, "height": height, "title": title,
                                      "bargap": 0.05, "showlegend": False,
                                      "margin": {"l": 60, "r": 20, "t": 50, "b": 40}})
    if trace.orientation == "h":
        figure.update_yaxes(autorange="reversed", title=None, dtick=1)  # every level's label
        figure.update_xaxes(title="rows")
    else:
        figure.update_yaxes(title="rows")
    return figure


def distributions_figure(columns: Sequence[dict[str, Any]], per_row: int = 3) -> go.Figure:
    """Small multiples: one distribution per column, `per_row` to a row."""
    if not columns:
        return _empty("No columns to draw")
    rows = math.ceil(len(columns) / per_row)
    notes = [levels_note(c) if not (c.get("media") or {}) else None for c in columns]
    titles = [f"{c['name']} ({c.get('type', '?')})" + (f" · {note}" if note else "") for c, note in zip(columns, notes)]
    figure = make_subplots(rows=rows, cols=per_row, subplot_titles=titles,
                           vertical_spacing=min(0.3 / rows + 0.05, 0.25), horizontal_spacing=0.08)
    for index, column in enumerate(columns):
        trace = distribution_trace(column)
        row, col = divmod(index, per_row)
        if trace is None:
            figure.add_annotation(text="no values", showarrow=False, row=row + 1, col=col + 1,
                                  x=0.5, y=0.5, xref="x domain", yref="y domain")
            continue
        figure.add_trace(trace, row=row + 1, col=col + 1)
        if trace.orientation == "h":
            figure.update_yaxes(autorange="reversed", dtick=1, row=row + 1, col=col + 1)
    figure.update_layout(template=TEMPLATE, height=230 * rows + 40, showlegend=False, bargap=0.05,
                         margin={"l": 50, "r": 20, "t": 40, "b": 30})
    figure.update_annotations(font_size=12)
    return figure


def _matrix(correlation: dict[str, Any]) -> tuple[list[str], np.ndarray]:
    names = list(correlation.get("columns") or [])
    values = correlation.get("matrix") or []
    matrix = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
    return names, matrix.reshape(len(names), len(names))


def most_correlated(correlation: dict[str, Any], n: int = 30) -> list[str]:
    """The `n` columns with the strongest correlations to the others (mean |r|), in stored order."""
    names, matrix = _matrix(correlation)
    if len(names) <= n:
        return names
    strength = np.abs(matrix)
    np.fill_diagonal(strength, np.nan)
    with np.errstate(all="ignore"):
        score = np.nan_to_num(np.nanmean(strength, axis=1), nan=-1.0)
    keep = sorted(np.argsort(-score, kind="stable")[:n])
    return [names[i] for i in keep]


def cluster_order(matrix: np.ndarray) -> list[int]:
    """An order that puts strongly correlated columns next to each other.

    Average-linkage agglomerative clustering on the distance 1 - |r|, leaves in merge order: each
    group of correlated columns ends up in one block. Numpy only; a few milliseconds for 300+
    columns.
    """
    k = matrix.shape[0]
    distance = 1.0 - np.nan_to_num(np.abs(np.asarray(matrix, dtype=float)), nan=0.0)
    np.fill_diagonal(distance, np.inf)
    members: dict[int, list[int]] = {i: [i] for i in range(k)}
    for _ in range(k - 1):
        i, j = divmod(int(np.argmin(distance)), k)
        i, j = min(i, j), max(i, j)
        ni, nj = len(members[i]), len(members[j])
        merged = (ni * distance[i] + nj * distance[j]) / (ni + nj)
        distance[i, :] = distance[:, i] = merged
        distance[j, :] = distance[:, j] = np.inf
        distance[i, i] = np.inf
        members[i] = members[i] + members.pop(j)
    return members[min(members)] if members else []


def correlation_figure(
    correlation: dict[str, Any], columns: Sequence[str] | None = None, *, cluster: bool = False
) -> go.Figure:
    """Heatmap of the stored correlation matrix, restricted to `columns` (all when None) and
    optionally reordered so that correlated columns sit together."""
    names, matrix = _matrix(correlation)
    if columns is not None:
        unknown = [c for c in columns if c not in names]
        if unknown:
            raise ValueError(f"no correlation for column(s) {', '.join(map(repr, unknown))}")
        index = [names.index(c) for c in columns]
        names, matrix = [names[i] for i in index], matrix[np.ix_(index, index)]
    if len(names) < 2:
        return _empty("A correlation matrix needs at least two numeric columns", 240)
    if cluster:
        order = cluster_order(matrix)
        names, matrix = [names[i] for i in order], matrix[np.ix_(order, order)]
    z = [[None if np.isnan(v) else round(float(v), 4) for v in row] for row in matrix]
    labelled = len(names) <= LABELLED_AXIS_LIMIT
    written = len(names) <= CELL_TEXT_LIMIT
    # cells of 40 px hold a written r value; beyond, 22 px cells and the value on hover (as the sidebar)
    size = int(min(max(420, (40 if written else 22) * len(names) + (240 if written else 160)), 900))
    figure = go.Figure(
        go.Heatmap(
            z=z, x=names, y=names, zmin=-1, zmax=1, colorscale="RdBu_r", zmid=0,
            hovertemplate="%{y} and %{x}<br>r = %{z:.3f}<extra></extra>",
            colorbar={"title": "r"},
            **({"texttemplate": "%{z:.2f}", "textfont": {"size": 11}} if written else {}),
        ),
        layout={"template": TEMPLATE, "height": size, "width": size + 120,
                "title": f"{correlation.get('method', 'pearson').title()} correlation ({len(names)} columns)",
                "margin": {"l": 120 if labelled else 20, "r": 20, "t": 50, "b": 120 if labelled else 20}},
    )
    figure.update_xaxes(showticklabels=labelled, tickangle=-45)
    figure.update_yaxes(showticklabels=labelled, autorange="reversed")
    return figure


def mimebundle(figure: go.Figure) -> dict[str, Any]:
    """What the plotly renderer shipped with the plotly wheel draws in JupyterLab."""
    import plotly.io as pio

    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(figure.to_dict())
    title = figure.layout.title.text or "figure"
    return {**bundle, "text/plain": f"<plotly figure: {title}>"}
