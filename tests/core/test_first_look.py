"""The first look of a CSV import, held before the write (an in-process event: local profile only)."""

from __future__ import annotations

import pytest


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def test_csv_import_shows_a_first_look_before_the_file_is_written(project, tmp_path, monkeypatch):
    """Issue #13: as soon as the format is detected, the statistics hold the first look —
    partial, the columns with provisional types, the first rows, an estimated row count — and
    the sample reads from it; the exact statistics replace it when the import ends."""
    import threading

    from dataplane_jupyter.core.datasets import imports

    lines = ["id,score,day,label"]
    for i in range(60_000):
        lines.append(f"{i},{i * 0.25:.2f},2024-02-{1 + i % 28:02d},group {i % 9}")
    path = tmp_path / "look.csv"
    path.write_text("\n".join(lines) + "\n")
    reached, release = threading.Event(), threading.Event()
    real = imports.csv_to_parquet

    def held(*args, **kwargs):  # the job waits here, after the detection, until the test has looked
        reached.set()
        assert release.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "csv_to_parquet", held)
    ds = project.datasets.import_file(path)
    try:
        assert reached.wait(120)
        assert ds.info.status.value == "copying"
        look = ds.statistics()
        assert look["partial"] is True and look["rows_estimated"] is True
        assert [c["name"] for c in look["columns"]] == ["id", "score", "day", "label"]
        assert [c["type"] for c in look["columns"]] == ["numeric", "numeric", "datetime", "categorical"]
        assert look["sample"]["rows"][1] == ["1", "0.25", "2024-02-02", "group 1"]
        assert path.stat().st_size > 1 << 20  # longer than the sample: the count is an estimate
        assert 0.8 * 60_000 < look["rows"] < 1.25 * 60_000
        assert list(ds.sample(3)["id"]) == ["0", "1", "2"]
    finally:
        release.set()
    ds.wait(timeout=120)
    exact = ds.statistics()
    assert exact["partial"] is False and "rows_estimated" not in exact
    assert exact["rows"] == 60_000
    assert list(ds.sample(3)["id"]) == [0, 1, 2]
