"""The dataset panel: General (summary, distributions, correlation), Columns (drill-down), Sample,
and Lineage for a dataset a pipeline run made.

Everything drawn comes from the stored statistics (`Dataset.statistics()`); the panel only picks
what to show. While the dataset is still being imported the panel shows its progress and fills
itself in once the dataset is ready.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from . import figures, html
from .actions import ProgressView, State, bind, dataset_state, describe_error, small
from .dataset_actions import DatasetActions

PER_PAGE = 12
HEATMAP_COLUMNS = 30
SAMPLE_ROWS = 20


def show_figure(output: w.Output, figure: go.Figure) -> None:
    """Replace what `output` shows with `figure` (drawn by the plotly renderer in JupyterLab).

    Setting the Output's outputs works from any thread and without a kernel, unlike
    `with output: fig.show()`.
    """
    output.outputs = ({"output_type": "display_data", "data": figures.mimebundle(figure), "metadata": {}},)


def figure_of(output: w.Output) -> dict[str, Any] | None:
    """The plotly JSON an Output shows (for tests and callers that inspect panels)."""
    for item in output.outputs:
        data = item.get("data", {}).get("application/vnd.plotly.v1+json")
        if data is not None:
            return data
    return None


class GeneralTab(w.VBox):
    """Summary, a page of feature distributions, and a correlation heatmap of picked columns."""

    def __init__(self, stats: dict[str, Any], info: Any) -> None:
        self.stats = stats
        self.columns = stats.get("columns", [])
        self.summary = w.HTML(summary_html(stats.get("summary", {}), info))
        summary = self.summary
        self.distributions = w.Output()
        pages = [(f"Features {i + 1}–{min(i + PER_PAGE, len(self.columns))} of {len(self.columns)}", i)
                 for i in range(0, len(self.columns), PER_PAGE)] or [("No columns", 0)]
        self.page = w.Dropdown(options=pages, description="Show", layout=w.Layout(width="320px"))
        self.page.observe(lambda _: self.draw_distributions(), "value")
        correlation = stats.get("correlation") or {"columns": [], "matrix": []}
        self.correlation = correlation
        names = list(correlation.get("columns") or [])
        self.picker = w.TagsInput(value=figures.most_correlated(correlation, HEATMAP_COLUMNS),
                                  allowed_tags=names, allow_duplicates=False)
        self.cluster = w.Checkbox(value=len(names) > 10, description="Group correlated columns",
                                  indent=False)
        top = w.Button(description=f"{min(HEATMAP_COLUMNS, len(names))} most correlated", icon="filter",
                       layout=small())
        every = w.Button(description=f"All {len(names)} columns", icon="th", layout=small())
        top.on_click(lambda _: setattr(self.picker, "value", figures.most_correlated(correlation, HEATMAP_COLUMNS)))
        every.on_click(lambda _: setattr(self.picker, "value", names))
        self.heatmap = w.Output()
        self.heatmap_message = w.HTML()
        self.picker.observe(lambda _: self.draw_heatmap(), "value")
        self.cluster.observe(lambda _: self.draw_heatmap(), "value")
        correlation_box: list[w.Widget] = [w.HTML("<b>Correlation matrix</b>")]
        if len(names) >= 2:
            correlation_box += [
                w.HTML(f'<span class="dp-muted">{len(names)} numeric columns. Type a column name to add it; '
                       "remove a tag to hide one.</span>"),
                self.picker, w.HBox([top, every, self.cluster]),
            ]
        super().__init__([summary, w.HTML("<b>Feature distributions</b>"), self.page, self.distributions,
                          *correlation_box, self.heatmap_message, self.heatmap])
        self.draw_distributions()
        self.draw_heatmap()

    def draw_distributions(self) -> None:
        """Draw the page of distributions picked in the dropdown."""
        start = self.page.value or 0
        show_figure(self.distributions, figures.distributions_figure(self.columns[start:start + PER_PAGE]))

    def draw_heatmap(self) -> None:
        """Draw the heatmap of the picked columns."""
        picked = [c for c in self.picker.value if c in self.picker.allowed_tags]
        self.heatmap_message.value = ""
        if len(self.correlation.get("columns") or []) >= 2 and len(picked) < 2:
            self.heatmap_message.value = html.note("Pick at least two columns to draw their correlation.")
            self.heatmap.outputs = ()
            return
        try:
            show_figure(self.heatmap, figures.correlation_figure(self.correlation, picked or None,
                                                                 cluster=self.cluster.value))
        except ValueError as exc:
            self.heatmap_message.value = html.error_box(str(exc))


def _char(value: str) -> str:
    return "“" + value.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n") + "”"


def describe_format(format: dict[str, Any] | None) -> str | None:
    """Every setting a CSV import used (given or detected), each one an option of
    `import_file`/`retry`: "separator “;”, decimal “,”, encoding utf-8, quote “"”, header of 1
    line, 2 lines skipped before it" (the sidebar's `describeFormat`)."""
    if not format:
        return None
    parts = []
    for key, label in (("separator", "separator"), ("decimal", "decimal")):
        if format.get(key):
            parts.append(f"{label} {_char(format[key])}")
    if format.get("encoding"):
        parts.append(f"encoding {format['encoding']}")
    for key, label in (("quotechar", "quote"), ("escapechar", "escape")):
        if format.get(key):
            parts.append(f"{label} {_char(format[key])}")
    if format.get("header") is False:
        parts.append("no header")
    elif format.get("header"):
        lines = format.get("header_rows") or 1
        parts.append(f"header of {lines} line{'' if lines == 1 else 's'}")
    if format.get("skip_lines"):
        n = format["skip_lines"]
        parts.append(f"{n} line{'' if n == 1 else 's'} skipped before it")
    if format.get("record_delimiter") and format["record_delimiter"] != "\n":
        parts.append(f"line ends {_char(format['record_delimiter'])}")
    return ", ".join(parts) or None


