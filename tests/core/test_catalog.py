"""The catalog: projects, schema migrations, SQLite settings, separate processes sharing it."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import dataplane_jupyter as dp
from dataplane_jupyter.core.catalog.catalog import db, schema
from tests.old_catalogs import old_catalog


def test_projects_are_created_listed_and_deleted(catalog):
    catalog.create_project("churn", "customer churn")
    catalog.project("default")
    assert [p.name for p in catalog.projects()] == ["churn", "default"]
    with pytest.raises(dp.AlreadyExists, match="'churn' already exists"):
        catalog.create_project("churn")
    catalog.delete_project("churn")
    with pytest.raises(dp.NotFound, match="No project named 'churn'"):
        catalog.project("churn", create=False)


@pytest.mark.parametrize("bad", ["", "   ", "a/b", "x" * 201, "tab\there"])
def test_bad_project_names_are_refused_naming_the_field(catalog, bad):
    with pytest.raises(dp.InvalidInput) as error:
        catalog.create_project(bad)
    assert error.value.field == "name"


def test_dp_project_uses_the_default_catalog_from_the_environment(isolated_home):
    project = dp.project("churn")
    assert project.catalog.settings.home == isolated_home
    assert dp.project().name == "default"


def test_migrations_build_exactly_the_declared_schema(catalog):
    with catalog.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert diff == []
    assert db.current_revision(catalog.engine) == db.head_revision()


def test_reopening_an_existing_catalog_keeps_everything(isolated_home):
    first = dp.Catalog(isolated_home)
    first.create_project("kept", "still here")
    again = dp.Catalog(isolated_home)
    assert [(p.name, p.description) for p in again.projects()] == [("kept", "still here")]


def test_sqlite_catalog_runs_in_wal_mode_with_foreign_keys(catalog):
    with catalog.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_another_process_sees_the_same_catalog(catalog):
    catalog.create_project("shared")
    code = "import dataplane_jupyter as dp; print([p.name for p in dp.Catalog().projects()])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['shared']"


def test_catalog_url_setting_points_elsewhere(tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    catalog = dp.Catalog(tmp_path / "home", catalog_url=url)
    catalog.create_project("p")
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sa.text("select name from projects")).scalars().all() == ["p"]


def test_an_old_catalog_is_migrated_without_losing_rows(tmp_path):
    """A catalog written by the first release (revision 0001) upgrades in place."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = old_catalog(
        url, "0001",
        "insert into projects (id, name, description, created_at, updated_at) values ('p1', 'legacy', 'kept', '2021-07-12 15:22:29', '2021-07-12 15:22:29')",
        "insert into datasets (id, project_id, name, origin, status, source, schema, warnings, created_at, updated_at) values ('d1', 'p1', 'old', 'upload', 'ready', '{}', '[]', '[]', '2021-07-12 15:22:29', '2021-07-12 15:22:29')")
    assert db.current_revision(engine) == "0001"
    catalog = dp.Catalog(tmp_path / "home", catalog_url=url)
    assert db.current_revision(catalog.engine) == db.head_revision() != "0001"
    project = catalog.project("legacy", create=False)
    assert project.info.description == "kept"
    assert [(d.name, d.status, d.info.embeddings) for d in project.datasets.list()] == [("old", "ready", None)]


def test_jobs_recorded_before_the_module_move_still_name_their_functions(tmp_path):
    """Revision 0008: job records of the flat core modules point at the noun folders."""
    from dataplane_jupyter.core.jobs.runner import resolve

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old_catalog(
        url, "0002",
        "insert into jobs (id, kind, function, on_end, status, progress, message, params, created_by, cancel_requested, created_at, updated_at) "
        "values ('j1', 'dataset.import', 'dataplane_jupyter.core.imports:run_file_import', 'dataplane_jupyter.core.imports:on_import_end', "
        "'running', 0, '', '{}', '', 0, '2026-11-12 15:22:29', '2026-11-12 15:22:29'),"
        "('j2', 'images.import', 'dataplane_jupyter.core.image_folder_import:run_image_folder_import', null, "
        "'queued', 0, '', '{}', '', 0, '2026-11-12 15:22:29', '2026-11-12 15:22:29')")
    catalog = dp.Catalog(tmp_path / "home", catalog_url=url)
    with catalog.engine.connect() as connection:
        rows = connection.execute(sa.text("select function, on_end from jobs order by id")).all()
    assert [tuple(r) for r in rows] == [
        ("dataplane_jupyter.core.datasets.imports:run_file_import", "dataplane_jupyter.core.datasets.imports:on_import_end"),
        ("dataplane_jupyter.core.images.folder_import:run_image_folder_import", None),
    ]
    assert all(callable(resolve(path)) for row in rows for path in row if path)


def test_record_handles_read_the_attributes_their_docstring_lists():
    from dataplane_jupyter.core.catalog.records import ImportedRecord, fields_from_docstring
    from dataplane_jupyter.core.datasets.datasets import Dataset
    from dataplane_jupyter.core.exports.runs import ExportRun
    from dataplane_jupyter.core.images.folders import ImageFolder
    from dataplane_jupyter.core.images.models import DescribeImageFolder
    from dataplane_jupyter.core.models import DescribeDataset, DescribeExportRun
    from dataplane_jupyter.core.pipelines.models import DescribePipelineRun
    from dataplane_jupyter.core.pipelines.runs import PipelineRun

    for handle, model in ((Dataset, DescribeDataset), (ImageFolder, DescribeImageFolder),
                          (ExportRun, DescribeExportRun), (PipelineRun, DescribePipelineRun)):
        assert "status" in handle._snapshot_fields and "error" in handle._snapshot_fields
        for field in handle._snapshot_fields:
            attribute = vars(handle)[field]
            assert isinstance(attribute, property) and attribute.__doc__, (handle, field)
            assert field in model.model_fields and f"    {field}: {attribute.__doc__}" in handle.__doc__
    assert Dataset.rows.__doc__ == "Number of rows (once copied)."

    with pytest.raises(TypeError, match="Misspelt: colour not fields of DescribeDataset"):
        @fields_from_docstring
        class Misspelt(ImportedRecord[DescribeDataset]):
            """A handle.

            Attributes:
                colour: Not a field of the record.
            """
