"""Forms: import a dataset (file upload, path or datasource), create a connector of any kind
(secret fields masked and cleared after save), create and test a datasource.

Each form is built from the core's own description of the fields (`get_kind(kind).fields`,
`.locator_fields`), so a new connector kind gets its form for free.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..core.connectors import available_kinds, get_kind
from ..core.connectors.base import Field
from ..core.errors import InvalidInput
from . import html
from .actions import bind, dataset_progress, passed, wide

LABEL = {"description_width": "150px"}
AUTO = "(detect)"


class FieldInput:
    """One form field: a widget for its value; secrets get a Password box (or a key-file upload)."""

    def __init__(self, field: Field, value: Any = None, secret_set: bool = False) -> None:
        self.field = field
        label = field.name.replace("_", " ") + (" *" if field.required else "")
        hint = "set — leave empty to keep it" if secret_set else field.description
        self.upload: w.FileUpload | None = None
        if field.secret:
            self.widget: w.Widget = w.Password(description=label, placeholder=hint, style=LABEL, layout=wide())
            if field.kind in ("text", "file"):  # multi-line keys lose their newlines in a password box
                self.upload = w.FileUpload(description=f"{field.name} file", accept="", multiple=False)
        elif field.kind == "bool":
            self.widget = w.Checkbox(value=bool(value if value is not None else field.default), description=label,
                                     indent=False)
        elif field.kind == "text":
            self.widget = w.Textarea(value=str(value or ""), description=label, placeholder=field.description,
                                     style=LABEL, layout=w.Layout(width="460px", height="90px"))
        else:
            default = value if value is not None else field.default
            self.widget = w.Text(value="" if default is None else str(default), description=label,
                                 placeholder=field.description, style=LABEL, layout=wide())
        self.widget.tooltip = field.description
        self.box = w.HBox([self.widget, self.upload]) if self.upload else self.widget

    def value(self) -> Any:
        """The typed value, or None when left empty."""
        if self.upload is not None and self.upload.value:
            return bytes(self.upload.value[0]["content"]).decode("utf-8")
        raw = self.widget.value
        if isinstance(raw, bool):
            return raw
        if raw is None or str(raw).strip() == "":
            return None
        if self.field.kind == "int":
            try:
                return int(str(raw).strip())
            except ValueError:
                raise InvalidInput(f"{self.field.name!r} must be a whole number, got {raw!r}",
                                   field=self.field.name) from None
        return raw if self.field.kind == "text" else str(raw).strip()

    def close(self) -> None:
        """Remove the field's widgets (their values included) from the kernel and the page."""
        self.clear_secret()
        for widget in (self.widget, self.upload, self.box):
            if widget is not None:
                widget.close()

    def clear_secret(self) -> None:
        """Forget a secret's value, in the kernel and in the widget state the browser keeps."""
        if self.field.secret:
            self.widget.value = ""
            if self.upload is not None:
                self.upload.value = ()


def collect(inputs: Sequence[FieldInput]) -> dict[str, Any]:
    """Field values by name, empty ones left out."""
    values = {i.field.name: i.value() for i in inputs}
    return {k: v for k, v in values.items() if v is not None}


def fields_with_test_and_save(form: Any, test: str, test_icon: str, save: str) -> None:
    """The parts every connector-backed form has, kept on `form`: `fields_box` and `inputs` for
    the kind's fields, a `test_button` and a `save_button` running its `test` and `save` (each
    greyed while the other runs), and the `message` and `output` they report in."""
    form.fields_box = w.VBox()
    form.inputs = []
    form.test_button = w.Button(description=test, icon=test_icon)
    form.save_button = w.Button(description=save, button_style="primary", icon="save")
    form.message = w.HTML()
    form.output = w.Output()
    bind(form.test_button, form.test, form.message, form.output, also_disable=[form.save_button])
    bind(form.save_button, form.save, form.message, form.output, also_disable=[form.test_button])


