"""Panels built without a kernel: the widgets exist, show the stored statistics, and act on the
catalog when their buttons are clicked."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import ipywidgets as w
import plotly.express as px
import pytest

from dataplane_jupyter.widgets import catalog_panel, panel_for
from dataplane_jupyter.widgets.catalog import CatalogPanel
from dataplane_jupyter.widgets.dataset import DatasetPanel, column_statistics_rows, describe_format, figure_of
from dataplane_jupyter.widgets.exporters import ExportersTab
from dataplane_jupyter.widgets.forms import ImportForm
from dataplane_jupyter.widgets.image_folders import ImageFoldersTab


def texts(widget: w.Widget) -> str:
    """Every HTML/label text in a widget tree (what a user reads)."""
    found = []
    stack = [widget]
    while stack:
        node = stack.pop()
        if isinstance(node, (w.HTML, w.Label)):
            found.append(node.value)
        stack.extend(getattr(node, "children", ()))
    return "\n".join(found)


def test_dataset_panel_tabs_from_stored_statistics(tips):
    panel = DatasetPanel(tips)
    assert panel.tabs is not None
    assert [panel.tabs.get_title(i) for i in range(3)] == ["General", "Columns", "Sample"]
    general = panel.general
    assert "244" in texts(general)  # rows in the summary
    shown = figure_of(general.distributions)
    assert len(shown["data"]) == 7  # one distribution per feature on the first page
    heatmap = figure_of(general.heatmap)["data"][0]
    assert heatmap["x"] == ["total_bill", "tip", "size"]
    assert panel.progress.bar.value == 1.0
    assert 'data-status="ready"' in panel.header.value


def test_heatmap_follows_the_picked_columns(wide):
    general = DatasetPanel(wide).general
    assert len(general.picker.value) == 30  # a readable default out of 320 columns
    general.cluster.value = False
    general.picker.value = ["b_001", "a_000", "n_002"]
    assert figure_of(general.heatmap)["data"][0]["x"] == ["b_001", "a_000", "n_002"]
    general.cluster.value = True
    assert sorted(figure_of(general.heatmap)["data"][0]["x"]) == ["a_000", "b_001", "n_002"]
    general.picker.value = ["a_000"]
    assert general.heatmap.outputs == ()
    assert "at least two columns" in general.heatmap_message.value
    general.page.value = general.page.options[-1][1]
    last = figure_of(general.distributions)
    assert len(last["data"]) == 320 % 12 or len(last["data"]) == 12


def test_selecting_a_column_shows_its_drill_down(tips):
    columns = DatasetPanel(tips).columns_tab
    assert columns.select.value == "total_bill"
    assert figure_of(columns.figure)["layout"]["title"]["text"] == "total_bill (numeric)"  # drawn at once
    columns.select.value = "day"
    figure = figure_of(columns.figure)
    assert figure["layout"]["title"]["text"] == "day (categorical)"
    assert set(figure["data"][0]["y"]) == {"Sat", "Sun", "Thur", "Fri"}
    assert "distinct" in columns.details.value and "top 1: Sat" in columns.details.value
    columns.search.value = "ti"
    assert [value for _, value in columns.select.options] == ["tip", "time"]


def test_the_drill_down_says_plain_words_as_the_sidebar():
    """Issue #20, item 14: the sidebar's columnStats cases (labextension/test/details-views.test.ts)."""
    rows = column_statistics_rows({
        "name": "country", "type": "categorical", "count": 12, "missing": 0, "missing_pct": 0, "distinct": 2,
        "histogram": None, "quantiles": None, "top": [{"value": "DE", "count": 7}, {"value": "FR", "count": 5}],
        "text_length": {"min": 2, "max": 2, "mean": 2}, "warnings": []})
    assert rows == [("type", "categorical"), ("values present", "12"), ("missing values", "0"),
                    ("missing share", "0.0%"), ("distinct values", "2"), ("text length min", "2"),
                    ("text length max", "2"), ("text length mean", "2"), ("top 1: DE", "7"), ("top 2: FR", "5")]
    rows = column_statistics_rows({"name": "year", "type": "numeric", "distinct": 12, "distinct_exact": True,
                                   "mean": 1979.5, "min": 1952, "max": 2007, "quantiles": {"0.5": 1979.5},
                                   "quantiles_exact": False})
    assert ("distinct values", "12 (exact)") in rows and ("mean", "1979.5") in rows and ("min", "1952") in rows
    assert ("quantile 0.5", "≈ 1979.5") in rows
    assert "distinct exact" not in [label for label, _ in rows]


