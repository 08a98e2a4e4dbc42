"""The Embeddings action: compute them from the panel, then explore the 3-D map and neighbours."""

from __future__ import annotations

import base64

import numpy as np

from dataplane_jupyter.widgets.dataset import DatasetPanel, figure_of


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
    plot, controls, table = view.children[0].children  # the view replaced itself with the explorer
    scatter = figure_of(plot)["data"][0]
    assert scatter["type"] == "scatter3d" and points(scatter["x"]) == 244
    row, k, find = controls.children
    row.value, k.value = 12, 3
    find.click()
    assert table.value.count("<tr>") == 4 and "distance" in table.value
    actions.embeddings_button.click()  # computed ones open straight in the explorer
    assert figure_of(actions.form.children[0].children[0]) is not None
