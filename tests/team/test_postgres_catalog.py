"""The catalog on PostgreSQL (team profile): migrations from the first revision keep every row,
and two processes creating the same name at once end with one record and a clean "already
exists" for the other."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import dataplane_jupyter as dp
from dataplane_jupyter.core.catalog.catalog import db, schema
from tests.old_catalogs import old_catalog

pytestmark = pytest.mark.team(only=True)

NOW = "2021-07-12 15:22:29"


def test_the_profile_runs_on_postgres_s3_and_dask(catalog):
    assert catalog.engine.dialect.name == "postgresql"
    assert catalog.storage.url.startswith("s3://")
    assert catalog.settings.executor == "dask"


def test_an_old_postgres_catalog_is_migrated_without_losing_rows(isolated_home):
    """A catalog written by the first release (revision 0001) upgrades in place on PostgreSQL."""
    url = os.environ["DATAPLANE_CATALOG_URL"]
    engine = old_catalog(
        url, "0001",
        "insert into projects (id, name, description, created_at, updated_at) values "
        f"('p1', 'legacy', 'kept', '{NOW}', '{NOW}'), ('p2', 'other', '', '{NOW}', '{NOW}')",
        "insert into datasets (id, project_id, name, origin, status, source, schema, warnings, rows, n_columns, "
        f"created_at, updated_at) values ('d1', 'p1', 'old', 'upload', 'ready', '{{\"file\": \"old.csv\"}}', "
        f"'[{{\"name\": \"a\", \"type\": \"numeric\"}}]', '[]', 3, 1, '{NOW}', '{NOW}')",
        "insert into jobs (id, kind, function, status, progress, message, params, created_by, cancel_requested, "
        f"created_at, updated_at) values ('j1', 'dataset.import', 'dataplane_jupyter.core.imports:run_file_import', "
        f"'succeeded', 1, 'Done', '{{}}', '', false, '{NOW}', '{NOW}')")
    assert db.current_revision(engine) == "0001"
    engine.dispose()

    catalog = dp.Catalog(isolated_home)
    assert db.current_revision(catalog.engine) == db.head_revision() != "0001"
    with catalog.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), schema.metadata) == []
    assert sorted(p.name for p in catalog.projects()) == ["legacy", "other"]
    project = catalog.project("legacy", create=False)
    assert project.info.description == "kept"
    old = project.datasets["old"]
    assert (old.status, old.rows, old.columns, old.info.source["file"]) == ("ready", 3, 1, "old.csv")
    job = catalog.jobs.get("j1")
    assert (job.status.value, job.function) == ("succeeded", "dataplane_jupyter.core.datasets.imports:run_file_import")


RACE = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import dataplane_jupyter as dp

    catalog = dp.Catalog()
    project = catalog.project("p")
    Path(sys.argv[1] + ".ready").write_text("")
    while not Path(sys.argv[2]).exists():   # both processes start the create together
        time.sleep(0.001)
    try:
        if sys.argv[3] == "project":
            catalog.create_project("same")
        else:
            project.connectors.create("same", kind="sql", dialect="sqlite", database="/tmp/x.db")
    except dp.AlreadyExists as error:
        print("refused:", error)
        sys.exit(3)
    print("created")
""")


@pytest.mark.parametrize("what", ["project", "connector"])
def test_two_processes_creating_the_same_name_one_wins_the_other_is_told(isolated_home, tmp_path: Path, what: str):
    dp.Catalog(isolated_home).project("p")
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", RACE, str(tmp_path / f"p{i}"), str(go), what],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    dp.Catalog(isolated_home).jobs.wait_until(
        lambda: True if all((tmp_path / f"p{i}.ready").exists() for i in range(2)) else None, timeout=120, poll=0.02)
    go.write_text("")
    outcomes = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    codes = sorted(code for _, _, code in outcomes)
    assert codes == [0, 3], outcomes
    refused = next(out for out, _, code in outcomes if code == 3)
    # dp.AlreadyExists with its usual message ("… already exists" / "… already has a connector named …")
    assert refused.startswith("refused: ") and "already" in refused and "'same'" in refused, refused
    catalog = dp.Catalog(isolated_home)
    if what == "project":
        assert sorted(p.name for p in catalog.projects()) == ["p", "same"]
    else:
        assert [c.name for c in catalog.project("p").connectors.list()] == ["same"]
