"""Notebook controls for image and tensor columns (issue #17).

`ImageFeaturesPanel`: the Transformation / Color mode options of an image column (or of an image
folder), original vs transformed thumbnails of a few rows redrawn as the controls change (the
options are tried, not saved), and a Save button that stores a new version.

`TensorViewPanel`: one row of a tensor column drawn by its dimensions — line, heatmap, image,
or a slice picker for more dimensions — with the per-position mean and spread across rows.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import html
from .actions import describe_error

PREVIEW_ROWS = 6


class ImageFeaturesPanel(w.VBox):
    """Feature options of one image column (`column`) of a dataset, or of an image folder (None)."""

    def __init__(self, owner: Any, column: str | None = None) -> None:
        from ..core.images.columns import DatasetColumn, FolderColumn

        self.found = FolderColumn(owner) if column is None else DatasetColumn(owner, column)
        options = self.found.options()
        self.options = options
        self.provenance = w.HTML()
        self.transformation = w.Dropdown(options=["resize", "crop", "pad", "none"], description="Transformation")
        self.width = w.BoundedIntText(min=1, max=8192, description="Width", layout=w.Layout(width="170px"))
        self.height = w.BoundedIntText(min=1, max=8192, description="Height", layout=w.Layout(width="170px"))
        self.color_mode = w.Dropdown(options=["grayscale", "rgb", "rgba"], description="Color mode")
        self.fill = w.ColorPicker(description="Fill", concise=True, layout=w.Layout(width="150px"))
        self.save = w.Button(description="Save", icon="save", button_style="primary")
        self.reset = w.Button(description="Reset", icon="undo")
        self.shape = w.HTML()
        self.preview = w.HTML()
        self._load(options)
        for control in (self.transformation, self.width, self.height, self.color_mode, self.fill):
            control.observe(lambda _change: self.redraw(), "value")
        self.save.on_click(lambda _button: self.store())
        self.reset.on_click(lambda _button: (self._load(self.options), self.redraw()))
        super().__init__([
            w.HTML("<b>Feature options</b>"), self.provenance,
            w.HBox([self.transformation, self.width, self.height]),
            w.HBox([self.color_mode, self.fill, self.save, self.reset]),
            self.shape, self.preview,
        ])
        self.redraw()

    def _load(self, options: Any) -> None:
        self._quiet = True
        self.transformation.value = options.transformation
        self.width.value, self.height.value = options.size
        self.color_mode.value = options.color_mode
        self.fill.value = options.fill if options.fill.startswith("#") and len(options.fill) == 7 else "#000000"
        self._quiet = False
        if options.is_default:
            reasons = "".join(f"<li><b>{html.text(k)}</b>: {html.text(v)}</li>" for k, v in options.reasons.items())
            self.provenance.value = html.note("Defaults chosen from the column's statistics (not saved yet)") + f"<ul>{reasons}</ul>"
        else:
            self.provenance.value = html.note(f"Version {options.version}, set by {options.set_by or '?'} "
                                              f"on {html.when(options.set_at)}")

    def draft(self) -> dict[str, Any]:
        """The options shown by the controls."""
        return {"transformation": self.transformation.value, "size": (self.width.value, self.height.value),
                "color_mode": self.color_mode.value, "fill": self.fill.value}

    def redraw(self) -> None:
        """Thumbnails with the options as the controls show them (not saved)."""
        if getattr(self, "_quiet", False):
            return
        from ..core.images.previews import image_preview

        draft = self.draft()
        self.fill.layout.display = "" if draft["transformation"] == "pad" else "none"
        channels = {"grayscale": 1, "rgb": 3, "rgba": 4}[draft["color_mode"]]
        self.shape.value = html.note(f"Each example: {draft['size'][1]}×{draft['size'][0]}×{channels} float32 in [0, 1]")
        try:
            preview = image_preview(self.found, rows=PREVIEW_ROWS, options=self.found.trial(**draft))
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.preview.value = html.error_box(describe_error(exc))
            return
        rows = []
        for item in preview.items:
            original = (f'<img src="{item.original}" style="max-width:128px;max-height:128px"/><br>'
                        f'<small>{item.original_size[0]}×{item.original_size[1]} {html.text(item.original_mode or "")}</small>'
                        if item.original and item.original_size else "—")
            made = (f'<img class="dp-transformed" src="{item.transformed}" style="max-width:160px;image-rendering:pixelated"/>'
                    if item.transformed else f'<span class="dp-warn">zeros: {html.text(item.error or "")}</span>')
            rows.append((item.row, original, made))
        self.preview.value = html.table(["row", "original", "as the model gets it"], rows, raw=True)

    def store(self) -> None:
        """Save the controls' options as a new version."""
        try:
            self.options = self.found.set_options(**self.draft())
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.provenance.value = html.error_box(describe_error(exc))
            return
        self._load(self.options)