def summary_html(summary: dict[str, Any], info: Any) -> str:
    """Rows, columns, size, origin, source, creation, then missing cells, duplicates and column
    types, and the import's warnings: the sidebar details' summary, field for field."""
    types = ", ".join(f"{n} {t}" for t, n in summary.get("types", {}).items() if n)
    source = info.source or {}
    described = (f"datasource {source['datasource']}" if source.get("datasource")
                 else f"file {source['file']}" if source.get("file") else "—")
    rows = [
        ("rows", "Rows", html.number(summary.get("rows", info.rows))),
        ("columns", "Columns", html.number(summary.get("columns", info.columns))),
        ("size", "Size", html.human_size(summary.get("size_bytes", info.size_bytes))),
        ("origin", "Origin", info.origin.value.replace("_", " ")),
        ("source", "Source", described),
        ("created", "Created", html.when(info.created_at)),
    ]
    read_as = describe_format(source.get("format"))
    if read_as:
        rows.insert(5, ("format", "Read as", read_as))  # after the source
    if info.created_by:
        rows.append(("created_by", "Created by", info.created_by))
    if summary:
        rows += [
            ("missing", "Missing cells",
             f"{html.number(summary.get('missing_cells'))} ({summary.get('missing_cells_pct', 0):.1f}%)"),
            ("duplicates", "Duplicate rows",
             f"{html.number(summary.get('duplicate_rows'))} ({summary.get('duplicate_rows_pct', 0):.1f}%)"),
            ("types", "Column types", types or "—"),
        ]
    text = html.key_values(rows)
    notes = [str(item.get("message", item)) for item in info.warnings]
    if notes:
        items = "".join(f"<li>{html.text(note)}</li>" for note in notes)
        text += f'<div class="dp-warnings"><h4>Import warnings</h4><ul>{items}</ul></div>'
    return text


