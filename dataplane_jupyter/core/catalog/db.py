"""Opening the catalog database and bringing its schema up to date (Alembic migrations).

Alembic is imported only when a migration has to run (or the revisions cannot be read
directly): every process that opens the catalog (CLI, job supervisor, job worker) checks the
revision, and importing Alembic costs a noticeable part of their start-up.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from filelock import FileLock

if TYPE_CHECKING:
    from alembic.config import Config

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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config(connection: sa.Connection) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]+)['"]|None)\s*$""", re.M)


def head_revision() -> str:
    """The newest schema revision this release knows."""
    head = _head_from_files()
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    found = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert found is not None
    return found


def _head_from_files() -> str | None:
    """The one revision no other migration builds on, read from the migration files without
    importing Alembic; None when the files do not say it plainly (Alembic decides then)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION.findall(path.read_text(encoding="utf-8")))
        if not found.get("revision") or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"]:
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def current_revision(engine: sa.Engine) -> str | None:
    """The schema revision the catalog database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).fetchall()
    if len(rows) != 1:  # several heads (or none): as Alembic would say it
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    return str(rows[0][0])


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
        from alembic import command

        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        if lock:
            lock.release()