def test_the_filter_moves_the_drill_down_off_a_column_it_hides(tips):
    columns = DatasetPanel(tips).columns_tab
    columns.select.value = "day"
    columns.search.value = "ti"  # hides "day": the drill-down moves to the first column shown
    assert columns.select.value == "tip" and columns.shown == "tip"
    assert figure_of(columns.figure)["layout"]["title"]["text"] == "tip (numeric)"
    assert '<div class="dp-title">tip</div>' in columns.details.value
    columns.select.value = "time"
    columns.search.value = "t"  # keeps "time": it stays
    assert columns.select.value == "time" and "time (categorical)" in figure_of(columns.figure)["layout"]["title"]["text"]
    columns.search.value = "nothing"
    assert columns.select.value is None and columns.figure.outputs == () and "No column" in columns.details.value


def test_a_binary_column_shows_its_byte_lengths(project):
    import pandas as pd

    frame = pd.DataFrame({"id": [1, 2], "raw": [b"\xff\x00", b"abc"]})
    ds = project.datasets.from_pandas(frame, name="b").wait(timeout=60)
    panel = DatasetPanel(ds)
    panel.columns_tab.select.value = "raw"
    assert "raw (binary)" in figure_of(panel.columns_tab.figure)["layout"]["annotations"][0]["text"]
    assert "bytes max" in panel.columns_tab.details.value
    assert "&lt;2 bytes&gt;" in panel.sample_tab.table.value


def test_sample_tab_reads_more_rows(tips):
    sample = DatasetPanel(tips).sample_tab
    assert sample.table.value.count("<tr>") == 21  # header + the stored sample of 20
    assert "dp-scroll\"" not in sample.table.value  # no box of fixed height hiding the last rows
    sample.rows.value = 5
    sample.reload()
    assert sample.table.value.count("<tr>") == 6


def test_general_summary_and_sample_read_as_the_sidebar_details(tips):
    """One visual language (issue #20, item 18): the General tab's summary has the sidebar's
    fields in its order, as unbordered label/value rows; the title is the name and one status
    chip with no subtitle repeating the summary; the sample has the sidebar's "#" column."""
    panel = DatasetPanel(tips)
    summary = panel.general.summary.value
    assert 'class="dp-kv"' in summary and "dp-table" not in summary
    fields = re.findall(r'<th scope="row">([^<]+)</th><td data-field="([^"]+)">([^<]*)</td>', summary)
    assert [label for label, _, _ in fields] == [
        "Rows", "Columns", "Size", "Origin", "Source", "Read as", "Created", "Created by", "Missing cells",
        "Duplicate rows", "Column types"]
    shown = {key: value for _, key, value in fields}
    assert (shown["rows"], shown["columns"], shown["origin"], shown["source"]) == ("244", "7", "upload",
                                                                                  "file tips.csv")
    assert shown["created_by"] == tips.info.created_by != ""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown["created"])
    assert panel.header.value.count("dp-badge") == 1 and "dp-muted" not in panel.header.value
    sample = panel.sample_tab.table.value
    assert "<thead><tr><th>#</th><th>total_bill</th>" in sample
    numbers = re.findall(r'<td class="dp-num dp-rownum">(\d+)</td>', sample)
    assert numbers == [str(i) for i in range(20)]  # from 0, as the sidebar counts


def test_the_summary_says_how_the_file_was_read_as_the_sidebar():
    """The sidebar's `describeFormat` cases (labextension/test/readAs.test.ts)."""
    assert describe_format({"encoding": "utf-8", "separator": ";", "decimal": ",", "quotechar": '"', "header": True,
                            "escapechar": None, "skip_lines": 2, "record_delimiter": "\n", "header_rows": 1}) == (
        'separator “;”, decimal “,”, encoding utf-8, quote “"”, header of 1 line, 2 lines skipped before it')
    assert describe_format({"separator": "\t", "encoding": "cp1252", "escapechar": "\\", "header": True,
                            "header_rows": 2, "record_delimiter": "\r\n"}) == (
        "separator “\\t”, encoding cp1252, escape “\\”, header of 2 lines, line ends “\\r\\n”")
    assert describe_format({"separator": ",", "header": False}) == "separator “,”, no header"
    assert describe_format(None) is None and describe_format({}) is None


def test_import_warnings_are_listed_under_their_heading(project, tmp_path: Path):
    path = tmp_path / "rag.csv"
    path.write_text("a,b,c\n" + "1,2,3\n" * 20 + "4,5,6,7\n")
    panel = DatasetPanel(project.datasets.import_file(path, name="rag").wait(timeout=60))
    summary = panel.general.summary.value
    assert '<div class="dp-warnings"><h4>Import warnings</h4><ul><li>' in summary
    assert "1 row set aside: lines 22 (4 fields, expected 3)" in summary