class ColumnsTab(w.HBox):
    """A filterable list of the columns; the selected one shows its distribution and statistics."""

    def __init__(self, stats: dict[str, Any], dataset: Any = None) -> None:
        self.dataset = dataset
        self.by_name = {c["name"]: c for c in stats.get("columns", [])}
        self.search = w.Text(placeholder="Filter columns", layout=w.Layout(width="260px"))
        self.select = w.Select(options=self._options(""), rows=min(18, max(4, len(self.by_name))),
                               layout=w.Layout(width="260px"))
        self.search.observe(lambda change: self.filter(change["new"]), "value")
        self.shown: str | None = None
        self.figure = w.Output()
        self.details = w.HTML()
        self.media = w.VBox()  # feature options of image columns, tensor views
        self.overview = w.HTML(html.table(
            ["column", "type", "missing", "distinct", "mean", "min", "max"],
            [(c["name"], c["type"], f"{c['missing_pct']:.1f}%" if c.get("missing_pct") is not None else "—",
              c.get("distinct"), *_by_column(c)) for c in self.by_name.values()],
        ))
        self.select.observe(lambda change: self.show(change["new"]), "value")
        drill = w.VBox([self.figure, self.media, self.details], layout=w.Layout(flex="1"))
        super().__init__([w.VBox([self.search, self.select]), w.VBox([drill, self.overview], layout=w.Layout(flex="1"))])
        if self.by_name:
            self.select.value = next(iter(self.by_name))
            self.show(self.select.value)  # the Select may already hold it: no change event

    def _options(self, text: str) -> list[tuple[str, str]]:
        text = (text or "").lower()
        return [(f"{name} · {c['type']}", name) for name, c in self.by_name.items() if text in name.lower()]

    def filter(self, text: str) -> None:
        """Keep the columns whose name holds `text`; the drill-down stays on the picked column
        while the filter keeps it, else moves to the first one shown (as the sidebar's)."""
        picked = self.select.value
        options = self._options(text)
        names = [name for _, name in options]
        target = picked if picked in names else (names[0] if names else None)
        self.select.options = options
        if self.select.value != target:
            self.select.value = target
        if target is None:
            self.shown = None
            self.figure.outputs = ()
            self.details.value = html.note(f"No column's name holds {text!r}.")
            self.media.children = []
        elif target != self.shown:
            self.show(target)

    def show(self, name: str | None) -> None:
        """The drill-down of one column."""
        if not name:
            return
        self.shown = name
        column = self.by_name[name]
        show_figure(self.figure, figures.distribution_figure(column))
        rows = column_statistics_rows(column)
        text = f'<div class="dp-title">{html.text(name)}</div>' + html.table(["statistic", "value"], rows)
        if column.get("warnings"):
            text += html.note("; ".join(column["warnings"]))
        self.details.value = text
        self.media.children = self._media(name, column)

    def _media(self, name: str, column: dict[str, Any]) -> list[w.Widget]:
        """Feature options (image columns) or a tensor view (tensor columns), when the dataset is known."""
        if self.dataset is None or column.get("type") not in ("image", "tensor"):
            return []
        from .features import ImageFeaturesPanel, TensorViewPanel

        try:
            return [ImageFeaturesPanel(self.dataset, name) if column["type"] == "image" else TensorViewPanel(self.dataset, name)]
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            return [w.HTML(html.error_box(describe_error(exc)))]


# Plain words for the statistics' keys (anything else: its key with spaces), as the sidebar's
# columnStats.ts PLAIN_LABELS.
PLAIN_LABELS = {
    "count": "values present", "missing": "missing values", "missing_pct": "missing share",
    "distinct": "distinct values", "std": "standard deviation", "iqr": "interquartile range", "zeros": "zeros",
    "zeros_pct": "zeros share", "negative": "negative values", "mode": "most frequent value", "dtype": "stored as",
    "distinct_error": "distinct values error", "quantiles_error": "quantiles error",
}
_DRAWN = {"name", "histogram", "top", "warnings", "quantiles", "text_length", "byte_length", "media"}
_FOLDED = {"distinct_exact", "quantiles_exact"}  # said in another line: "distinct values: 142 (exact)"


def column_statistics_rows(column: dict[str, Any]) -> list[tuple[str, str]]:
    """One column's statistics as (label, value) lines in plain words, as the sidebar's Columns
    tab (`columnStatisticsRows`): "distinct values: 142 (exact)", "≈" before figures from
    sketches, no thousands separators for years and ids."""
    code_like = html.is_code_like(column.get("name", ""), [column.get("min"), column.get("max")])

    def approximately(value: Any, exact: Any) -> str:
        shown = html.number(value, code_like=code_like)
        return f"≈ {shown}" if exact is False and value is not None else shown

    rows: list[tuple[str, str]] = []
    for key, value in column.items():
        if key in _DRAWN or key in _FOLDED:
            continue
        if key.endswith("_pct"):
            shown = "—" if value is None else f"{value:.1f}%"
        elif key == "distinct":
            shown = approximately(value, column.get("distinct_exact")) + (" (exact)" if column.get("distinct_exact")
                                                                          else "")
        else:
            shown = html.number(value, code_like=code_like)
        label = PLAIN_LABELS.get(key) or key.removesuffix("_pct").replace("_", " ") + (" share" if key.endswith("_pct")
                                                                                       else "")
        rows.append((label, shown))
    rows += [(label, html.number(value)) for label, value in media_rows(column.get("media") or {})]
    rows += [(f"quantile {q}", approximately(v, column.get("quantiles_exact")))
             for q, v in (column.get("quantiles") or {}).items()]
    rows += [(f"text length {k}", html.number(v)) for k, v in (column.get("text_length") or {}).items()]
    rows += [(f"bytes {k}", html.number(v)) for k, v in (column.get("byte_length") or {}).items()]
    rows += [(f"top {i + 1}: {figures.level_label(t['value'])}", html.number(t["count"]))
             for i, t in enumerate((column.get("top") or [])[:10])]
    return rows


