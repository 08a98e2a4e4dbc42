"""The sql kind on PostgreSQL, MariaDB and SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import sqlalchemy as sa

from dataplane_jupyter.core.connectors import get_kind
from tests.connectors.conformance import ConnectorConformance, ExporterConformance, Target, small_table
from tests.servers._process import free_port

READER, READER_PASSWORD = "reader", "reader-secret-Pw9"


def _sql_type(arrow: pa.DataType) -> sa.types.TypeEngine:
    if pa.types.is_integer(arrow):
        return sa.BigInteger()
    if pa.types.is_floating(arrow):
        return sa.Float(53)
    return sa.String(64)


def put_table(url: str, name: str, table: pa.Table) -> None:
    """Create `name` from an Arrow table and insert its rows (PostgreSQL: COPY, for speed)."""
    engine = sa.create_engine(url)
    try:
        columns = [sa.Column(f.name, _sql_type(f.type)) for f in table.schema]
        sql_table = sa.Table(name, sa.MetaData(), *columns)
        with engine.begin() as conn:
            sql_table.create(conn)
            if conn.dialect.name == "postgresql":
                with conn.connection.driver_connection.cursor() as cur, cur.copy(f'COPY "{name}" FROM STDIN') as copy:
                    for row in zip(*(table.column(n).to_pylist() for n in table.column_names)):
                        copy.write_row(row)
                return
            for batch in table.to_batches(max_chunksize=20_000):
                conn.exec_driver_sql(
                    f"INSERT INTO {name} ({', '.join(table.column_names)}) VALUES ({', '.join(['?' if conn.dialect.name == 'sqlite' else '%s'] * table.num_columns)})",
                    [tuple(r.values()) for r in batch.to_pylist()])
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _server_target(server: Any, dialect: str, database: str, *, service: str) -> Target:
    config = {"dialect": dialect, "host": server.host, "port": server.port, "username": server.username,
              "database": database}
    secrets = {"password": server.password}
    return Target(
        kind="sql", config=config, secrets=secrets,
        put=lambda name, table: (put_table(server.url(database), name, table), {"table": name})[1],
        wrong_secrets=[
            (config, {"password": "not-the-password-1"}, f"{service} server {server.host}:{server.port} refused "
                                                           f"the login for user '{server.username}'"),
            ({**config, "username": "nobody"}, secrets, "wrong username or password"),
        ],
        missing=[
            ({"table": "no_such_table"}, "table 'no_such_table' does not exist"),
            ({"table": "t", "database": "no_such_db"}, "Database 'no_such_db' does not exist"),
        ],
        refused={**config, "port": free_port()},
        unknown_host={**config, "host": "no-such-host.invalid"},
        denied=({**config, "username": READER}, {"password": READER_PASSWORD}, f"User '{READER}' lacks permission"),
        dest=lambda name: {"table": name},
        names=lambda: table_names(server.url(database)),
    )


def postgres_target(postgres_server: Any, unique: str) -> Target:
    """A fresh PostgreSQL database `unique` (and the role without permissions)."""
    database = unique.replace("-", "_")
    postgres_server.create_database(database)
    postgres_server.execute(database, f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}') "
                                      f"THEN CREATE ROLE {READER} LOGIN PASSWORD '{READER_PASSWORD}'; END IF; END$$")
    return _server_target(postgres_server, "postgresql", database, service="PostgreSQL")


def mariadb_target(mariadb_server: Any, unique: str) -> Target:
    """A fresh MariaDB database `unique` (and the user without permissions)."""
    database = unique.replace("-", "_")
    mariadb_server.create_database(database)
    mariadb_server.execute(f"CREATE USER IF NOT EXISTS '{READER}'@'%' IDENTIFIED BY '{READER_PASSWORD}'")
    return _server_target(mariadb_server, "mysql", database, service="MySQL")


def sqlite_target(tmp_path: Path) -> Target:
    """A fresh SQLite database file."""
    path = tmp_path / "local.db"
    sa.create_engine(f"sqlite:///{path}").dispose()
    path.touch()
    config = {"dialect": "sqlite", "database": str(path)}
    return Target(
        kind="sql", config=config, secrets={},
        put=lambda name, table: (put_table(f"sqlite:///{path}", name, table), {"table": name})[1],
        wrong_secrets=[({"dialect": "sqlite", "database": str(tmp_path / "nope.db")}, {}, "does not exist")],
        missing=[({"table": "no_such_table"}, "table 'no_such_table' does not exist")],
        dest=lambda name: {"table": name},
        names=lambda: table_names(f"sqlite:///{path}"),
    )


class TestPostgres(ConnectorConformance, ExporterConformance):
    @pytest.fixture
    def target(self, postgres_server: Any, unique: str) -> Target:
        return postgres_target(postgres_server, unique)

    def test_query_and_types(self, target: Target, postgres_server: Any) -> None:
        database = target.config["database"]
        postgres_server.execute(database, "CREATE TABLE typed (n numeric(10,2), t timestamptz, b boolean, nothing int)",
                                "INSERT INTO typed VALUES (1.25, '2024-01-02 03:04:05+00', true, NULL)")
        table = get_kind("sql").preview(target.config, target.secrets, {"table": "typed"})
        assert table.schema.field("n").type == pa.decimal128(10, 2)
        assert table.schema.field("t").type == pa.timestamp("us", tz="UTC")
        assert table.schema.field("nothing").type == pa.int64()
        query = get_kind("sql").preview(target.config, target.secrets,
                                        {"query": "SELECT n * 2 AS twice, NULL AS nothing FROM typed"})
        assert query.to_pydict() == {"twice": [2.5], "nothing": [None]}

    def test_bad_query_names_the_query(self, target: Target) -> None:
        result = get_kind("sql").test_locator(target.config, target.secrets, {"query": "SELEC 1"})
        assert not result.ok and result.message.startswith("The database rejected the query: syntax error")


class TestMariaDB(ConnectorConformance, ExporterConformance):
    @pytest.fixture
    def target(self, mariadb_server: Any, unique: str) -> Target:
        return mariadb_target(mariadb_server, unique)


class TestSQLite(ConnectorConformance, ExporterConformance):
    @pytest.fixture
    def target(self, tmp_path: Path) -> Target:
        return sqlite_target(tmp_path)

    # A local file has no port, host or permissions to refuse.
    test_refused_port = None  # type: ignore[assignment]
    test_unknown_host = None  # type: ignore[assignment]
    test_permission_denied = None  # type: ignore[assignment]

    def test_url_field(self, target: Target) -> None:
        result = get_kind("sql").test({}, {"url": f"sqlite:///{target.config['database']}"})
        assert result.ok, result.message


def test_locator_needs_table_or_query() -> None:
    result = get_kind("sql").test_locator({"dialect": "sqlite", "database": ":memory:"}, {}, {})
    assert not result.ok and "either 'table' or 'query'" in result.message


def test_url_with_password_is_never_echoed() -> None:
    result = get_kind("sql").test({}, {"url": "postgresql+psycopg://u:hunter2-secret@127.0.0.1:1/db"}, timeout=3)
    assert not result.ok and "connection refused" in result.message
    assert "hunter2-secret" not in result.message


def test_small_table_helper_roundtrip(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    put_table(url, "t", small_table())
    got = get_kind("sql").preview({"dialect": "sqlite", "database": str(tmp_path / "x.db")}, {}, {"table": "t"})
    assert got.num_rows == 5
