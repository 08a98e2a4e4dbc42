"""The REST models of the statistics replies describe every stored payload exactly: validating a
payload and dumping it again (as the server replies) gives the same JSON, for every column type,
for partial (footer) figures, and for a column's drill-down."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dataplane_jupyter.core.models import DescribeColumnStatistics, DescribeSample, DescribeStatistics
from dataplane_jupyter.core.stats.metadata import first_figures

from .test_statistics_types import UNUSUAL


def as_replied(model: type[DescribeStatistics] | type[DescribeColumnStatistics], payload: dict) -> dict:
    """The JSON the server sends for `payload` (validated by the model, dumped as `reply` does)."""
    return json.loads(model.model_validate(payload).model_dump_json(exclude_unset=model.sparse))


def test_statistics_of_every_column_type_are_sent_as_stored(catalog):
    rng = np.random.default_rng(0)
    common = {
        "number": pa.array(rng.normal(size=60)),
        "integer": pa.array(rng.integers(0, 5, size=60)),
        "with_nan": pa.array([1.5, float("nan"), None] * 20),
        "flag": pa.array([True, False, None] * 20),
        "word": pa.array(["a", "b", "c", None] * 15),
        "essay": pa.array(["a long sentence that makes this column a text column, not a category " * 2] * 60),
        "when": pa.array([dt.datetime(2024, 1, 1) + dt.timedelta(days=i) for i in range(60)]),
        "empty": pa.array([None] * 60, pa.float64()),
        "constant": pa.array([7] * 60),
        "tensor": pa.array([[1.0, 2.0]] * 60, pa.list_(pa.float32(), 2)),
    }
    unusual = {k: pa.concat_arrays([v] * 20) for k, v in UNUSUAL.items()}
    ds = catalog.project("p").datasets.from_arrow(pa.table({**common, **unusual}), name="all").wait(timeout=120)
    assert ds.status == "ready", ds.error
    stats = json.loads(json.dumps(ds.statistics()))
    assert as_replied(DescribeStatistics, stats) == stats
    for column in stats["columns"]:
        assert as_replied(DescribeColumnStatistics, ds.column(column["name"])) == column
    assert {c["type"] for c in stats["columns"]} >= {"numeric", "boolean", "categorical", "text", "datetime",
                                                    "binary", "tensor"}


def test_partial_statistics_from_the_footer_are_sent_as_stored(tmp_path):
    table = pa.table({"n": [1, 2, None], "s": ["x", None, "z"], "b": [b"\x00", b"\xff", None],
                      "t": [dt.date(2024, 1, 2), None, dt.date(2024, 3, 4)], "f": [True, None, False],
                      "d": UNUSUAL["decimal"], "l": UNUSUAL["list"]})
    pq.write_table(table, tmp_path / "data.parquet")
    partial = {**first_figures(str(tmp_path / "data.parquet")), "partial": True}
    assert as_replied(DescribeStatistics, partial) == partial


def test_a_sample_with_missing_and_infinite_numbers_is_json():
    frame = pd.DataFrame({"x": [1.0, np.inf, np.nan], "when": pd.to_datetime(["2024-01-01", None, "2024-01-02"])})
    text = frame.to_json(orient="split", index=False, date_format="iso")
    sample = json.loads(DescribeSample.model_validate_json(text).model_dump_json())
    assert sample == {"columns": ["x", "when"],
                      "data": [[1.0, "2024-01-01T00:00:00.000"], [None, None], [None, "2024-01-02T00:00:00.000"]]}
