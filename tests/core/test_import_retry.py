"""A failed import can be retried on the same dataset with other options."""

from __future__ import annotations

import pytest

import dataplane_jupyter as dp
from dataplane_jupyter.core.datasets.datasets import Datasets
from dataplane_jupyter.core.datasets.import_retry import options_for_retry, retry_options

LATIN1 = "city;population\nZürich;421878\nGenève;203856\nMünchen;1512491\n".encode("cp1252")


@pytest.fixture
def project(catalog):
    return catalog.project("p")


def failed_import(project, tmp_path, **options):
    path = tmp_path / "cities.csv"
    path.write_bytes(LATIN1)
    ds = project.datasets.import_file(path, name="cities", **options)
    with pytest.raises(dp.ImportFailed):
        ds.wait(timeout=60)
    return ds


def test_retry_takes_the_keywords_of_import_file():
    assert set(retry_options(Datasets)) >= {"separator", "decimal", "encoding", "quotechar", "header"}
    assert not set(retry_options(Datasets)) & {"origin", "delete_source", "file_name", "source", "name"}


def test_a_failed_import_retried_with_other_options_becomes_ready_on_the_same_record(project, tmp_path):
    ds = failed_import(project, tmp_path, encoding="utf-8", separator=",")
    assert ds.status == "failed"
    assert options_for_retry(ds)["encoding"] == "utf-8" and options_for_retry(ds)["separator"] == ","
    before = ds.id
    again = ds.retry(encoding="cp1252", separator=";")
    assert again is ds and ds.id == before and ds.name == "cities"
    ds.wait(timeout=60)
    assert (ds.status, ds.rows, ds.columns, ds.error) == ("ready", 3, 2, None)
    assert ds.sample(3)["city"].tolist() == ["Zürich", "Genève", "München"]
    assert [d.name for d in project.datasets.list()] == ["cities"]
    assert ds.job.params["options"]["encoding"] == "cp1252"


def test_options_not_given_keep_what_the_failed_attempt_was_given(project, tmp_path):
    ds = failed_import(project, tmp_path, encoding="utf-8", separator=";")
    ds.retry(encoding="cp1252").wait(timeout=60)
    assert ds.columns == 2  # the separator ";" given the first time was kept


def test_retry_refuses_what_cannot_be_retried(project, tmp_path):
    ds = failed_import(project, tmp_path, encoding="utf-8")
    with pytest.raises(dp.InvalidInput, match="not 'delimiter'") as error:
        ds.retry(delimiter=";")
    assert error.value.field == "delimiter"
    ds.retry(encoding="cp1252", separator=";").wait(timeout=60)
    with pytest.raises(dp.InvalidState, match="only a failed import can be retried"):
        ds.retry(encoding="cp1252")


def test_a_failed_upload_keeps_its_staged_file_for_the_retry_until_deleted(project, tmp_path):
    staged = tmp_path / "uploads" / "x-cities.csv"
    staged.parent.mkdir()
    staged.write_bytes(LATIN1)
    ds = project.datasets.import_file(staged, name="cities", encoding="utf-8", delete_source=True,
                                      file_name="cities.csv")
    with pytest.raises(dp.ImportFailed):
        ds.wait(timeout=60)
    assert staged.exists()
    ds.retry(encoding="cp1252", separator=";").wait(timeout=60)
    assert not staged.exists()  # consumed by the successful retry

    staged.write_bytes(LATIN1)
    other = project.datasets.import_file(staged, name="other", encoding="utf-8", delete_source=True)
    with pytest.raises(dp.ImportFailed):
        other.wait(timeout=60)
    assert staged.exists()
    other.delete()
    assert not staged.exists()


def test_a_local_file_gone_since_cannot_be_retried(project, tmp_path):
    ds = failed_import(project, tmp_path, encoding="utf-8")
    (tmp_path / "cities.csv").unlink()
    with pytest.raises(dp.InvalidState, match="no longer there"):
        ds.retry(encoding="cp1252")
    assert ds.status == "failed"
