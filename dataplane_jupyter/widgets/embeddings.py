"""Compute a dataset's embeddings, or explore them: a 3-D map of the rows and their neighbours."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from . import html
from .actions import bind, job_progress
from .dataset import show_figure

MAX_POINTS_DRAWN = 20_000


def embeddings_figure(points: Any) -> go.Figure:
    """A 3-D scatter of the embedded rows (x, y, z columns; `row` in the hover)."""
    shown = points.head(MAX_POINTS_DRAWN)
    figure = go.Figure(go.Scatter3d(
        x=shown["x"], y=shown["y"], z=shown["z"], mode="markers", marker={"size": 2.5, "opacity": 0.7},
        customdata=shown["row"], hovertemplate="row %{customdata}<extra></extra>",
    ))
    figure.update_layout(template="plotly_white", height=520, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                         title=f"Embeddings of {len(points):,} rows" + (
                             f" (first {MAX_POINTS_DRAWN:,} drawn)" if len(points) > MAX_POINTS_DRAWN else ""))
    return figure


def embeddings_view(dataset: Any, message: w.HTML) -> w.Widget:
    """Explore the embeddings when they are ready; otherwise a button that computes them."""
    record = dataset.info.embeddings or {}
    box = w.VBox()
    if record.get("status") == "ready":
        plot = w.Output()
        show_figure(plot, embeddings_figure(dataset.embeddings()))
        row = w.BoundedIntText(value=0, min=0, max=max((dataset.describe().rows or 1) - 1, 0), description="Row")
        k = w.BoundedIntText(value=5, min=1, max=100, description="Neighbours")
        find = w.Button(description="Find neighbours", icon="search")
        table = w.HTML()

        def neighbours() -> None:
            frame = dataset.neighbors(int(row.value), k=int(k.value))
            table.value = html.table(list(frame.columns), frame.itertuples(index=False))

        bind(find, neighbours, message)
        box.children = [plot, w.HBox([row, k, find]), table]
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
