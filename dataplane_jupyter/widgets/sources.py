"""Connectors and datasources: their tabs in the catalog panel and their own panels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w

from . import html
from .actions import ask_to_delete, bind, dataset_progress, passed, small
from .forms import ConnectorForm, DatasourceForm, datasource_preview


class RecordPanel(w.VBox):
    """What the panels of a connector, a datasource and an exporter share: a Test button (it runs
    `test()`), the panel's own buttons, a Delete button, a message line, a form area (`form`) and an
    Output, laid out by `lay_out` under the record's head."""

    def __init__(self, test: str, icon: str, on_change: Callable[[str], None] | None) -> None:
        super().__init__()
        self.on_change = on_change or (lambda what: None)
        self.test_button = w.Button(description=test, icon=icon, layout=small())
        self.delete_button = w.Button(description="Delete", icon="trash", button_style="danger", layout=small())
        self.message = w.HTML()
        self.form = w.VBox()
        self.output = w.Output()
        bind(self.test_button, self.test, self.message, self.output)

    def test(self) -> str:
        """Try the record; what the message line says when it works."""
        raise NotImplementedError

    def lay_out(self, head: w.Widget, buttons: Sequence[w.Button], body: Sequence[w.Widget]) -> None:
        """The panel: the head, then Test, `buttons` and Delete, the message, `body`, the output."""
        self.children = [w.HTML(html.STYLESHEET), head, w.HBox([self.test_button, *buttons, self.delete_button]),
                         self.message, *body, self.output]


def title_and_fields(name: str, rows: Sequence[tuple[str, Any]]) -> w.HTML:
    """A record's head: its name as the title, and its fields as a two-column table."""
    return w.HTML(f'<div class="dp-title">{html.text(name)}</div>' + html.table(["", ""], list(rows), scroll=False))


class ConnectorPanel(RecordPanel):
    """One connector: its fields (secrets as names only), Test, Edit, Delete with confirmation."""

    def __init__(self, connector: Any, *, on_change: Callable[[str], None] | None = None) -> None:
        self.connector = connector
        super().__init__("Test connector", "plug", on_change)
        self.summary = w.HTML()
        self.edit_button = w.Button(description="Edit", icon="pencil", layout=small())
        self.edit_button.on_click(lambda _: self.show_edit())
        self.delete_button.on_click(lambda _: self.show_delete())
        self.lay_out(self.summary, [self.edit_button], [self.form])
        self.add_class("dp-connector-panel")
        self.draw()

    def draw(self) -> None:
        """The connector's public description."""
        info = self.connector.info
        rows = [(k, v) for k, v in info.config.items()] + [(k, "•••• (set)") for k in info.secrets_set]
        self.summary.value = (f'<div class="dp-title">{html.text(info.name)} '
                              f'<span class="dp-muted">{html.text(info.kind)} connector</span></div>'
                              + html.table(["field", "value"], rows, scroll=False))

    def test(self) -> str:
        """Connect with the saved fields."""
        return f"Connection works: {passed(self.connector.test()).message}"

    def show_edit(self) -> None:
        """The connector form, filled in (secrets left empty: they keep their value)."""
        def saved(connector: Any) -> None:
            self.connector = connector
            self.draw()
            self.on_change("updated")

        self.form.children = [ConnectorForm(self.connector.project, connector=self.connector, on_saved=saved)]

    def show_delete(self) -> None:
        """Ask before deleting."""
        def run() -> str:
            name = self.connector.name
            self.connector.delete()
            self.form.children = []
            for button in (self.test_button, self.edit_button, self.delete_button):
                button.disabled = True
            self.on_change("deleted")
            return f"Deleted connector {name!r}."

        ask_to_delete(self.form, self.connector.name, f"Delete connector {self.connector.name!r}? Its saved "
                      "credentials are forgotten.", run, self.message, self.output)


