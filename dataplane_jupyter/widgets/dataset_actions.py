"""Rename, download, export and delete (with confirmation) a dataset; compute or explore its
embeddings. Shared by the dataset panel and the rows of the datasets list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from . import html
from .actions import ask_to_delete, bind, record_buttons, small


class DatasetActions(w.VBox):
    """A row of action buttons; each opens its small form below them."""

    def __init__(self, dataset: Any, *, on_change: Callable[[str], None] | None = None,
                 open_panel: Callable[[Any], None] | None = None) -> None:
        self.dataset = dataset
        self.on_change = on_change or (lambda what: None)
        self.form = w.VBox()
        self.message = w.HTML()
        self.output = w.Output()
        buttons = []
        if open_panel is not None:
            self.open_button = w.Button(description="Open", icon="folder-open", layout=small())
            self.open_button.on_click(lambda _: open_panel(self.dataset))
            buttons.append(self.open_button)
        buttons += record_buttons(self)
        self.export_button = w.Button(description="Export", icon="share", layout=small())
        self.export_button.on_click(lambda _: self.show_export())
        self.embeddings_button = w.Button(description="Embeddings", icon="braille", layout=small())
        self.embeddings_button.on_click(lambda _: self.show_embeddings())
        buttons += [self.export_button, self.embeddings_button]
        self.buttons = buttons
        super().__init__([w.HBox(buttons), self.form, self.message, self.output])

    def _close(self) -> None:
        self.form.children = []

    def _cancel_button(self) -> w.Button:
        cancel = w.Button(description="Cancel", layout=small())
        cancel.on_click(lambda _: self._close())
        return cancel

    def show_rename(self) -> None:
        """An inline name field with Save."""
        name = w.Text(value=self.dataset.describe().name, description="New name")
        save = w.Button(description="Save name", button_style="primary", layout=small())

        def run() -> str:
            old = self.dataset.describe().name
            self.dataset.rename(name.value)
            self._close()
            self.on_change("renamed")
            return f"Renamed {old!r} to {self.dataset.describe().name!r}."

        bind(save, run, self.message, self.output)
        self.message.value = ""
        self.form.children = [w.HBox([name, save, self._cancel_button()])]

    def show_download(self) -> None:
        """A path (relative to the notebook) and a format."""
        info = self.dataset.describe()
        fmt = w.Dropdown(options=["csv", "parquet"], value="csv", description="Format", layout=w.Layout(width="180px"))
        path = w.Text(value=f"{info.name}.csv", description="Save as")
        fmt.observe(lambda change: setattr(path, "value", str(Path(path.value).with_suffix("." + change["new"]))), "value")
        go = w.Button(description="Write file", button_style="primary", icon="download", layout=small())

        def run() -> str:
            target = self.dataset.download(path.value, format=fmt.value).absolute()
            self._close()
            return f"Wrote {html.human_size(target.stat().st_size)} to {target}"

        bind(go, run, self.message, self.output)
        self.message.value = ""
        self.form.children = [w.HBox([path, fmt, go, self._cancel_button()])]

    def show_delete(self) -> None:
        """Ask before deleting."""
        name = self.dataset.describe().name

        def run() -> str:
            self.dataset.delete()
            self._close()
            for button in self.buttons:
                button.disabled = True
            self.on_change("deleted")
            return f"Deleted dataset {name!r}."

        self.message.value = ""
        ask_to_delete(self.form, name, f"Delete dataset {name!r}? Our stored copy is removed; the file or "
                      "datasource it came from is left untouched.", run, self.message, self.output,
                      cancel=self._cancel_button())

    def show_export(self) -> None:
        """Export the dataset with one of the project's exporters."""
        from .exporters import export_view

        self.message.value = ""
        self.form.children = [export_view(self.dataset, self.message), self._cancel_button()]

    def show_embeddings(self) -> None:
        """Compute the embeddings, or explore them when they exist."""
        from .embeddings import embeddings_view

        self.form.children = [embeddings_view(self.dataset, self.message), self._cancel_button()]
