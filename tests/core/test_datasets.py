"""Datasets through the catalog: import → copying → computing_statistics → ready, and managing them."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

import dataplane_jupyter as dp

pytestmark = pytest.mark.team

EUROPEAN = "name;price;qty\nA;1,5;3\nB;2,25;4\n\"C;x\";3,75;5\n"


@pytest.fixture
def project(catalog):
    return catalog.project("p")


@pytest.fixture
def european_csv(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(EUROPEAN, encoding="utf-8")
    return path


def test_import_lists_at_once_then_becomes_ready_with_statistics(project, european_csv):
    ds = project.datasets.import_file(european_csv)
    assert ds.name == "sales" and ds.origin == "upload"
    assert ds.status in ("copying", "computing_statistics", "ready")
    assert [d.name for d in project.datasets.list()] == ["sales"]
    ds.wait(timeout=60)
    assert (ds.status, ds.rows, ds.columns) == ("ready", 3, 3)
    assert ds.info.source["format"] == {"encoding": "utf-8", "separator": ";", "decimal": ",", "quotechar": '"', "header": True,
                                        "escapechar": None, "skip_lines": 0, "record_delimiter": "\n",
                                        "header_rows": 1}
    stats = ds.statistics()
    assert stats["summary"]["rows"] == 3
    assert ds.column("price")["mean"] == pytest.approx(2.5)
    assert ds.column("name")["type"] in ("categorical", "text")
    pd.testing.assert_frame_equal(
        ds.to_pandas(), pd.DataFrame({"name": ["A", "B", "C;x"], "price": [1.5, 2.25, 3.75], "qty": [3, 4, 5]}),
        check_dtype=False,
    )
    assert ds.to_arrow().num_rows == 3
    assert ds.sample(2)["name"].tolist() == ["A", "B"]


def test_overrides_win_over_detection(project, tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("a|b\n1,5|x\n2,5|y\n")
    ds = project.datasets.import_file(path, separator="|", decimal=".").wait(timeout=60)
    assert ds.info.source["format"]["separator"] == "|"
    assert ds.column("a")["type"] != "numeric"  # '1,5' is not a number when the decimal is '.'


def test_download_as_csv_and_parquet(project, european_csv, tmp_path):
    ds = project.datasets.import_file(european_csv).wait(timeout=60)
    csv_path = ds.download(tmp_path / "out.csv")
    assert pd.read_csv(csv_path)["price"].tolist() == [1.5, 2.25, 3.75]
    parquet_path = ds.download(tmp_path / "out.parquet")
    assert pq.read_table(parquet_path).num_rows == 3
    with pytest.raises(dp.InvalidInput, match="format 'xlsx'"):
        ds.download(tmp_path / "out.xlsx")


def test_list_filters_by_origin_status_and_name(project, european_csv):
    project.datasets.import_file(european_csv, name="sales_2024").wait(timeout=60)
    project.datasets.from_pandas(pd.DataFrame({"x": [1]}), "predictions", origin="pipeline_output").wait(timeout=60)
    assert [d.name for d in project.datasets.list(origin=["upload"])] == ["sales_2024"]
    assert [d.name for d in project.datasets.list(origin=["pipeline_output", "upload"], search="PRED")] == ["predictions"]
    assert len(project.datasets.list(status=["ready"])) == 2
    assert project.datasets.list(status=["failed"]) == []
    with pytest.raises(ValueError):
        project.datasets.list(origin=["martian"])


def test_rename_and_delete_remove_only_our_files(project, european_csv):
    ds = project.datasets.import_file(european_csv).wait(timeout=60)
    project.datasets.import_file(european_csv, name="other").wait(timeout=60)
    with pytest.raises(dp.AlreadyExists):
        ds.rename("other")
    ds.rename("renamed")
    assert project.datasets["renamed"].id == ds.id
    folder = f"projects/{project.id}/datasets/{ds.id}"
    assert project.catalog.storage.exists(folder)
    ds.delete()
    assert not project.catalog.storage.exists(folder)
    assert european_csv.read_text() == EUROPEAN
    assert [d.name for d in project.datasets.list()] == ["other"]
    with pytest.raises(dp.NotFound):
        project.datasets["renamed"]


def test_bad_rows_are_repaired_or_set_aside_and_kept(project, tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n" + "10,11,12\n" * 20)
    ds = project.datasets.import_file(ragged).wait(timeout=60)
    assert ds.rows == 22
    assert ds.rejected_rows().to_dict("records") == [
        {"line": 4, "raw": "6,7,8,9", "reason": "4 fields, expected 3"}]
    messages = [w["message"] for w in ds.info.warnings]
    assert "1 row repaired: lines 3 (2 fields, padded to 3)" in messages
    assert "1 row set aside: lines 4 (4 fields, expected 3); see the rejected rows" in messages
    assert ds.info.source["rejected_rows"] == 1 and ds.info.source["repaired_rows"] == 1
    clean = project.datasets.import_file(ragged, name="clean_one", on_bad_rows="skip").wait(timeout=60)
    assert clean.rows == 21 and len(clean.rejected_rows()) == 2
    with pytest.raises(dp.InvalidInput, match="on_bad_rows"):
        project.datasets.import_file(ragged, name="x", on_bad_rows="ignore")


def test_a_bad_file_fails_with_the_line_and_leaves_nothing_ready(project, tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,c\n1,2,3\n4,5\n6,7,8\n")
    ds = project.datasets.import_file(ragged, on_bad_rows="error")
    with pytest.raises(dp.ImportFailed) as error:
        ds.wait(timeout=60)
    assert "ragged.csv" in str(error.value) and "line 3" in str(error.value)
    assert ds.status == "failed"
    assert not project.catalog.storage.exists(f"projects/{project.id}/datasets/{ds.id}")
    with pytest.raises(dp.InvalidState, match="not available"):
        ds.statistics()


def test_missing_file_and_duplicate_name_are_refused_at_once(project, european_csv, tmp_path):
    with pytest.raises(dp.InvalidInput, match="does not exist"):
        project.datasets.import_file(tmp_path / "nope.csv")
    project.datasets.import_file(european_csv, name="x")
    with pytest.raises(dp.AlreadyExists):
        project.datasets.import_file(european_csv, name="x")


def test_import_from_an_fsspec_url(project, european_csv):
    ds = project.datasets.import_file(european_csv.as_uri(), name="by_url").wait(timeout=60)
    assert ds.rows == 3


def test_gzipped_csv_imports_like_the_plain_one(project, tmp_path):
    import gzip

    path = tmp_path / "sales.csv.gz"
    path.write_bytes(gzip.compress(EUROPEAN.encode()))
    ds = project.datasets.import_file(path, name="gz").wait(timeout=60)
    assert (ds.rows, ds.columns) == (3, 3)


def test_cancelling_an_import_marks_the_dataset_failed(project, tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "w") as out:
        out.write("a,b,c\n")
        for i in range(400_000):
            out.write(f"{i},{i * 0.5},label{i % 7}\n")
    ds = project.datasets.import_file(big)
    project.catalog.jobs.cancel(ds.info.job_id)
    with pytest.raises(dp.ImportFailed, match="[Cc]ancel"):
        ds.wait(timeout=120)
    assert not project.catalog.storage.exists(f"projects/{project.id}/datasets/{ds.id}")


def test_statistics_fed_while_the_csv_is_written_equal_those_read_from_the_file(project, tmp_path):
    """The CSV import computes the statistics in its one pass; they are what a second read of
    the stored Parquet file gives, figure for figure."""
    from dataplane_jupyter.core.datasets.paths import DATA_FILE, dataset_folder
    from dataplane_jupyter.core.stats import compute_statistics

    lines = ["n,x,kind,note,day,ok"]
    for i in range(3000):
        x = "" if i % 17 == 0 else f"{(i * 7919) % 1000 / 7:.4f}"
        lines.append(f"{i},{x},k{i % 5},free text about order {i} here,"
                     f"2024-01-{1 + i % 28:02d},{'true' if i % 3 else 'false'}")
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n")
    ds = project.datasets.import_file(path).wait(timeout=120)
    assert ds.status == "ready"
    stored = project.catalog.storage.path(dataset_folder(project.id, ds.id), DATA_FILE)
    again = compute_statistics(stored, filesystem=project.catalog.storage.filesystem())
    assert {**ds.statistics(), "partial": False} == {**again, "partial": False}
    assert [c["type"] for c in again["columns"]] == ["numeric", "numeric", "categorical", "text",
                                                     "datetime", "boolean"]
