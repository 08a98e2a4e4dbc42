"""Statistics over Parquet files built here with known values."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane_jupyter.core.ingest import csv_to_parquet, detect_csv_format
from dataplane_jupyter.core.stats import aggregates, compute_statistics, correlation, first_figures


def write(tmp_path: Path, table: pa.Table, **kwargs: object) -> str:
    path = str(tmp_path / "d.parquet")
    pq.write_table(table, path, **kwargs)
    return path


def by_name(stats: dict) -> dict[str, dict]:
    return {c["name"]: c for c in stats["columns"]}


@pytest.fixture()
def known(tmp_path: Path) -> str:
    n = 100
    x = np.arange(n, dtype=float)
    table = pa.table({
        "x": x,
        "up": 2 * x + 1,
        "down": -3 * x,
        "k": pa.array([i % 5 for i in range(n)], pa.int64()),
        "gap": pa.array([None if i % 4 == 0 else float(i) for i in range(n)]),
        "cat": pa.array(["a"] * 50 + ["b"] * 30 + ["c"] * 20),
        "flag": pa.array([i < 25 for i in range(n)]),
    })
    return write(tmp_path, table, row_group_size=30)


def test_moments_quantiles_and_counts(known: str) -> None:
    stats = compute_statistics(known)
    x = by_name(stats)["x"]
    assert (x["count"], x["missing"], x["distinct"]) == (100, 0, 100)
    assert x["mean"] == 49.5 and x["min"] == 0.0 and x["max"] == 99.0
    assert x["std"] == pytest.approx(np.std(np.arange(100), ddof=1))
    expected = np.quantile(np.arange(100), aggregates.QUANTILES)
    assert [x["quantiles"][str(q)] for q in aggregates.QUANTILES] == pytest.approx(expected)
    assert by_name(stats)["gap"]["missing"] == 25


def test_histogram_counts_exact(known: str) -> None:
    stats = by_name(compute_statistics(known))
    assert stats["x"]["histogram"]["counts"] == [5] * 20
    assert stats["x"]["histogram"]["edges"][0] == 0.0 and stats["x"]["histogram"]["edges"][-1] == 99.0
    assert stats["k"]["histogram"]["counts"] == [20] * 5  # one bin per integer value


def test_top_values_and_boolean(known: str) -> None:
    stats = by_name(compute_statistics(known))
    assert stats["cat"]["top"] == [{"value": "a", "count": 50}, {"value": "b", "count": 30},
                                   {"value": "c", "count": 20}]
    assert stats["cat"]["distinct"] == 3 and stats["cat"]["type"] == "categorical"
    assert stats["flag"]["mean"] == 0.25 and stats["flag"]["type"] == "boolean"
    assert stats["flag"]["top"] == [{"value": False, "count": 75}, {"value": True, "count": 25}]


def test_correlation_of_constructed_columns(known: str) -> None:
    corr = compute_statistics(known)["correlation"]
    assert corr["method"] == "pearson"
    i = {name: n for n, name in enumerate(corr["columns"])}
    assert corr["matrix"][i["x"]][i["up"]] == pytest.approx(1.0)
    assert corr["matrix"][i["x"]][i["down"]] == pytest.approx(-1.0)
    assert corr["matrix"][i["x"]][i["gap"]] == pytest.approx(1.0)  # pairwise-complete rows


def test_summary_and_sample(known: str) -> None:
    stats = compute_statistics(known, sample_rows=3)
    summary = stats["summary"]
    assert (summary["rows"], summary["columns"], summary["missing_cells"]) == (100, 7, 25)
    assert summary["missing_cells_pct"] == pytest.approx(25 / 700 * 100)
    assert summary["types"] == {"numeric": 5, "categorical": 1, "text": 0, "datetime": 0,
                                "boolean": 1}
    assert summary["duplicate_rows"] == 0 and summary["size_bytes"] > 0
    assert stats["sample"]["columns"][0] == "x" and len(stats["sample"]["rows"]) == 3
    assert stats["rows"] == 100 and stats["columns_count"] == 7


def test_json_safe_nan_inf_and_duplicates(tmp_path: Path) -> None:
    table = pa.table({"v": [1.0, float("inf"), 1.0, float("nan")], "c": ["a", "b", "a", "d"]})
    stats = compute_statistics(write(tmp_path, table))
    text = json.dumps(stats, allow_nan=False)  # raises on NaN/inf
    assert "Infinity" not in text and stats["summary"]["duplicate_rows"] == 1


def test_constant_and_empty_columns_warn(tmp_path: Path) -> None:
    table = pa.table({"same": [7, 7, 7], "none": pa.array([None, None, None], pa.float64())})
    stats = by_name(compute_statistics(write(tmp_path, table)))
    assert "constant: every value is the same" in stats["same"]["warnings"]
    assert stats["none"]["warnings"] == ["all values are missing"]
    assert stats["same"]["histogram"]["counts"] == [3]


def test_statistics_of_an_imported_csv(tmp_path: Path) -> None:
    lines = ["when;amount;city;review"]
    for i in range(30):
        lines.append(f"2024-01-{i + 1:02d};{i},5;{'Paris' if i % 2 else 'Lyon'};"
                     f"a long free text review number {i} written by a happy customer today")
    data = "\n".join(lines).encode()
    fmt = detect_csv_format(io.BytesIO(data), source="s.csv")
    dest = str(tmp_path / "s.parquet")
    csv_to_parquet(io.BytesIO(data), dest, fmt, source="s.csv")
    stats = by_name(compute_statistics(dest))
    assert stats["amount"]["mean"] == pytest.approx(15.0)
    assert stats["when"]["type"] == "datetime"
    assert stats["when"]["min"] == "2024-01-01T00:00:00"
    assert stats["when"]["max"] == "2024-01-30T00:00:00"
    assert sum(stats["when"]["histogram"]["counts"]) == 30
    assert stats["review"]["type"] == "text"
    assert stats["review"]["text_length"]["min"] == len(lines[1].split(";")[3])
    assert stats["city"]["top"][0] == {"value": "Lyon", "count": 15}


def test_more_than_2000_categories_warns(tmp_path: Path) -> None:
    table = pa.table({"id": [f"c{i}" for i in range(2_500)]})
    stats = by_name(compute_statistics(write(tmp_path, table)))
    assert stats["id"]["distinct"] == 2_500
    assert any("2,500 distinct values" in w for w in stats["id"]["warnings"])


def test_large_files_switch_to_approximate_quantiles_close_to_exact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aggregates, "EXACT_LIMIT_VALUES", 10)
    values = np.random.default_rng(3).normal(size=50_000)
    stats = by_name(compute_statistics(write(tmp_path, pa.table({"v": values}))))["v"]
    assert stats["quantiles_exact"] is False and stats["distinct_exact"] is False
    exact = np.quantile(values, aggregates.QUANTILES)
    assert [stats["quantiles"][str(q)] for q in aggregates.QUANTILES] == \
        pytest.approx(exact, abs=0.02)
    assert stats["distinct"] == pytest.approx(50_000, rel=0.05)


def test_streaming_pearson_matches_numpy_with_missing_values() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(1_000, 6))
    x[:, 1] += x[:, 0]
    x[rng.random(x.shape) < 0.1] = np.nan
    moments = correlation.PairwiseMoments(6)
    for part in np.array_split(x, 7):
        moments.add(part)
    got = moments.correlation()
    import pandas as pd

    assert got == pytest.approx(pd.DataFrame(x).corr().to_numpy(), abs=1e-9)


def test_300_numeric_columns(tmp_path: Path) -> None:
    values = np.random.default_rng(1).normal(size=(2_000, 300))
    table = pa.table({f"x{i}": values[:, i] for i in range(300)})
    stats = compute_statistics(write(tmp_path, table))
    matrix = np.array(stats["correlation"]["matrix"], dtype=float)
    assert matrix.shape == (300, 300)
    assert np.allclose(np.diag(matrix), 1.0)
    assert matrix == pytest.approx(np.corrcoef(values, rowvar=False), abs=1e-6)


def test_progress_exception_cancels(known: str) -> None:
    class Stop(Exception):
        pass

    def stop(fraction: float, message: str) -> None:
        raise Stop()

    with pytest.raises(Stop):
        compute_statistics(known, progress=stop)


def test_first_figures_from_metadata(known: str) -> None:
    figures = first_figures(known)
    cols = {c["name"]: c for c in figures["columns"]}
    assert figures["rows"] == 100 and figures["columns_count"] == 7
    assert (cols["x"]["min"], cols["x"]["max"], cols["x"]["missing"]) == (0.0, 99.0, 0)
    assert cols["gap"]["missing"] == 25
    assert (cols["cat"]["min"], cols["cat"]["max"]) == ("a", "c")


def test_through_an_fsspec_filesystem() -> None:
    fs = fsspec.filesystem("memory")
    pq.write_table(pa.table({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]}), "/st/f.parquet",
                   filesystem=fs)
    stats = compute_statistics("/st/f.parquet", filesystem=fs)
    assert stats["correlation"]["matrix"][0][1] == pytest.approx(-1.0)
    assert first_figures("/st/f.parquet", filesystem=fs)["rows"] == 3
    assert not math.isnan(by_name(stats)["a"]["mean"])
