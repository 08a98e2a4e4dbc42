"""Who may see what, in Python: the catalog's user, creators, project members and roles, and the
rules of shared mode (DATAPLANE_ACCESS=members); the default open mode changes nothing."""

from __future__ import annotations

import getpass
from datetime import datetime, timezone

import pandas as pd
import pytest
import sqlalchemy as sa

import dataplane_jupyter as dp
from dataplane_jupyter.core.catalog import db
from tests.old_catalogs import old_catalog
from tests.schedules.conftest import settle

CSV = "id,price\n1,2.5\n2,3.5\n"


def as_user(home, user, access="members"):
    return dp.Catalog(home, executor="thread", user=user, access=access)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(CSV)
    return path


def test_the_user_defaults_to_dataplane_user_then_the_os_user(isolated_home, monkeypatch):
    assert dp.Catalog(isolated_home).user == getpass.getuser()
    monkeypatch.setenv("DATAPLANE_USER", "carol")
    assert dp.Catalog(isolated_home).user == "carol"
    assert dp.Catalog(isolated_home, user="dave").user == "dave"
    with pytest.raises(ValueError, match="DATAPLANE_ACCESS must be one of"):
        dp.Catalog(isolated_home, access="everyone")


def test_records_and_jobs_carry_their_creator_and_the_creator_owns_the_project(isolated_home, csv_file):
    alice = as_user(isolated_home, "alice", access="open")
    project = alice.project("alpha")
    assert project.info.created_by == "alice" and project.role == "owner"
    assert [(m.user, m.role) for m in project.members.list()] == [("alice", "owner")]
    ds = project.datasets.import_file(csv_file, name="sales").wait()
    assert ds.job is not None and ds.job.created_by == "alice"
    with alice.engine.connect() as connection:
        assert connection.execute(sa.text("select created_by from datasets")).scalar() == "alice"


def test_open_mode_lets_everyone_see_and_change_everything(isolated_home, csv_file):
    as_user(isolated_home, "alice", access="open").project("alpha")
    bob = as_user(isolated_home, "bob", access="open")
    assert [p.name for p in bob.projects()] == ["alpha"]
    project = bob.project("alpha", create=False)
    assert project.role is None
    project.datasets.import_file(csv_file, name="by_bob").wait()
    project.members.add("carol", role="viewer")
    bob.delete_project("alpha")


def test_shared_mode_hides_other_peoples_projects(isolated_home):
    as_user(isolated_home, "alice").project("alpha")
    bob = as_user(isolated_home, "bob")
    assert bob.projects() == []
    with pytest.raises(dp.NotFound, match="No project named 'alpha'"):
        bob.project("alpha", create=False)
    with pytest.raises(dp.NotFound, match="No project named 'alpha'"):
        bob.project("alpha")  # not created again under the same name, not revealed either
    with pytest.raises(dp.NotFound, match="No project named 'alpha'"):
        bob.delete_project("alpha")
    assert [p.name for p in bob.project("beta").catalog.projects()] == ["beta"]


def test_viewers_read_but_do_not_create_run_export_or_delete(isolated_home, csv_file, sales_db):
    alice = as_user(isolated_home, "alice").project("alpha")
    alice.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    alice.datasources.create("weekly", connector="lite", table="sales")
    alice.exporters.create("out", connector="lite", table="copy", mode="overwrite")
    ds = alice.datasets.import_file(csv_file, name="sales").wait()
    pipe = alice.pipelines.create("p", steps=[{"name": "s", "kind": "read", "datasource": "weekly"}])
    alice.members.add("bob", role="viewer")

    bob = as_user(isolated_home, "bob").project("alpha", create=False)
    assert bob.role == "viewer"
    seen = bob.datasets["sales"]
    assert seen.rows == 2 and seen.sample(5)["price"].tolist() == [2.5, 3.5]
    assert seen.statistics()["rows"] == 2
    assert [m.user for m in bob.members.list()] == ["alice", "bob"]
    refusals = [
        (lambda: bob.datasets.import_file(csv_file, name="mine"), "import a dataset", "editor"),
        (lambda: bob.datasets["sales"].delete(), "delete a dataset", "editor"),
        (lambda: bob.datasets["sales"].rename("other"), "change a dataset", "editor"),
        (lambda: bob.datasets["sales"].export("out"), "export a dataset", "editor"),
        (lambda: bob.exporters["out"].run("sales"), "export a dataset", "editor"),
        (lambda: bob.exporters["out"].test(), "test an exporter", "editor"),
        (lambda: bob.pipelines["p"].run(), "run a pipeline", "editor"),
        (lambda: bob.pipelines.create("q", steps=[{"name": "s", "kind": "read", "dataset": "sales"}]),
         "create a pipeline", "editor"),
        (lambda: bob.datasources.create("w2", connector="lite", table="sales"), "create a datasource", "editor"),
        (lambda: bob.members.add("carol", role="viewer"), "manage members", "owner"),
        (lambda: bob.connectors.create("c2", kind="sql", dialect="sqlite", database="x.db"),
         "create a connector", "owner"),
        (lambda: bob.catalog.delete_project("alpha"), "delete the project", "owner"),
        (lambda: bob.catalog.jobs.cancel(ds.info.job_id), "cancel a job", "editor"),
    ]
    for attempt, action, role in refusals:
        with pytest.raises(dp.PermissionDenied) as refused:
            attempt()
        assert f"To {action} in project 'alpha' you need the {role} role; 'bob' is a viewer." == str(refused.value)
    assert [d.name for d in alice.datasets.list()] == ["sales"] and len(pipe.runs()) == 0


