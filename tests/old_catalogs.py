"""Catalog databases as an older release left them, to test the migrations on."""

from __future__ import annotations

import sqlalchemy as sa

from dataplane_jupyter.core.catalog import db


def old_catalog(url: str, revision: str, *statements: str) -> sa.Engine:
    """The catalog database at `url` migrated only up to `revision`, with `statements` (SQL writing
    the rows that release would have written) run in the same transaction; its engine."""
    from alembic import command

    engine = db.open_engine(url)
    with engine.begin() as connection:
        command.upgrade(db._alembic_config(connection), revision)
        for statement in statements:
            connection.execute(sa.text(statement))
    return engine