class ConnectorForm(w.VBox):
    """New connector (or edit an existing one): kind, per-kind fields, Test and Save."""

    def __init__(self, project: Any, *, connector: Any = None,
                 on_saved: Callable[[Any], None] | None = None) -> None:
        self.project = project
        self.connector = connector
        self.on_saved = on_saved or (lambda c: None)
        info = connector.info if connector is not None else None
        self.name = w.Text(value=info.name if info else "", description="name *", style=LABEL, layout=wide())
        self.kind = w.Dropdown(options=available_kinds(), value=info.kind if info else "sql",
                               description="kind", style=LABEL, disabled=info is not None)
        self.inputs: list[FieldInput] = []
        fields_with_test_and_save(self, "Test connector", "plug", "Save connector")
        buttons = [self.test_button, self.save_button]
        self.kind.observe(lambda _: self._build_fields(), "value")
        self._build_fields()
        self.title = w.HTML()
        self._draw_title()
        super().__init__([self.title, self.name, self.kind, self.fields_box,
                          w.HBox(buttons), self.message, self.output])

    def _draw_title(self) -> None:
        name = self.connector.name if self.connector is not None else None
        self.title.value = f"<b>{html.text(f'Edit connector {name!r}' if name else 'New connector')}</b>"

    def _build_fields(self) -> None:
        info = self.connector.info if self.connector is not None else None
        config = info.config if info else {}
        secrets_set = set(info.secrets_set) if info else set()
        kind = get_kind(self.kind.value)
        for item in self.inputs:
            item.close()
        self.inputs = [FieldInput(f, config.get(f.name), f.name in secrets_set) for f in kind.fields]
        self.fields_box.children = [i.box for i in self.inputs]

    def values(self) -> dict[str, Any]:
        """What the user typed, secrets included (never shown anywhere)."""
        return collect(self.inputs)

    def test(self) -> str:
        """Test the fields as typed (a saved connector also uses the secrets it keeps)."""
        values = self.values()
        if self.connector is not None and self.connector.kind == self.kind.value:
            result = self.connector.test(**values)
        else:
            result = self.project.connectors.test(self.kind.value, **values)
        return f"Connection works: {passed(result).message}"

    def save(self) -> str:
        """Create (or update) the connector, then clear every secret from the form."""
        values = self.values()
        if self.connector is None:
            saved = self.project.connectors.create(self.name.value.strip(), self.kind.value, **values)
        else:
            cleared = {i.field.name: None for i in self.inputs
                       if not i.field.secret and i.value() is None and i.field.name in self.connector.config}
            new_name = self.name.value.strip()
            saved = self.connector.update(name=new_name if new_name != self.connector.name else None,
                                          **values, **cleared)
        for item in self.inputs:
            item.clear_secret()
        self.connector = saved
        self.kind.disabled = True
        self._draw_title()
        self._build_fields()
        self.on_saved(saved)
        return f"Saved connector {saved.name!r} ({saved.kind})."


def datasource_preview(result: Any) -> str:
    """A datasource test's schema and first rows as an HTML table."""
    return html.table([f"{c['name']} ({c['type']})" for c in result.columns], result.rows)


class LocatorForm(w.VBox):
    """A new record that reads or writes through one of the project's connectors (a datasource,
    an exporter): name, connector, the locator fields of the connector's kind (but `left_out`),
    the subclass's `options`, Test and Save, then its widgets `below` the message. A subclass
    writes `test` and `save`."""

    def __init__(self, project: Any, on_saved: Callable[[Any], None] | None, *, noun: str, how: str, test: str,
                 test_icon: str, options: Sequence[w.Widget] = (), below: Sequence[w.Widget] = (),
                 left_out: Sequence[str] = ()) -> None:
        self.project = project
        self.on_saved = on_saved or (lambda saved: None)
        self.left_out = set(left_out)
        names = [c.name for c in project.connectors.list()]
        self.name = w.Text(description="name *", style=LABEL, layout=wide())
        self.connector = w.Dropdown(options=names, description="connector", style=LABEL, layout=wide())
        self.inputs: list[FieldInput] = []
        fields_with_test_and_save(self, test, test_icon, f"Save {noun}")
        self.connector.observe(lambda _: self._build_fields(), "value")
        self._build_fields()
        top: list[w.Widget] = [w.HTML(f"<b>New {noun}</b>")]
        if not names:
            top.append(w.HTML(html.note(f"Create a connector first: {how}.")))
        super().__init__([*top, self.name, self.connector, self.fields_box, *options,
                          w.HBox([self.test_button, self.save_button]), self.message, *below, self.output])

    def _build_fields(self) -> None:
        self.inputs = []
        if self.connector.value:
            kind = get_kind(self.project.connectors[self.connector.value].kind)
            self.inputs = [FieldInput(f) for f in kind.locator_fields if f.name not in self.left_out]
        self.fields_box.children = [i.box for i in self.inputs]

    def locator(self) -> dict[str, Any]:
        """The locator as typed."""
        if not self.connector.value:
            raise InvalidInput("Pick a connector.", field="connector")
        return collect(self.inputs)


