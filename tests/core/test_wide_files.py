"""Very wide and single-line files (issue 21): refused early with the count or length named,
with the worker's peak memory measured and bounded."""

from __future__ import annotations

import pytest

from dataplane_jupyter.core.errors import ImportFailed
from dataplane_jupyter.core.jobs import JobStatus


def wide_csv(path, columns: int, rows: int = 5) -> None:
    with open(path, "w") as out:
        out.write(",".join(f"c{i}" for i in range(columns)) + "\n")
        for r in range(rows):
            out.write(",".join(str((i + r) % 10) for i in range(columns)) + "\n")


def test_a_file_with_100000_columns_is_refused_naming_the_count_with_bounded_memory(process_catalog, tmp_path):
    path = tmp_path / "wide.csv"
    wide_csv(path, 100_000)  # 1.2 MB: drove a worker to 19.2 GB before
    dataset = process_catalog.project("p").datasets.import_file(path, name="wide")
    with pytest.raises(ImportFailed) as failure:
        dataset.wait(timeout=300)
    assert "wide.csv has 100,000 columns; at most 2,000 are accepted" in str(failure.value)
    assert "DATAPLANE_MAX_COLUMNS" in str(failure.value)
    job = process_catalog.jobs.get(dataset.info.job_id)
    assert job.status is JobStatus.FAILED
    assert 0 < job.peak_memory < 600 << 20, job.peak_memory  # measured by the supervisor


def test_the_column_limit_is_configurable(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_COLUMNS", "50")
    path = tmp_path / "fifty_one.csv"
    wide_csv(path, 51)
    with pytest.raises(ImportFailed, match="fifty_one.csv has 51 columns; at most 50 are accepted"):
        catalog.project("p").datasets.import_file(path, name="w51").wait(timeout=120)
    wide_csv(path, 50)
    assert catalog.project("p").datasets.import_file(path, name="w50").wait(timeout=120).columns == 50


def test_a_header_longer_than_the_sample_is_counted_whole(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_COLUMNS", "100000")
    path = tmp_path / "long_header.csv"
    with open(path, "w") as out:  # a 1.3 MB header: longer than the 1 MiB format sample
        out.write(",".join(f"column_{i}" for i in range(120_000)) + "\n1\n")
    with pytest.raises(ImportFailed, match="long_header.csv has 120,000 columns; at most 100,000"):
        catalog.project("p").datasets.import_file(path, name="h2").wait(timeout=120)


def test_a_single_endless_line_names_its_length(catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("DATAPLANE_MAX_LINE_BYTES", "2MiB")  # the 16 MiB default, scaled down
    path = tmp_path / "one_line.csv"
    with open(path, "wb") as out:
        for _ in range(6):
            out.write(b"x" * (1 << 20))  # 6 MiB, no line break: stands for a 2 GB one
    with pytest.raises(ImportFailed) as failure:
        catalog.project("p").datasets.import_file(path, name="line").wait(timeout=120)
    message = str(failure.value)
    assert "one_line.csv: line 1 is longer than 2.0 MiB" in message
    assert "the file is 6.0 MiB" in message and "DATAPLANE_MAX_LINE_BYTES" in message
    assert "no data rows" not in message


def test_a_wide_file_never_takes_a_worker_past_its_memory_allowance(process_catalog, tmp_path, monkeypatch):
    """Whatever the reader needs for 5,000 columns, the worker stays within its allowance: the
    import succeeds within it, or is stopped naming the limit and the phase (the CSV reader of
    2026-12 needs more than 500 MiB here, so today it is stopped)."""
    monkeypatch.setenv("DATAPLANE_WORKER_MEMORY", "500MiB")
    monkeypatch.setenv("DATAPLANE_MAX_COLUMNS", "10000")
    path = tmp_path / "wide5000.csv"
    wide_csv(path, 5_000)  # 50 KB, within the column limit
    dataset = process_catalog.project("p").datasets.import_file(path, name="w")
    job = process_catalog.jobs.wait(dataset.info.job_id, timeout=600)
    assert 0 < job.peak_memory < (750 << 20), job.peak_memory  # at most one poll past the limit
    if job.status is JobStatus.SUCCEEDED:
        assert (dataset.wait(timeout=600).rows, dataset.info.columns) == (5, 5_000)
    else:
        assert "more than the 500.0 MiB a worker may use (DATAPLANE_WORKER_MEMORY), while '" in job.error
        with pytest.raises(ImportFailed):
            dataset.wait(timeout=60)
        assert (dataset.info.rows, dataset.info.status.value) == (None, "failed")
