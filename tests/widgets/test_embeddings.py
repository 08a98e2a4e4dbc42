"""The Embeddings action: compute them from the panel, then explore the 3-D map and neighbours."""

from __future__ import annotations

import base64

import numpy as np

from dataplane_jupyter.widgets.dataset import DatasetPanel, figure_of
from dataplane_jupyter.widgets.embeddings import default_color_column


def points(values) -> int:
    """How many values a plotly JSON array holds (plain list or base64 typed array)."""
    if isinstance(values, dict):
        return len(base64.b64decode(values["bdata"])) // np.dtype(values["dtype"]).itemsize
    return len(values)


def test_compute_then_explore_embeddings(tips):
    actions = DatasetPanel(tips).actions
    actions.embeddings_button.click()
    view = actions.form.children[0]
    notice, compute, progress = view.children
    assert "No embeddings yet" in notice.value
    compute.click()
    assert "Computing embeddings" in actions.message.value
    state = progress.children[0].follower.join(120)
    assert state is not None and state.status == "succeeded", state
    colour, plot, controls, table = view.children[0].children  # the view replaced itself with the explorer
    # coloured by the most informative low-cardinality column: a trace per level
    assert colour.value == "day"
    traces = figure_of(plot)["data"]
    assert {t["name"] for t in traces} == {"Sun", "Sat", "Thur", "Fri"}
    assert all(t["type"] == "scatter3d" for t in traces) and sum(points(t["x"]) for t in traces) == 244
    colour.value = "(none)"
    scatter = figure_of(plot)["data"]
    assert len(scatter) == 1 and points(scatter[0]["x"]) == 244
    colour.value = "tip"  # numbers: one trace on a colour scale
    assert figure_of(plot)["data"][0]["marker"]["colorscale"] is not None
    row, k, find = controls.children
    row.value, k.value = 12, 3
    find.click()
    assert table.value.count("<tr>") == 4 and "distance" in table.value
    actions.embeddings_button.click()  # computed ones open straight in the explorer
    assert figure_of(actions.form.children[0].children[1]) is not None


def test_the_map_colours_by_the_most_evenly_spread_low_cardinality_column():
    """The sidebar's `defaultColorColumn` cases (labextension/test/details-views.test.ts)."""
    def column(name, type_, counts):
        return {"name": name, "type": type_, "distinct": len(counts),
                "top": [{"value": f"v{k}", "count": c} for k, c in enumerate(counts)]}

    assert default_color_column([
        {"name": "sepal_length", "type": "numeric", "distinct": 35},
        column("flag", "boolean", [149, 1]),
        column("species", "categorical", [50, 50, 50]),
        column("country", "categorical", [12] * 142),
    ]) == "species"
    assert default_color_column([{"name": "x", "type": "numeric", "distinct": 3}]) is None