def test_panel_follows_an_import_until_ready(project, tmp_path: Path):
    path = tmp_path / "iris.csv"
    px.data.iris().to_csv(path, index=False)
    panel = DatasetPanel(project.datasets.import_file(path, name="iris"))
    state = panel.progress.follower.join(60)
    assert state is not None and state.status == "ready"
    assert panel.progress.bar.value == 1.0
    # Ready is said once, by the title's chip: the steps and the bar make room for the tabs.
    assert panel.header.value.count("Ready to be used") == 1 and 'dp-tone-ok' in panel.header.value
    assert panel.progress.label.value == "" and panel.progress not in panel.body.children
    assert panel.tabs is not None and figure_of(panel.general.distributions) is not None
    assert panel.body.children == (panel.tabs,) and "dp-panel-tabs" in panel.tabs._dom_classes


def test_failed_import_is_a_readable_message(project, tmp_path: Path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"a,b\n1,2\n3,4,5,6\n")
    panel = DatasetPanel(project.datasets.import_file(path, name="broken", on_bad_rows="error"))
    state = panel.progress.follower.join(60)
    assert state is not None and state.status == "failed"
    assert "dp-error" in panel.progress.error.value
    assert "broken.csv" in panel.progress.error.value or "row" in panel.progress.error.value
    assert "Traceback" not in texts(panel)
    assert panel.tabs is None


def test_catalog_panel_tabs_and_filters(project, tips, stocks):
    project.datasets.from_pandas(px.data.iris(), "iris_scored", origin="pipeline_output").wait(timeout=60)
    panel = catalog_panel(project)
    assert isinstance(panel, CatalogPanel)
    titles = [panel.tabs.get_title(i) for i in range(5)]
    assert titles == ["Datasets", "Image folders", "Connectors", "Datasources", "Exporters"]
    assert isinstance(panel.image_folders, ImageFoldersTab) and isinstance(panel.exporters, ExportersTab)
    datasets = panel.datasets
    listed = lambda: [d.name for d in datasets.datasets]  # noqa: E731
    assert listed() == ["iris_scored", "stocks", "tips"]
    datasets.origins["upload"].value = False
    assert listed() == ["iris_scored"]
    datasets.origins["upload"].value = True
    datasets.search.value = "TIP"
    assert listed() == ["tips"]
    row = texts(datasets.rows)
    assert 'data-status="ready"' in row and "244 rows" in row and "Ready to be used" in row


def widgets_in(widget: w.Widget) -> list[w.Widget]:
    """A widget and everything below it, with their layouts."""
    found, stack = [], [widget]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(getattr(node, "children", ()))
        if isinstance(getattr(node, "layout", None), w.Layout):
            found.append(node.layout)
    return found


def test_panels_made_after_every_widget_was_closed_are_whole(project, tips):
    # No layout is shared between widgets: closing every widget (what a notebook's "clear" or
    # `Widget.close_all()` does) leaves the panels made afterwards working.
    catalog_panel(project).exporters.show_new()
    w.Widget.close_all()
    panel = catalog_panel(project)
    panel.connectors.show_new()
    panel.exporters.show_new()
    made = widgets_in(panel)
    assert any(isinstance(x, w.Button) and x.layout.width == "auto" for x in made)
    assert any(isinstance(x, w.Text) and x.layout.width == "460px" for x in made)
    assert all(x.comm is not None for x in made)
    layouts = [x.layout for x in made if isinstance(x, w.Button)]
    assert len({id(x) for x in layouts}) == len(layouts)


def test_rename_and_delete_with_confirmation(project, tips):
    datasets = CatalogPanel(project).datasets
    actions = datasets.rows.children[0].children[1]
    actions.rename_button.click()
    name_box, save, _ = actions.form.children[0].children
    name_box.value = "tips_renamed"
    save.click()
    assert "Renamed 'tips' to 'tips_renamed'" in actions.message.value
    assert [d.name for d in datasets.datasets] == ["tips_renamed"]
    actions = datasets.rows.children[0].children[1]
    actions.delete_button.click()
    assert "Delete dataset 'tips_renamed'?" in texts(actions.form)
    assert len(project.datasets) == 1  # nothing happens before the confirmation
    confirm = actions.form.children[1].children[0]
    confirm.click()
    assert len(project.datasets) == 0
    assert "No dataset matches" in texts(datasets.rows)


