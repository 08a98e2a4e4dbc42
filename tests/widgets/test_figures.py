"""Figure functions on real stored statistics: what they draw is what the statistics say."""

from __future__ import annotations

import numpy as np
import pytest

from dataplane_jupyter.widgets import figures


def test_numeric_distribution_is_the_stored_histogram(tips):
    column = tips.column("total_bill")
    figure = figures.distribution_figure(column)
    (bar,) = figure.data
    assert list(bar.y) == column["histogram"]["counts"]
    edges = column["histogram"]["edges"]
    assert bar.x[0] == pytest.approx((edges[0] + edges[1]) / 2)
    assert sum(bar.y) == tips.rows
    assert figure.layout.title.text == "total_bill (numeric)"


def test_categorical_and_boolean_distributions_are_top_values(tips):
    day = figures.distribution_figure(tips.column("day"))
    assert day.data[0].orientation == "h"
    assert dict(zip(day.data[0].y, day.data[0].x)) == {"Sat": 87, "Sun": 76, "Thur": 62, "Fri": 19}
    smoker = figures.distribution_figure(tips.column("smoker"))
    assert sorted(smoker.data[0].y) == ["false", "true"]  # spelled as in the sidebar
    assert sum(smoker.data[0].x) == tips.rows


def test_datetime_histogram_has_dates_on_the_axis(stocks):
    column = stocks.column("date")
    assert column["type"] == "datetime"
    bar = figures.distribution_figure(column).data[0]
    assert str(bar.x[0]).startswith("2018-")
    assert sum(bar.y) == stocks.rows


def test_top_values_beyond_the_drawn_ones_are_grouped_while_a_column_has_few_levels():
    top = [{"value": f"v{i}", "count": 2} for i in range(12)]
    bar = figures.distribution_trace({"name": "c", "type": "categorical", "count": 30, "distinct": 14, "top": top})
    assert len(bar.y) == 13
    assert bar.y[-1] == "(other values)" and bar.x[-1] == 30 - 24


def test_many_levels_say_so_instead_of_an_other_bar_dwarfing_the_rest():
    """gapminder's 142 countries, 12 rows each: the chart says "142 levels, each 0.7 %" (as the
    sidebar's charts.ts, same cases as labextension/test/details-charts.test.ts)."""
    top = [{"value": f"country {i}", "count": 12} for i in range(50)]
    column = {"name": "country", "type": "categorical", "count": 1704, "distinct": 142, "top": top}
    bar = figures.distribution_trace(column)
    assert len(bar.y) == figures.TOP_OF_MANY and "(other values)" not in bar.y
    assert figures.levels_note(column) == "142 levels, each 0.7 %"
    figure = figures.distribution_figure(column)
    assert "142 levels, each 0.7 %" in figure.layout.title.text
    assert figure.layout.yaxis.dtick == 1  # every level's label drawn
    uneven = {**column, "top": [{"value": "a", "count": 500}, *top[1:]]}
    assert figures.levels_note(uneven) == "142 levels: the 10 most frequent (35.7 % of rows)"
    assert figures.levels_note({**column, "distinct": 15, "top": top[:15]}) is None
    small = figures.distributions_figure([column, {**column, "name": "few", "distinct": 15, "top": top[:15],
                                                   "count": 180}])
    assert [a.text for a in small.layout.annotations] == [
        "country (categorical) · 142 levels, each 0.7 %", "few (categorical)"]
    assert small.layout.yaxis2.dtick == 1 and len(small.data[1].y) == 15


def test_a_column_with_no_values_says_so():
    figure = figures.distribution_figure({"name": "empty", "type": "numeric", "histogram": None, "top": None})
    assert figure.data == ()
    assert "no values to draw" in figure.layout.annotations[0].text


def test_small_multiples_one_panel_per_column(tips):
    columns = tips.statistics()["columns"]
    figure = figures.distributions_figure(columns, per_row=3)
    assert len(figure.data) == len(columns) == 7
    titles = [a.text for a in figure.layout.annotations]
    assert titles[:3] == ["total_bill (numeric)", "tip (numeric)", "sex (categorical)"]


def test_heatmap_shows_the_picked_columns_with_their_stored_values(tips):
    correlation = tips.statistics()["correlation"]
    figure = figures.correlation_figure(correlation, ["tip", "total_bill"])
    heatmap = figure.data[0]
    assert list(heatmap.x) == list(heatmap.y) == ["tip", "total_bill"]
    i, j = correlation["columns"].index("tip"), correlation["columns"].index("total_bill")
    assert heatmap.z[0][1] == pytest.approx(correlation["matrix"][i][j], abs=1e-4)
    assert (heatmap.zmin, heatmap.zmax) == (-1, 1)
    with pytest.raises(ValueError, match="'sex'"):
        figures.correlation_figure(correlation, ["tip", "sex"])


def test_heatmap_writes_r_in_each_cell_when_it_fits_and_hovers_both_names(tips):
    figure = figures.correlation_figure(tips.statistics()["correlation"])
    heatmap = figure.data[0]
    assert heatmap.texttemplate == "%{z:.2f}"  # the r value written in each cell, few columns
    assert "%{y} and %{x}" in heatmap.hovertemplate
    many = {"method": "pearson", "columns": [f"c{i}" for i in range(13)],
            "matrix": [[1.0 if i == j else 0.1 for j in range(13)] for i in range(13)]}
    crowded = figures.correlation_figure(many).data[0]
    assert crowded.texttemplate is None and "%{y} and %{x}" in crowded.hovertemplate


def test_wide_correlation_is_readable(wide):
    correlation = wide.statistics()["correlation"]
    assert len(correlation["columns"]) == 320
    picked = figures.most_correlated(correlation, 30)
    assert len(picked) == 30
    assert not any(name.startswith("n_") for name in picked)  # noise columns correlate with nothing
    everything = figures.correlation_figure(correlation, cluster=True)
    order = list(everything.data[0].x)
    assert sorted(order) == sorted(correlation["columns"])
    families = [name[0] for name in order]
    # clustering puts each correlated family in one contiguous block
    for family in "ab":
        positions = [k for k, f in enumerate(families) if f == family]
        assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert everything.layout.xaxis.showticklabels is False  # 320 labels would overlap: hover instead


def test_cluster_order_is_a_permutation():
    matrix = np.array([[1, 0.1, 0.9], [0.1, 1, 0.2], [0.9, 0.2, 1]])
    order = figures.cluster_order(matrix)
    assert sorted(order) == [0, 1, 2]
    assert abs(order.index(0) - order.index(2)) == 1


def test_mimebundle_is_what_the_jupyterlab_plotly_renderer_reads(tips):
    bundle = figures.mimebundle(figures.distribution_figure(tips.column("tip")))
    assert bundle["application/vnd.plotly.v1+json"]["data"][0]["type"] == "bar"
    assert bundle["text/plain"] == "<plotly figure: tip (numeric)>"
