"""Opening the catalog database and bringing its schema up to date (Alembic migrations)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock

MIGRATIONS = Path(__file__).parent.parent / "migrations"


def open_engine(url: str) -> sa.Engine:
    """An engine for the catalog; SQLite gets WAL, foreign keys and a generous busy timeout
    because the Jupyter server, kernels and job workers write to it from separate processes."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this release knows."""
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision the catalog database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: sa.Engine, lock_dir: Path | None = None) -> None:
    """Upgrade the catalog schema to this release's head, keeping every row.

    Processes that open the same SQLite catalog at once serialise on a file lock so that only
    one of them runs the migration.
    """
    if current_revision(engine) == head_revision():
        return
    lock = FileLock(str(lock_dir / "catalog.migrate.lock")) if lock_dir else None
    if lock:
        lock.acquire(timeout=120)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        if lock:
            lock.release()
