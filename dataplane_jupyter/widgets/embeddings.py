"""Compute a dataset's embeddings, or explore them: a 3-D map of the rows and their neighbours."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from ..core.embeddings.views import embedding_map
from . import figures, html
from .actions import bind, describe_error, job_progress
from .dataset import show_figure

MAX_POINTS_DRAWN = 20_000
NO_COLOUR = "(none)"


def default_color_column(columns: list[dict[str, Any]]) -> str | None:
    """The column to colour the map by when the user has not picked one: among the categorical
    and true/false columns with 2 to 12 values, the most evenly spread (highest entropy of its
    value counts), e.g. iris's `species`; None when there is no such column (the sidebar's
    `defaultColorColumn`)."""
    best, best_score = None, -1.0
    for column in columns:
        distinct = column.get("distinct") or 0
        if column.get("type") not in ("categorical", "boolean") or not 2 <= distinct <= 12:
            continue
        counts = [entry["count"] for entry in column.get("top") or [] if entry["count"] > 0]
        total = sum(counts)
        entropy = -sum(c / total * math.log(c / total) for c in counts) if total else 0.0
        if entropy > best_score:
            best, best_score = column["name"], entropy
    return best


def embeddings_figure(points: Any, color: str | None = None, values: list[Any] | None = None) -> go.Figure:
    """A 3-D scatter of the embedded rows (x, y, z columns; `row` in the hover), coloured by
    `values` of column `color` when given: a trace per category, or a colour scale for numbers."""
    shown = points.head(MAX_POINTS_DRAWN)
    figure = go.Figure()
    numeric = values is not None and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                         for v in values if v is not None)
    if color is None or values is None:
        figure.add_trace(go.Scatter3d(
            x=shown["x"], y=shown["y"], z=shown["z"], mode="markers", marker={"size": 2.5, "opacity": 0.7},
            customdata=shown["row"], hovertemplate="row %{customdata}<extra></extra>", showlegend=False))
    elif numeric:
        figure.add_trace(go.Scatter3d(
            x=shown["x"], y=shown["y"], z=shown["z"], mode="markers",
            marker={"size": 2.5, "opacity": 0.8, "color": values[:len(shown)], "colorscale": "Viridis",
                    "colorbar": {"title": color}},
            customdata=list(zip(shown["row"], values[:len(shown)])),
            hovertemplate=f"row %{{customdata[0]}}<br>{color} = %{{customdata[1]}}<extra></extra>", showlegend=False))
    else:
        labels = [figures.level_label(v) if v is not None else "(missing)" for v in values[:len(shown)]]
        for level in dict.fromkeys(labels):
            keep = [k for k, label in enumerate(labels) if label == level]
            part = shown.iloc[keep]
            figure.add_trace(go.Scatter3d(
                x=part["x"], y=part["y"], z=part["z"], mode="markers", name=level,
                marker={"size": 2.5, "opacity": 0.8}, customdata=part["row"],
                hovertemplate=f"row %{{customdata}}<br>{color} = {level}<extra></extra>"))
    figure.update_layout(template="plotly_white", height=520, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                         legend={"title": {"text": color or ""}, "itemsizing": "constant"},
                         title=f"Embeddings of {len(points):,} rows" + (
                             f" (first {MAX_POINTS_DRAWN:,} drawn)" if len(points) > MAX_POINTS_DRAWN else "")
                         + (f", coloured by {color}" if color else ""))
    return figure


def embeddings_view(dataset: Any, message: w.HTML) -> w.Widget:
    """Explore the embeddings when they are ready; otherwise a button that computes them."""
    record = dataset.info.embeddings or {}
    box = w.VBox()
    if record.get("status") == "ready":
        plot = w.Output()
        columns = (dataset.statistics() or {}).get("columns") or []
        default = default_color_column(columns)
        colour = w.Dropdown(options=[NO_COLOUR, *(c["name"] for c in columns)], value=default or NO_COLOUR,
                            description="Colour by")

        def draw() -> None:
            name = None if colour.value == NO_COLOUR else colour.value
            mapped = embedding_map(dataset, name)
            points = pd.DataFrame({"row": mapped["rows"], "x": mapped["x"], "y": mapped["y"], "z": mapped["z"]})
            show_figure(plot, embeddings_figure(points, name, mapped["color"]["values"] if name else None))

        def redraw(_: Any) -> None:
            message.value = ""
            try:
                draw()
            except Exception as exc:  # noqa: BLE001 - a message, never a traceback
                message.value = html.error_box(describe_error(exc))

        colour.observe(redraw, "value")
        draw()
        row = w.BoundedIntText(value=0, min=0, max=max((dataset.describe().rows or 1) - 1, 0), description="Row")
        k = w.BoundedIntText(value=5, min=1, max=100, description="Neighbours")
        find = w.Button(description="Find neighbours", icon="search")
        table = w.HTML()

        def neighbours() -> None:
            frame = dataset.neighbors(int(row.value), k=int(k.value))
            table.value = html.table(list(frame.columns), frame.itertuples(index=False))

        bind(find, neighbours, message)
        box.children = [colour, plot, w.HBox([row, k, find]), table]
        return box
    compute = w.Button(description="Compute embeddings", icon="play", button_style="primary")
    progress = w.VBox()
    status = record.get("status")
    notice = (html.error_box(f"The last computation failed: {record.get('error')}") if status == "failed"
              else html.note("No embeddings yet: computing them maps every row (or a sample) to 3-D."))

    def start() -> str:
        handle = dataset.compute_embeddings()
        progress.children = [job_progress(handle, on_done=lambda state: _done(state))]
        return "Computing embeddings…"

    def _done(state: Any) -> None:
        if state.status == "succeeded":
            box.children = [embeddings_view(dataset, message)]

    bind(compute, start, message)
    box.children = [w.HTML(notice), compute, progress]
    return box
