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


def test_the_first_look_is_there_when_import_file_returns_before_the_job_starts(project, tmp_path, monkeypatch):
    """Issue #13: the first look is stored by the process that starts the import, so it shows
    before the job's worker has started (which alone takes over a second); the job does not
    store it again, and the exact statistics replace it at the end."""
    import threading

    from dataplane_jupyter.core.datasets import imports

    path = tmp_path / "early.csv"
    path.write_text("city;population\n" + "".join(f"town {i};{1000 + i}\n" for i in range(80_000)))
    started, release = threading.Event(), threading.Event()
    real = imports.run_file_import
    stored = []

    def held(ctx):  # the job's own start, before it reads anything
        started.set()
        assert release.wait(120)
        return real(ctx)

    monkeypatch.setattr(imports, "run_file_import", held)
    real_store = imports.store_statistics
    monkeypatch.setattr(imports, "store_statistics", lambda c, d, payload: (stored.append(payload), real_store(c, d, payload)))
    ds = project.datasets.import_file(path)
    try:
        assert started.wait(120)
        look = ds.statistics()
        assert look["partial"] is True and look["rows_estimated"] is True
        assert [c["name"] for c in look["columns"]] == ["city", "population"]
        assert look["sample"]["rows"][0] == ["town 0", "1000"]
        assert 0.8 * 80_000 < look["rows"] < 1.25 * 80_000
    finally:
        release.set()
    ds.wait(timeout=120)
    assert sum(1 for payload in stored if payload.get("partial") and payload.get("rows_estimated")) == 1
    assert ds.statistics()["rows"] == 80_000


def test_a_file_that_cannot_be_read_has_no_first_look_and_the_job_names_the_problem(project, tmp_path):
    import dataplane_jupyter as dp
    from dataplane_jupyter.core.datasets.imports import store_first_look

    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 64)
    assert store_first_look(project.catalog, "no-such-dataset", str(path), {}) is False  # nothing stored
    ds = project.datasets.import_file(path)
    with pytest.raises(dp.ImportFailed, match="binary.csv"):
        ds.wait(timeout=120)