class TensorViewPanel(w.VBox):
    """One row of a tensor column drawn by its dimensions, with mean and spread across rows."""

    def __init__(self, dataset: Any, column: str) -> None:
        from ..core.images.columns import DatasetColumn

        self.found = DatasetColumn(dataset, column)
        rows = self.found.rows()
        self.row = w.BoundedIntText(min=0, max=max(rows - 1, 0), description="Row", layout=w.Layout(width="170px"))
        self.slices = w.HBox()
        self.info = w.HTML()
        self.figure = w.Output()
        self.images = w.HTML()
        self.view: Any = None
        self.row.observe(lambda _change: self.redraw(), "value")
        super().__init__([w.HTML("<b>Tensor view</b>"), w.HBox([self.row, self.slices]), self.info, self.images, self.figure])
        self.redraw()

    def index(self) -> list[int]:
        return [box.value for box in self.slices.children]

    def redraw(self) -> None:
        from ..core.images.previews import tensor_view
        from .dataset import show_figure

        try:
            view = tensor_view(self.found, row=self.row.value, index=self.index())
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.info.value = html.error_box(describe_error(exc))
            return
        self.view = view
        lead = len(view.shape) - 2 if view.view == "heatmap" and len(view.shape) > 2 else 0
        if len(self.slices.children) != lead:
            boxes = [w.BoundedIntText(min=0, max=view.shape[axis] - 1, description=f"dim {axis}",
                                      layout=w.Layout(width="150px")) for axis in range(lead)]
            for box in boxes:
                box.observe(lambda _change: self.redraw(), "value")
            self.slices.children = boxes
        self.info.value = html.note(f"shape {'×'.join(map(str, view.shape)) or 'scalar'} · drawn as {view.view} · mean and "
                                    f"spread over the first {view.stat_rows:,} rows"
                                    + (f" · every {view.stride}th position" if view.stride > 1 else ""))
        self.images.value = ""
        self.figure.outputs = ()
        if view.view == "scalar":
            self.images.value = html.note(f"row {view.row}: {view.values} · mean {view.mean} · std {view.std}")
        elif view.view == "image":
            self.images.value = "".join(
                f'<figure style="display:inline-block;margin:4px"><img src="{src}" style="width:160px;image-rendering:pixelated"/>'
                f"<figcaption>{label}</figcaption></figure>"
                for label, src in (("row", view.image), ("mean", view.mean_image), ("spread (std)", view.std_image)))
        else:
            show_figure(self.figure, tensor_figure(view))


def tensor_figure(view: Any) -> go.Figure:
    """A line (row, mean, mean ± std) or three heatmaps (row, mean, spread)."""
    if view.view == "line":
        x = [i * view.stride for i in range(len(view.values))]
        upper = [m + s for m, s in zip(view.mean, view.std)]
        lower = [m - s for m, s in zip(view.mean, view.std)]
        figure = go.Figure([
            go.Scatter(x=x, y=upper, mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"),
            go.Scatter(x=x, y=lower, mode="lines", line={"width": 0}, fill="tonexty", name="mean ± std",
                       fillcolor="rgba(128,128,128,0.25)"),
            go.Scatter(x=x, y=view.mean, mode="lines", name="mean", line={"dash": "dot", "color": "#888"}),
            go.Scatter(x=x, y=view.values, mode="lines", name=f"row {view.row}"),
        ])
        figure.update_layout(height=280, margin={"l": 40, "r": 10, "t": 30, "b": 30}, title=f"row {view.row}")
        return figure
    figure = make_subplots(rows=1, cols=3, subplot_titles=("row", "mean", "spread (std)"))
    for col, (values, scale) in enumerate(((view.values, "Viridis"), (view.mean, "Viridis"), (view.std, "Greys")), start=1):
        figure.add_trace(go.Heatmap(z=values, colorscale=scale, showscale=col == 1), row=1, col=col)
        figure.update_yaxes(autorange="reversed", row=1, col=col)
    figure.update_layout(height=280, margin={"l": 40, "r": 10, "t": 40, "b": 30})
    return figure
