"""Exporters: their tab in the catalog panel (with each one's last export), their panel (test,
history, delete), their form, and the "Export" action of a dataset that follows the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from . import html
from .actions import ProgressView, State, ask_to_delete, bind, passed, small, wide
from .forms import LABEL, LocatorForm
from .sources import RecordPanel, RecordsTab, title_and_fields, via_connector

MODES = (("Add a timestamp to the name", "timestamp"), ("Cancel if it exists", "cancel"),
         ("Overwrite", "overwrite"))


def run_state(run: Any) -> State:
    """An export run as the progress view shows it."""
    info = run.info
    status = info.status.value
    label = {"succeeded": f"Exported {html.number(info.rows)} rows to {info.location}",
             "queued": "Queued", "running": f"Exporting ({info.progress:.0%})",
             "failed": "Export failed", "cancelled": "Export cancelled"}[status]
    return State(status, float(info.progress), label, info.error, info.status.finished)


def destination_text(info: Any) -> str:
    """Where an exporter writes, as the sidebar's item reads: "wh: table scores"."""
    entries = ", ".join(f"{key} {value}" for key, value in info.destination.items() if value not in (None, ""))
    return f"{info.connector}: {entries}"


def run_destination(run: Any, destination: str) -> str:
    """Where one export went: the file or table written, else the exporter's destination, said
    so (the sidebar's history words it the same: labextension/src/sections/exportRuns.ts)."""
    if run.location:
        return str(run.location)
    pending = run.status.value in ("queued", "running")
    return f"{destination} ({'not written yet' if pending else 'nothing written'})"


def history_table(runs: list[Any], destination: str = "—") -> str:
    """Past exports, newest first: each one's destination, and times in 24-hour ISO as in the sidebar."""
    if not runs:
        return html.note("No export yet.")
    rows = []
    for run in runs:
        info = run.describe()
        rows.append((info.dataset_name, html.badge(info.status.value), html.text(run_destination(info, destination)),
                     html.number(info.rows), html.took(info.duration_seconds), html.when(info.started_at or info.created_at),
                     html.text(info.error or "")))
    return html.table(["dataset", "status", "destination", "rows", "took", "started", "message"], rows, raw=True)


class ExporterForm(LocatorForm):
    """New exporter: name, connector, destination fields of its kind, overwrite mode, file format."""

    def __init__(self, project: Any, *, on_saved: Callable[[Any], None] | None = None) -> None:
        self.mode = w.Dropdown(options=MODES, value="timestamp", description="if it exists", style=LABEL, layout=wide())
        self.file_format = w.Dropdown(options=["csv", "parquet"], description="file format", style=LABEL)
        super().__init__(project, on_saved, noun="exporter", how="an exporter writes through one",
                         test="Test destination", test_icon="plug", options=[self.mode, self.file_format],
                         left_out=["query"])

    def destination(self) -> dict[str, Any]:
        """Where the exporter writes, as typed."""
        return self.locator()

    def test(self) -> str:
        """Write a probe next to the destination, then remove it."""
        result = self.project.exporters.test(self.connector.value, destination=self.destination())
        return f"Destination is writable: {passed(result).message}"

    def save(self) -> str:
        """Create the exporter."""
        saved = self.project.exporters.create(self.name.value.strip(), self.connector.value, mode=self.mode.value,
                                              file_format=self.file_format.value, destination=self.destination())
        self.on_saved(saved)
        return f"Saved exporter {saved.name!r}."


class ExporterPanel(RecordPanel):
    """One exporter: destination and mode, Test, its export history, Delete with confirmation."""

    def __init__(self, exporter: Any, *, on_change: Callable[[str], None] | None = None) -> None:
        self.exporter = exporter
        super().__init__("Test destination", "plug", on_change)
        info = exporter.info
        rows = [("connector", f"{info.connector} ({info.kind})"), *info.destination.items(),
                ("if it exists", dict((v, k) for k, v in MODES).get(info.mode, info.mode)),
                ("file format", info.file_format)]
        refresh = w.Button(description="Refresh history", icon="refresh", layout=small())
        self.history = w.HTML()
        refresh.on_click(lambda _: self.draw_history())
        self.delete_button.on_click(lambda _: self.show_delete())
        self.lay_out(title_and_fields(info.name, rows), [refresh], [self.form, w.HTML("<b>Exports</b>"), self.history])
        self.draw_history()

    def draw_history(self) -> None:
        """Every export of this exporter."""
        self.history.value = history_table(self.exporter.history(), destination_text(self.exporter.info))

    def test(self) -> str:
        """Check that the destination is writable."""
        return f"Destination is writable: {passed(self.exporter.test()).message}"

    def show_delete(self) -> None:
        """Ask before deleting."""
        def run() -> str:
            name = self.exporter.name
            self.exporter.delete()
            self.form.children = []
            self.test_button.disabled = self.delete_button.disabled = True
            self.on_change("deleted")
            return f"Deleted exporter {name!r} and its history."

        ask_to_delete(self.form, self.exporter.name, f"Delete exporter {self.exporter.name!r} and its history? "
                      "What it wrote stays where it is.", run, self.message, self.output)


class ExportersTab(RecordsTab, noun="exporter", collection="exporters", panel=ExporterPanel, form=ExporterForm):
    """The project's exporters, each with its last export."""

    def describe(self, record: Any) -> str:
        info = record.info
        last = info.last_run
        status = (f" · last export {html.badge(last.status.value)} {html.text(last.dataset_name)} {html.when(last.created_at)}"
                  if last else " · never used")
        return via_connector(record, info.destination, f", mode {info.mode}{status}")


def export_view(dataset: Any, message: w.HTML) -> w.Widget:
    """Pick an exporter, export the dataset, follow the run to its location."""
    names = [x.name for x in dataset.project.exporters.list()]
    if not names:
        return w.HTML(html.note("No exporter yet: create one in the Exporters tab of dp.panel()."))
    picker = w.Dropdown(options=names, description="Exporter")
    go = w.Button(description="Export", icon="share", button_style="primary", layout=small())
    progress = w.VBox()

    def start() -> str:
        run = dataset.export(picker.value)
        view = ProgressView(lambda: run_state(run), run.project.catalog.jobs, steps=False)
        progress.children = [view]
        view.start()
        return f"Export of {dataset.describe().name!r} with {picker.value!r} started."

    bind(go, start, message)
    return w.VBox([w.HBox([picker, go]), progress])
