"""The notebook panel formats numbers and dates by column, as the sidebar does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from dataplane_jupyter.widgets import html
from dataplane_jupyter.widgets.dataset import _by_column


def test_years_ids_and_codes_are_not_grouped_amounts_are():
    assert html.is_code_like("year", [1952, 2007])
    assert html.is_code_like("pop", [1952, 2007])  # every value a year
    assert not html.is_code_like("pop", [8425333, 1952])
    assert html.is_code_like("customer_id", [10452, 99871])
    assert not html.is_code_like("price", [1.5, 2007])
    assert html.number(1952, code_like=True) == "1952" and html.number(1952) == "1,952"
    assert html.number(1979.5, code_like=True) == "1979.5"
    assert _by_column({"name": "year", "mean": 1979.5, "min": 1952, "max": 2007}) == ["1979.5", "1952", "2007"]
    assert _by_column({"name": "pop", "mean": 1.5e6, "min": 60011, "max": 8425333}) == [1.5e6, 60011, 8425333]


def test_tables_right_align_numbers_and_show_midnight_timestamps_as_dates():
    table = html.table(["year", "pop", "day"], [(1952, 8425333, "2024-02-16T00:00:00.000"),
                                               (2007, 31889923, dt.datetime(2024, 2, 17))])
    assert '<td class="dp-num">1952</td>' in table and '<td class="dp-num">8,425,333</td>' in table
    assert "<td>2024-02-16</td>" in table and "<td>2024-02-17</td>" in table
    assert "2024-02-16T00" not in table
    assert html.number("2024-02-16T13:05:00") == "2024-02-16T13:05:00"


RULES = json.loads((Path(__file__).parents[1] / "display_rules.json").read_text())


@pytest.mark.parametrize("case", RULES["cells"], ids=lambda case: f"{case['value']!r}->{case['shown']}")
def test_cells_read_as_in_the_sidebar(case):
    """The same table the sidebar's formatCell is checked against (labextension/test/displayRules.test.ts)."""
    assert html.number(case["value"], code_like=case.get("code_like", False)) == case["shown"]


def test_numpy_values_read_as_python_ones():
    assert html.number(np.bool_(True)) == "true" and html.number(np.int64(1952)) == "1,952"
    assert html.number(np.float64(1234.5678)) == "1,234.57" and html.number(float("nan")) == "—"
    table = html.table(["smoker", "tip"], [(np.bool_(False), np.float64(1.5))])
    assert "<td>false</td>" in table and '<td class="dp-num">1.5</td>' in table


def test_status_chips_take_the_sidebar_tones():
    for status, tone in RULES["status_tones"].items():
        assert html.status_tone(status) == tone, status
        assert f'class="dp-badge dp-tone-{tone}"' in html.badge(status)
    assert "style=" not in html.badge("ready")  # colours come from the theme, as in the sidebar