def media_rows(media: dict[str, Any]) -> list[tuple[str, Any]]:
    """The statistics of an image or tensor column, one line each."""
    rows: list[tuple[str, Any]] = []
    for key, value in media.items():
        if isinstance(value, dict) and "histogram" in value:
            rows.append((f"{key} (min / mean / max)", f"{value['min']} / {value['mean']} / {value['max']}"))
        elif isinstance(value, dict) and "files" in value:
            rows.append((key, value["count"]))
            rows += [(f"{key}: {item['path']}", item["reason"]) for item in value["files"]]
        elif isinstance(value, dict):
            rows.append((key, ", ".join(f"{k} ({v})" for k, v in value.items()) or "—"))
        elif value is not None:
            rows.append((key, value))
    return rows


class SampleTab(w.VBox):
    """The first rows of the dataset."""

    def __init__(self, dataset: Any, stats: dict[str, Any]) -> None:
        self.dataset = dataset
        sample = stats.get("sample") or {}
        self.table = w.HTML(sample_table(sample.get("columns", []), sample.get("rows", [])[:SAMPLE_ROWS]))
        self.rows = w.BoundedIntText(value=SAMPLE_ROWS, min=1, max=1000,
                                     description="Rows", layout=w.Layout(width="160px"))
        button = w.Button(description="Show", icon="table")
        self.message = w.HTML()
        bind(button, self.reload, self.message)
        super().__init__([w.HBox([self.rows, button]), self.message, self.table])

    def reload(self) -> None:
        """Read the first `rows` rows again."""
        frame = self.dataset.sample(int(self.rows.value))
        self.table.value = sample_table(list(frame.columns), frame.itertuples(index=False))


def sample_table(columns: list[str], rows: Any) -> str:
    """Every row asked for, laid out in full (the notebook scrolls, the table only sideways), as
    the sidebar's Sample tab."""
    return f'<div class="dp-scroll-x">{html.table(columns, rows, scroll=False, numbered=True)}</div>'


REJECTED_ROWS = 200


class RejectedRowsTab(w.VBox):
    """The rows the import set aside, verbatim: line, reason and the raw text."""

    def __init__(self, dataset: Any, total: int) -> None:
        table = dataset.rejected_table(0, REJECTED_ROWS)
        rows = [(row["line"], html.text(row["reason"]), f'<pre class="dp-raw">{html.text(row["raw"])}</pre>')
                for row in table.to_pylist()]
        shown = f" (the first {len(rows):,})" if total > len(rows) else ""
        were = "1 row was" if total == 1 else f"{total:,} rows were"
        note = html.note(f"{were} not imported{shown}; kept as they were in the file. "
                         "`ds.rejected_rows()` gives them all.")
        self.table = w.HTML(html.table(["line", "reason", "raw text"], rows, raw=True))
        super().__init__([w.HTML(note), self.table])


class LineageTab(w.VBox):
    """Where a dataset a pipeline run made comes from: pipeline, version, run and step, the steps it
    was computed through, the datasets it started from, and the exports of it."""

    def __init__(self, lineage: Any) -> None:
        summary = (f'<div class="dp-lineage"><b>Pipeline</b> {html.text(lineage.pipeline)} · '
                   f'<b>version</b> {lineage.version} · <b>run</b> #{lineage.run_number} '
                   f'{html.badge(lineage.run_status)} · <b>step</b> {html.text(lineage.step)} '
                   f'({html.text(lineage.step_kind)}, {html.text(lineage.role)})</div>')
        chain = " → ".join(html.text(name) for name in [*lineage.upstream_steps, lineage.step])
        parts = [summary, f'<div class="dp-muted">Computed through: {chain}</div>']
        if lineage.inputs:
            rows = [(html.text(i.dataset or "(deleted since)"), html.text(i.role or ""), html.text(i.step),
                     html.text(i.datasource or "")) for i in lineage.inputs]
            parts.append(html.table(["input dataset", "role", "read by step", "datasource"], rows, raw=True,
                                    scroll=False))
        if lineage.exports:
            rows = [(html.text(e.exporter or ""), html.badge(e.status.value), html.text(e.step), html.text(e.location or ""))
                    for e in lineage.exports]
            parts.append(html.table(["exported with", "status", "step", "location"], rows, raw=True, scroll=False))
        if lineage.reused_by:
            parts.append(html.note(f"Reused by run(s) {', '.join(f'#{n}' for n in lineage.reused_by)}."))
        self.html = w.HTML("".join(parts))
        super().__init__([self.html])