class DatasourceForm(LocatorForm):
    """New datasource: name, connector, the locator fields of the connector's kind, Test (with a
    preview of the first rows) and Save."""

    def __init__(self, project: Any, *, on_saved: Callable[[Any], None] | None = None) -> None:
        self.preview = w.HTML()
        super().__init__(project, on_saved, noun="datasource", how="a datasource reads through one",
                         test="Test datasource", test_icon="eye", below=[self.preview])

    def test(self) -> str:
        """Read the schema and first rows; show them."""
        self.preview.value = ""
        result = passed(self.project.datasources.test(self.connector.value, **self.locator()))
        self.preview.value = datasource_preview(result)
        return f"Datasource works: {result.message}"

    def save(self) -> str:
        """Create the datasource."""
        saved = self.project.datasources.create(self.name.value.strip(), self.connector.value, **self.locator())
        self.on_saved(saved)
        return f"Saved datasource {saved.name!r}."


class ImportForm(w.VBox):
    """Import a dataset from an uploaded CSV, a CSV path, or a datasource; follow its progress."""

    def __init__(self, project: Any, *, on_started: Callable[[Any], None] | None = None,
                 on_done: Callable[[Any], None] | None = None) -> None:
        self.project = project
        self.on_started = on_started or (lambda ds: None)
        self.on_done = on_done or (lambda ds: None)
        self.source = w.ToggleButtons(options=[("CSV file", "file"), ("Datasource", "datasource")], value="file")
        self.upload = w.FileUpload(accept=".csv,.tsv,.txt,.zip,.npy,text/csv", multiple=False,
                                   description="Upload file")
        self.path = w.Text(description="or path", placeholder="a CSV file the kernel can read, or an fsspec URL",
                           style=LABEL, layout=wide())
        self.separator = w.Combobox(options=[",", ";", "\\t", "|"], placeholder=AUTO, description="separator",
                                    style=LABEL)
        self.decimal = w.Combobox(options=[".", ","], placeholder=AUTO, description="decimal", style=LABEL)
        self.encoding = w.Combobox(options=["utf-8", "latin-1", "cp1252", "utf-16"], placeholder=AUTO,
                                   description="encoding", style=LABEL)
        self.datasource = w.Dropdown(options=[d.name for d in project.datasources.list()],
                                     description="datasource", style=LABEL, layout=wide())
        self.name = w.Text(description="dataset name", placeholder="from the file or datasource name",
                           style=LABEL, layout=wide())
        self.save_button = w.Button(description="Save dataset", button_style="primary", icon="upload")
        self.message = w.HTML()
        self.progress = w.VBox()
        self.output = w.Output()
        self.dataset: Any = None
        bind(self.save_button, self.save, self.message, self.output)
        self.file_box = w.VBox([self.upload, self.path, w.HTML('<span class="dp-muted">Leave the options '
                                "empty to detect them.</span>"), self.separator, self.decimal, self.encoding])
        self.datasource_box = w.VBox([self.datasource])
        self.choice = w.VBox([self.file_box])
        self.source.observe(lambda change: setattr(
            self.choice, "children", [self.file_box if change["new"] == "file" else self.datasource_box]), "value")
        super().__init__([w.HTML("<b>Import dataset</b>"), self.source, self.choice, self.name, self.save_button,
                          self.message, self.progress, self.output])

    def save(self) -> str:
        """Start the import; the dataset is listed at once and its progress shows here."""
        name = self.name.value.strip() or None
        if self.source.value == "datasource":
            if not self.datasource.value:
                raise InvalidInput("Pick a datasource (create one in the Datasources tab).", field="datasource")
            dataset = self.project.datasets.import_datasource(self.datasource.value, name=name)
        else:
            dataset = self._import_file(name)
        self.dataset = dataset
        self.progress.children = [dataset_progress(dataset, on_done=lambda state: self.on_done(dataset))]
        self.on_started(dataset)
        return f"Import of {dataset.describe().name!r} started."

    def _import_file(self, name: str | None) -> Any:
        options = {key: (getattr(self, key).value or "").replace("\\t", "\t") or None
                   for key in ("separator", "decimal", "encoding")}
        if self.upload.value:
            item = self.upload.value[0]
            staged = Path(tempfile.mkdtemp(prefix="dataplane-upload-")) / Path(item["name"]).name
            staged.write_bytes(bytes(item["content"]))
            self.upload.value = ()  # the file now lives in the kernel; free the browser's copy
            return self.project.datasets.import_file(staged, name=name or Path(item["name"]).stem, **options,
                                                     delete_source=True, file_name=item["name"])
        if not self.path.value.strip():
            raise InvalidInput("Upload a CSV file or give its path.", field="source")
        return self.project.datasets.import_file(self.path.value.strip(), name=name, **options)