def test_editors_work_but_only_owners_manage_members_and_connector_secrets(isolated_home, csv_file, sales_db):
    alice = as_user(isolated_home, "alice").project("alpha")
    alice.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    alice.members.add("bob", role="editor")
    bob = as_user(isolated_home, "bob").project("alpha", create=False)
    ds = bob.datasets.import_file(csv_file, name="by_bob").wait()
    assert ds.job.created_by == "bob"
    bob.datasources.create("weekly", connector="lite", table="sales")
    imported = bob.datasets.import_datasource("weekly", name="w").wait()
    assert imported.rows == 20
    assert bob.connectors["lite"].test().ok
    for attempt, action in [
        (lambda: bob.connectors["lite"].update(database="/etc/elsewhere.db"), "change a connector"),
        (lambda: bob.connectors["lite"].test(database="/tmp/other.db"), "test a connector with changed fields"),
        (lambda: bob.connectors["lite"].delete(), "delete a connector"),
        (lambda: bob.members.remove("alice"), "manage members"),
    ]:
        with pytest.raises(dp.PermissionDenied, match=f"To {action} in project 'alpha' you need the owner role; "
                                                      "'bob' is an editor"):
            attempt()
    ds.delete()
    assert [d.name for d in alice.datasets.list()] == ["w"]


def test_members_are_added_changed_listed_and_removed_and_a_project_keeps_an_owner(isolated_home):
    alice = as_user(isolated_home, "alice").project("alpha")
    assert alice.members.add("bob", role="viewer").role == "viewer"
    assert alice.members.add("bob", role="owner").role == "owner"
    assert [(m.user, m.role, m.added_by) for m in alice.members.list()] == [
        ("alice", "owner", "alice"), ("bob", "owner", "alice")]
    with pytest.raises(dp.InvalidInput, match="role must be one of viewer, editor, owner, not 'admin'"):
        alice.members.add("carol", role="admin")
    alice.members.remove("bob")
    assert "bob" not in alice.members
    with pytest.raises(dp.NotFound, match="'bob' is not a member of project 'alpha'"):
        alice.members.remove("bob")
    with pytest.raises(dp.InvalidState, match="'alice' is the last owner of project 'alpha'"):
        alice.members.remove("alice")
    with pytest.raises(dp.InvalidState, match="last owner"):
        alice.members.add("alice", role="viewer")
    bob = as_user(isolated_home, "bob")
    with pytest.raises(dp.NotFound, match="No project named 'alpha'"):
        bob.project("alpha", create=False)


def test_a_removed_member_no_longer_sees_the_project_or_its_jobs(isolated_home, csv_file):
    alice = as_user(isolated_home, "alice").project("alpha")
    ds = alice.datasets.import_file(csv_file, name="sales").wait()
    alice.members.add("bob", role="viewer")
    bob = as_user(isolated_home, "bob")
    assert bob.jobs.get(ds.info.job_id).created_by == "alice"
    alice.members.remove("bob")
    with pytest.raises(dp.NotFound, match=f"No job with id '{ds.info.job_id}'"):
        bob.jobs.get(ds.info.job_id)
    assert bob.projects() == []