class DatasetPanel(w.VBox):
    """The detail page of one dataset."""

    def __init__(self, dataset: Any, *, on_change: Any = None) -> None:
        self.dataset = dataset
        self.on_change = on_change
        self.header = w.HTML()
        self.body = w.VBox()
        self.tabs: w.Tab | None = None
        self.general: GeneralTab | None = None
        self.columns_tab: ColumnsTab | None = None
        self.sample_tab: SampleTab | None = None
        self.rejected_tab: RejectedRowsTab | None = None
        self.lineage_tab: LineageTab | None = None
        self.actions = DatasetActions(dataset, on_change=self._changed)
        super().__init__([w.HTML(html.STYLESHEET), self.header, self.actions, self.body])
        self.add_class("dp-dataset-panel")
        self._draw_header()
        # The title's chip says the status; the progress adds only the steps and the bar, while
        # there is progress to show.
        self.progress = ProgressView(lambda: dataset_state(dataset), dataset.catalog.jobs, label=False)
        self.progress.follower.on_done.append(self._ready)
        self.body.children = [self.progress]
        self.progress.start()

    def _draw_header(self) -> None:
        # name and status chip, as the sidebar's details: the General tab's summary says the rest
        info = self.dataset.describe()
        self.header.value = (
            f'<div class="dp-title">{html.text(info.name)} {html.badge(info.status.value, info.status_label)}</div>'
        )

    def _changed(self, what: str) -> None:
        if what == "deleted":
            self.body.children = [w.HTML(html.note(f"Dataset {self.dataset.describe().name!r} was deleted."))]
        else:
            self._draw_header()
        if self.on_change is not None:
            self.on_change(what)

    def _ready(self, state: State) -> None:
        try:
            self.dataset.refresh()
        except Exception:  # noqa: BLE001 - deleted meanwhile: the progress already says so
            return
        self._draw_header()
        if state.status != "ready":
            return
        try:
            stats = self.dataset.statistics()
            self.general = GeneralTab(stats, self.dataset.describe())
            self.columns_tab = ColumnsTab(stats, self.dataset)
            self.sample_tab = SampleTab(self.dataset, stats)
            rejected = int(self.dataset.describe().source.get("rejected_rows") or 0)
            self.rejected_tab = RejectedRowsTab(self.dataset, rejected) if rejected else None
            lineage = self.dataset.lineage()
            self.lineage_tab = LineageTab(lineage) if lineage is not None else None
        except Exception as exc:  # noqa: BLE001 - shown in the panel
            self.body.children = [w.HTML(html.error_box(describe_error(exc)))]
            return
        children: list[w.Widget] = [self.general, self.columns_tab, self.sample_tab]
        titles = ["General", "Columns", "Sample"]
        if self.rejected_tab is not None:
            children.append(self.rejected_tab)
            titles.append(f"Rejected rows ({rejected:,})")
        if self.lineage_tab is not None:
            children.append(self.lineage_tab)
            titles.append("Lineage")
        tabs = w.Tab(children=children)
        tabs.add_class("dp-panel-tabs")  # drawn as the sidebar's details tabs (html.STYLESHEET)
        for index, title in enumerate(titles):
            tabs.set_title(index, title)
        self.tabs = tabs
        self.body.children = [tabs]  # ready: the title's chip says so; no steps or bar repeat it


def _by_column(column: dict[str, Any]) -> list[Any]:
    """Mean, min and max as the column reads: a year column's 1979.5 and 1952 without a comma."""
    values = [column.get("mean"), column.get("min"), column.get("max")]
    if html.is_code_like(column["name"], values[1:]):
        return [html.number(v, code_like=True) for v in values]
    return values