def test_rename_to_a_taken_name_shows_the_error_and_reenables(project, tips, stocks):
    actions = DatasetPanel(tips).actions
    actions.rename_button.click()
    name_box, save, _ = actions.form.children[0].children
    name_box.value = "stocks"
    save.click()
    assert "already has a dataset named 'stocks'" in actions.message.value
    assert not save.disabled


def test_download_writes_the_file(tips, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    actions = DatasetPanel(tips).actions
    actions.download_button.click()
    path, fmt, go, _ = actions.form.children[0].children
    fmt.value = "parquet"
    assert path.value == "tips.parquet"
    go.click()
    assert (tmp_path / "tips.parquet").stat().st_size > 0
    assert "Wrote" in actions.message.value


def test_import_form_uploads_a_file_and_follows_it(project):
    content = px.data.tips().to_csv(index=False).encode()
    form = ImportForm(project)
    form.upload.value = ({"name": "tips upload.csv", "type": "text/csv", "size": len(content),
                          "content": memoryview(content), "last_modified": dt.datetime.now(dt.timezone.utc)},)
    form.separator.value = ","
    form.save_button.click()
    assert "Import of 'tips upload' started" in form.message.value
    assert form.upload.value == ()  # the browser's copy is released
    view = form.progress.children[0]
    assert view.follower.join(60).status == "ready"
    assert project.datasets["tips upload"].rows == 244
    assert project.datasets["tips upload"].info.source["file"] == "tips upload.csv"


def test_import_form_without_a_file_says_what_is_missing(project):
    form = ImportForm(project)
    form.save_button.click()
    assert "Upload a CSV file or give its path" in form.message.value
    form.source.value = "datasource"
    form.save_button.click()
    assert "Pick a datasource" in form.message.value
    assert not form.save_button.disabled


def test_records_display_as_their_panel(project, tips):
    assert isinstance(panel_for(tips), DatasetPanel)
    assert isinstance(panel_for(project), CatalogPanel)
    with pytest.raises(TypeError):
        panel_for(42)


def test_datasets_list_follows_an_import_until_ready(project, tmp_path: Path):
    import time

    path = tmp_path / "gapminder.csv"
    px.data.gapminder().to_csv(path, index=False)
    datasets = CatalogPanel(project).datasets
    dataset = project.datasets.import_file(path, name="gapminder")
    datasets.refresh()
    assert 'data-status="copying"' in texts(datasets.rows) or 'data-status="computing_statistics"' in texts(datasets.rows)
    deadline = time.monotonic() + 60
    while 'data-status="ready"' not in texts(datasets.rows) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert 'data-name="gapminder" data-status="ready"' in texts(datasets.rows)
    assert "1,704 rows" in texts(datasets.rows)
    assert dataset.status == "ready"
    datasets._poller.join(5)
    assert not datasets._poller.is_alive()  # the watcher stops once nothing is pending


def test_image_columns_draw_their_sizes_and_list_their_formats(project, tmp_path: Path):
    from tests.archive_builders import image_bytes, make_zip

    entries = {f"cats/{i}.png": image_bytes("PNG", size=(20 + i, 16)) for i in range(6)}
    entries |= {f"dogs/{i}.jpg": image_bytes("JPEG", size=(40, 30)) for i in range(4)}
    dataset = project.datasets.import_file(make_zip(tmp_path / "pets.zip", entries), name="pets").wait(timeout=60)
    columns = DatasetPanel(dataset).columns_tab
    image = next(c for c in columns.by_name.values() if c["type"] == "image")
    columns.select.value = image["name"]
    figure = figure_of(columns.figure)
    assert sum(figure["data"][0]["y"]) == 10  # the widths of the 10 inspected images
    assert "PNG (6)" in columns.details.value and "JPEG (4)" in columns.details.value
    assert "width (min / mean / max)" in columns.details.value


def test_dataset_panel_shows_the_rejected_rows_verbatim(project, tmp_path: Path):
    path = tmp_path / "rag.csv"
    path.write_text("a,b,c\n" + "1,2,3\n" * 20 + '4,5,6,"<b>x\ny</b>",7\n')
    panel = DatasetPanel(project.datasets.import_file(path).wait(timeout=60))
    assert panel.progress.follower.join(60).status == "ready"
    assert panel.tabs.get_title(3) == "Rejected rows (1)"
    shown = panel.rejected_tab.table.value
    assert re.search(r"<td[^>]*>22</td><td[^>]*>5 fields, expected 3</td>", shown), shown
    assert '<pre class="dp-raw">4,5,6,"&lt;b&gt;x\ny&lt;/b&gt;",7</pre>' in shown
    assert "1 row was not imported" in texts(panel.rejected_tab)