def test_schedules_run_as_their_creator(isolated_home, sales_db):
    from dataplane_jupyter import ManualClock, Scheduler

    clock = ManualClock(datetime(2027, 1, 4, 5, 59, 30, tzinfo=timezone.utc))
    alice = as_user(isolated_home, "alice").project("alpha")
    alice.connectors.create("lite", kind="sql", dialect="sqlite", database=str(sales_db))
    alice.datasources.create("weekly", connector="lite", table="sales")
    pipe = alice.pipelines.create("p", steps=[{"name": "s", "kind": "read", "datasource": "weekly"}])
    schedule = alice.schedules.with_clock(clock)[pipe.schedule(cron="0 6 * * *").id]
    schedule.update(cron="0 6 * * *")
    assert schedule.info.created_by == "alice"
    # the scheduler process runs as someone who is not a member of the project
    scheduler = Scheduler(as_user(isolated_home, "scheduler-daemon"), clock=clock)
    clock.set(schedule.next_run)
    assert len(scheduler.run_pending().fired) == 1
    settle(alice)
    run = pipe.runs()[0]
    assert run.info.created_by == "alice" and alice.catalog.jobs.get(run.info.job_id).created_by == "alice"
    assert run.status == "succeeded", run.info.error


def test_migration_0009_gives_existing_projects_an_owner(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old_catalog(
        url, "0006",
        "insert into projects (id, name, description, created_at, updated_at) values "
        "('p1', 'legacy', 'kept', '2026-07-12 15:22:29', '2026-07-12 15:22:29'),"
        "('p2', 'other', '', '2026-07-12 15:22:29', '2026-07-12 15:22:29')",
        "insert into datasets (id, project_id, name, origin, status, source, schema, warnings, created_at, "
        "updated_at) values ('d1', 'p1', 'old', 'upload', 'ready', '{}', '[]', '[]', '2026-07-12 15:22:29', "
        "'2026-07-12 15:22:29')")
    monkeypatch.setenv("DATAPLANE_DEFAULT_OWNER", "ops")
    alice = dp.Catalog(tmp_path / "home", catalog_url=url, user="alice", access="members")
    assert db.current_revision(alice.engine) == db.head_revision()
    assert alice.projects() == []
    ops = dp.Catalog(tmp_path / "home", catalog_url=url, user="ops", access="members")
    assert [(p.name, p.created_by, p.role) for p in ops.projects()] == [("legacy", "ops", "owner"), ("other", "ops", "owner")]
    legacy = ops.project("legacy", create=False)
    assert legacy.info.description == "kept" and [d.name for d in legacy.datasets.list()] == ["old"]
    legacy.members.add("alice", role="editor")
    assert [p.name for p in alice.projects()] == ["legacy"]


def test_shared_mode_on_a_postgresql_catalog_with_its_migration_from_0006(tmp_path, monkeypatch):
    """The team set-up: PostgreSQL catalog with rows from before 0009, upgraded, then two users."""
    from tests.servers import postgres

    server = postgres.start()
    try:
        server.create_database("access_catalog")
        url = server.url("access_catalog")
        engine = old_catalog(
            url, "0006",
            "insert into projects (id, name, description, created_at, updated_at) values "
            "('p1', 'legacy', 'kept', '2026-07-12 15:22:29', '2026-07-12 15:22:29')")
        engine.dispose()
        monkeypatch.setenv("DATAPLANE_DEFAULT_OWNER", "ops")
        ops = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread", user="ops", access="members")
        assert [(p.name, p.role) for p in ops.projects()] == [("legacy", "owner")]
        ops.project("legacy", create=False).members.add("alice", role="viewer")
        alice = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread", user="alice", access="members")
        bob = dp.Catalog(tmp_path / "home", catalog_url=url, executor="thread", user="bob", access="members")
        assert [p.name for p in alice.projects()] == ["legacy"] and bob.projects() == []
        with pytest.raises(dp.PermissionDenied, match="you need the editor role; 'alice' is a viewer"):
            alice.project("legacy", create=False).datasets.from_pandas(
                pd.DataFrame({"a": [1]}), "x", origin="upload")
        for catalog in (ops, alice, bob):
            catalog.engine.dispose()
    finally:
        server.stop()
