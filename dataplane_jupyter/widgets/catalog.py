"""The catalog panel of a project: Datasets, Image folders, Connectors, Datasources, Exporters.

The datasets tab filters by origin and name, shows each dataset's status in the platform's three
steps, and refreshes itself while an import is under way. Tabs for records the core does not
offer yet say so plainly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from . import html
from .actions import small
from .dataset import DatasetPanel
from .dataset_actions import DatasetActions
from .exporters import ExportersTab
from .forms import ImportForm
from .image_folders import ImageFoldersTab
from .sources import ConnectorsTab, DatasourcesTab

ORIGINS = (
    ("upload", "File upload"),
    ("datasource", "Datasource"),
    ("pipeline_output", "Pipeline output"),
    ("pipeline_intermediate", "Pipeline intermediate"),
)
MAX_ROWS = 50
PENDING = ("copying", "computing_statistics")


class DatasetsTab(w.VBox):
    """Filters, the list of datasets with their actions, the import form and the open dataset."""

    def __init__(self, project: Any, *, poll_interval: float = 1.0) -> None:
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()  # first: close() needs it even when the rest of __init__ fails
        self.project = project
        self.poll_interval = poll_interval
        self.origins = {value: w.Checkbox(value=True, description=label, indent=False, layout=small())
                        for value, label in ORIGINS}
        self.search = w.Text(placeholder="Search by name", layout=w.Layout(width="240px"))
        for box in self.origins.values():
            box.observe(lambda _: self.refresh(), "value")
        self.search.observe(lambda _: self.refresh(), "value")
        self.import_button = w.Button(description="Import dataset", icon="upload", button_style="primary",
                                      layout=small())
        refresh = w.Button(description="Refresh", icon="refresh", layout=small())
        self.import_button.on_click(lambda _: self.show_import())
        refresh.on_click(lambda _: self.refresh())
        self.count = w.HTML()
        self.rows = w.VBox()
        self.detail = w.VBox()
        self.datasets: list[Any] = []
        super().__init__([
            w.HBox([self.import_button, refresh, self.search]),
            w.HBox([w.HTML("Origin:"), *self.origins.values()]),
            self.count, self.rows, self.detail,
        ])
        self.refresh()

    def picked_origins(self) -> list[str]:
        """The ticked origins (none ticked lists every origin)."""
        return [value for value, box in self.origins.items() if box.value]

    def refresh(self) -> None:
        """Re-read the list with the current filters."""
        datasets = self.project.datasets.list(origin=self.picked_origins() or None,
                                              search=self.search.value.strip() or None)
        self.datasets = datasets
        self.count.value = (f'<span class="dp-muted">{len(datasets)} dataset(s)'
                            + (f", showing the newest {MAX_ROWS}: refine the search" if len(datasets) > MAX_ROWS else "")
                            + "</span>")
        self.rows.children = [self._row(ds) for ds in datasets[:MAX_ROWS]] or [
            w.HTML(html.note("No dataset matches. Import one with the button above."))]
        if any(ds.describe().status.value in PENDING for ds in datasets):
            self._watch()

    def _row(self, dataset: Any) -> w.Widget:
        info = dataset.describe()
        link = info.source.get("datasource")
        text = (f'<div class="dp-dataset" data-name="{html.attribute(info.name)}" data-status="{info.status.value}">'
                f"<b>{html.text(info.name)}</b> {html.badge(info.status.value, self._label(info))} "
                f'<span class="dp-muted">{html.number(info.rows)} rows · {html.number(info.columns)} columns · '
                f"{html.human_size(info.size_bytes)} · {info.origin.value.replace('_', ' ')}"
                + (f" · datasource {html.text(link)}" if link else "")
                + f" · created {html.when(info.created_at)}</span></div>")
        if info.error:
            text += html.error_box(info.error)
        actions = DatasetActions(dataset, on_change=lambda what: self.refresh(), open_panel=self.open_dataset)
        return w.VBox([w.HTML(text), actions], layout=w.Layout(border_bottom="1px solid #e0e0e0", padding="4px 0"))

    @staticmethod
    def _label(info: Any) -> str:
        return f"{info.status_label} {info.progress:.0%}" if info.status.value in PENDING else info.status_label

    def open_dataset(self, dataset: Any) -> None:
        """Show the dataset's panel below the list."""
        self.detail.children = [DatasetPanel(dataset, on_change=lambda what: self.refresh())]

    def show_import(self) -> None:
        """Show the import form below the list."""
        self.detail.children = [ImportForm(self.project, on_started=lambda ds: self.refresh(),
                                           on_done=lambda ds: self.refresh())]

    def _watch(self) -> None:
        """Refresh every second while some dataset is still being imported (one thread at most)."""
        if self._poller is not None and self._poller.is_alive():
            return

        def loop() -> None:
            while not self._stop.wait(self.poll_interval):
                if not self.refresh_statuses():
                    break

        self._poller = threading.Thread(target=loop, name="dataplane-datasets", daemon=True)
        self._poller.start()

    def refresh_statuses(self) -> bool:
        """Redraw the list if a status or progress changed since it was drawn; True while some
        dataset is still being imported."""
        try:
            fresh = self.project.datasets.list()
        except Exception:  # noqa: BLE001 - the next tick tries again
            return True
        shown = {d.id for d in self.datasets}
        before = [(d.id, d.describe().status, round(d.describe().progress, 2)) for d in self.datasets]
        after = [(d.id, d.describe().status, round(d.describe().progress, 2)) for d in fresh if d.id in shown]
        if before != after:
            self.refresh()
        return any(d.describe().status.value in PENDING for d in fresh)

    def close(self) -> None:
        self._stop.set()
        super().close()


#: The catalog panel's tabs, in order: the attribute that holds each, its title, its class.
TABS: tuple[tuple[str, str, Callable[[Any], w.Widget]], ...] = (
    ("datasets", "Datasets", DatasetsTab),
    ("image_folders", "Image folders", ImageFoldersTab),
    ("connectors", "Connectors", ConnectorsTab),
    ("datasources", "Datasources", DatasourcesTab),
    ("exporters", "Exporters", ExportersTab),
)


class CatalogPanel(w.VBox):
    """Everything in a project's data section, one tab per kind of record (`.datasets`,
    `.image_folders`, `.connectors`, `.datasources`, `.exporters`)."""

    def __init__(self, project: Any) -> None:
        self.project = project
        for attribute, _, tab_class in TABS:
            setattr(self, attribute, tab_class(project))
        tabs = w.Tab(children=[getattr(self, attribute) for attribute, _, _ in TABS],
                     titles=[title for _, title, _ in TABS])
        self.tabs = tabs
        title = w.HTML(f'<div class="dp-title">Data · project {html.text(project.name)}</div>')
        super().__init__([w.HTML(html.STYLESHEET), title, tabs])
        self.add_class("dp-catalog-panel")