class DatasourcePanel(RecordPanel):
    """One datasource: connector, locator, Test (with a preview) and Delete."""

    def __init__(self, datasource: Any, *, on_change: Callable[[str], None] | None = None) -> None:
        self.datasource = datasource
        super().__init__("Test datasource", "eye", on_change)
        info = datasource.info
        rows = [("connector", f"{info.connector} ({info.kind})"), *info.locator.items()]
        self.import_button = w.Button(description="Import as dataset", icon="download", button_style="primary",
                                      layout=small())
        self.preview = w.HTML()
        self.progress = w.VBox()
        bind(self.import_button, self.import_dataset, self.message, self.output)
        bind(self.delete_button, self.delete, self.message, self.output)
        self.lay_out(title_and_fields(info.name, rows), [self.import_button], [self.progress, self.preview])

    def test(self) -> str:
        """Read the schema and the first rows."""
        result = passed(self.datasource.test())
        self.preview.value = datasource_preview(result)
        return f"Datasource works: {result.message}"

    def import_dataset(self) -> str:
        """Start a new snapshot of the datasource as a dataset and follow it."""
        dataset = self.datasource.project.datasets.import_datasource(self.datasource.name)
        self.progress.children = [dataset_progress(dataset)]
        self.on_change("imported")
        return f"Import of {dataset.describe().name!r} started: it is listed in the Datasets tab."

    def delete(self) -> str:
        """Forget the datasource (datasets imported from it stay)."""
        name = self.datasource.name
        self.datasource.delete()
        self.test_button.disabled = self.import_button.disabled = True
        self.on_change("deleted")
        return f"Deleted datasource {name!r}; datasets imported from it are kept."


class RecordsTab(w.VBox):
    """A list of records with one Open button each, a New button with its form, and a detail area."""

    noun = "record"
    collection = ""
    panel_class: Callable[..., w.Widget]
    form_class: Callable[..., w.Widget]

    def __init_subclass__(cls, *, noun: str, collection: str, panel: Callable[..., w.Widget],
                          form: Callable[..., w.Widget], **kwargs: Any) -> None:
        """A subclass names its record (`noun`), the project's collection it lists
        (`project.<collection>`), the panel of one record (`panel(record, on_change=...)`) and
        the creation form (`form(project, on_saved=...)`); it writes `describe`."""
        super().__init_subclass__(**kwargs)
        cls.noun, cls.collection, cls.panel_class, cls.form_class = noun, collection, panel, form

    def __init__(self, project: Any) -> None:
        self.project = project
        self.rows = w.VBox()
        self.detail = w.VBox()
        self.new_button = w.Button(description=f"New {self.noun}", icon="plus", button_style="primary", layout=small())
        refresh = w.Button(description="Refresh", icon="refresh", layout=small())
        self.new_button.on_click(lambda _: self.show_new())
        refresh.on_click(lambda _: self.refresh())
        super().__init__([w.HBox([self.new_button, refresh]), self.rows, self.detail])
        self.refresh()

    def records(self) -> list[Any]:
        return getattr(self.project, self.collection).list()

    def describe(self, record: Any) -> str:
        """One line of HTML for a record of the list."""
        raise NotImplementedError

    def panel(self, record: Any) -> w.Widget:
        return self.panel_class(record, on_change=self._changed)

    def form(self) -> w.Widget:
        return self.form_class(self.project, on_saved=lambda saved: self._changed("created"))

    def refresh(self) -> None:
        """Re-read the records."""
        rows: list[w.Widget] = []
        for record in self.records():
            button = w.Button(description="Open", icon="folder-open", layout=small())
            button.on_click(lambda _, r=record: self.open_record(r))
            rows.append(w.HBox([button, w.HTML(self.describe(record))]))
        self.rows.children = rows or [w.HTML(html.note(f"No {self.noun} yet."))]

    def open_record(self, record: Any) -> None:
        """Show a record's panel below the list."""
        self.detail.children = [self.panel(record)]

    def show_new(self) -> None:
        """Show the creation form below the list."""
        self.detail.children = [self.form()]

    def _changed(self, what: str) -> None:
        self.refresh()


class ConnectorsTab(RecordsTab, noun="connector", collection="connectors", panel=ConnectorPanel, form=ConnectorForm):
    """The project's connectors."""

    def describe(self, record: Any) -> str:
        info = record.info
        where = info.config.get("host") or info.config.get("database") or info.config.get("endpoint_url") or ""
        return (f"<b>{html.text(info.name)}</b> <span class='dp-muted'>{html.text(info.kind)} "
                f"{html.text(str(where))} · created {html.when(info.created_at)}</span>")


class DatasourcesTab(RecordsTab, noun="datasource", collection="datasources", panel=DatasourcePanel,
                     form=DatasourceForm):
    """The project's datasources."""

    def describe(self, record: Any) -> str:
        return via_connector(record, record.info.locator)


def via_connector(record: Any, where: dict[str, Any], more: str = "") -> str:
    """The list line of a record that reads or writes through a connector (a datasource, an
    exporter): its name, the connector and its kind, where (`where`: locator fields) and `more`."""
    info = record.info
    place = record.connector.kind_impl.describe(where)
    return (f"<b>{html.text(info.name)}</b> <span class='dp-muted'>via {html.text(info.connector)} "
            f"({html.text(info.kind)}): {html.text(place)}{more}</span>")
