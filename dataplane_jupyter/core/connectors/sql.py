"""SQL databases through SQLAlchemy: any dialect; PostgreSQL, MySQL/MariaDB and SQLite are tested.

Reads stream with a server-side cursor (`stream_results` + `yield_per`), so a big table never sits
in memory whole. Arrow types come from the reflected column types for tables and from the first
batch for queries.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, NoSuchTableError

from dataplane_jupyter.core.connectors._sqltypes import arrow_type, copyable, rows_of, sql_type, to_batch
from dataplane_jupyter.core.connectors.base import (
    Address,
    ConnectorKind,
    DestinationExists,
    Field,
    FileFormat,
    MissingDependency,
    SourceShape,
    WriteMode,
    WriteResult,
    check_mode,
    from_source,
    network_error,
    probe,
    redact,
    reraise_write_failure,
    stamped,
)
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput, UpstreamError

# dialect -> (SQLAlchemy driver we default to, extra that installs it, default port)
DRIVERS: dict[str, tuple[str, str | None, int | None]] = {
    "postgresql": ("postgresql+psycopg", "postgres", 5432),
    "mysql": ("mysql+pymysql", "mysql", 3306),
    "mariadb": ("mariadb+pymysql", "mysql", 3306),
    "sqlite": ("sqlite", None, None),
    "mssql": ("mssql+pyodbc", None, 1433),
    "oracle": ("oracle+oracledb", None, 1521),
}
NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB", "sqlite": "SQLite"}
# the module each default driver imports (sqlite's ships with Python)
DRIVER_MODULES = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql", "mssql": "pyodbc",
                  "oracle": "oracledb"}


def dialect_choices() -> tuple[tuple[str, str], ...]:
    """The dialects a form offers, each marked with whether its driver is installed here."""
    import importlib.util

    choices = []
    for dialect, (driver, extra, _) in DRIVERS.items():
        module = DRIVER_MODULES.get(dialect)
        installed = module is None or importlib.util.find_spec(module) is not None
        hint = "installed" if installed else (
            f"driver not installed: pip install dataplane_jupyter[{extra}]" if extra else f"driver {driver} not installed")
        label = {**NAMES, "mssql": "SQL Server", "oracle": "Oracle"}.get(dialect, dialect)
        choices.append((dialect, f"{label} ({hint})"))
    return tuple(choices)
CONNECT_TIMEOUT = 30.0


class SQLConnector(ConnectorKind):
    """A database any SQLAlchemy dialect speaks to; datasources are a table or a query."""

    kind = "sql"
    label = "SQL"
    fields = (
        Field("dialect", default="postgresql", choices=dialect_choices(),
              description="SQLAlchemy dialect, optionally with a driver: postgresql, mysql, mariadb, sqlite, mssql+pyodbc..."),
        Field("host", description="server name or IP address"),
        Field("port", kind="int", description="server port; the dialect's usual port when empty"),
        Field("username", description="login name"),
        Field("password", secret=True, description="login password"),
        Field("database", description="database name (a file path for sqlite)"),
        Field("url", secret=True, description="a full SQLAlchemy URL instead of the fields above"),
    )
    locator_fields = (
        Field("table", description="table name, optionally schema.table"),
        Field("database", description="database holding the table, when not the connector's"),
        Field("query", kind="text", description="a SELECT query instead of a table"),
    )

    # -- connection -------------------------------------------------------------------------
    def url(self, config: Mapping[str, Any], secrets: Mapping[str, Any], database: str | None = None) -> URL:
        """The SQLAlchemy URL from `url` or from the separate fields."""
        try:
            if secrets.get("url") or config.get("url"):
                url = sa.engine.make_url(secrets.get("url") or config["url"])
            else:
                dialect = str(config.get("dialect") or "postgresql")
                drivername = DRIVERS.get(dialect, (dialect, None, None))[0]
                port = int(config["port"]) if config.get("port") else None
                url = URL.create(drivername, username=config.get("username") or None,
                                 password=secrets.get("password") or None, host=config.get("host") or None,
                                 port=port, database=config.get("database") or None)
        except (ArgumentError, ValueError) as exc:
            raise InvalidInput(redact(f"Not a valid SQLAlchemy URL: {exc}", secrets), field="url") from None
        if database:
            url = url.set(database=database)
        if url.get_backend_name() != "sqlite" and not url.host:
            raise InvalidInput("an SQL connector needs 'host' (or a full 'url')", field="host")
        return url

    def address(self, url: URL) -> Address:
        backend = url.get_backend_name()
        name = NAMES.get(backend, backend)
        if backend == "sqlite":
            return Address(f"{name} database", url.database or ":memory:", None)
        port = url.port or DRIVERS.get(backend, ("", None, None))[2]
        return Address(f"{name} server", url.host or "", port)

    def engine(self, url: URL, *, timeout: float, read_timeout: float | None = None) -> Engine:
        """An engine without a pool (each call connects and disconnects) and with connect timeouts."""
        backend = url.get_backend_name()
        args: dict[str, Any] = {}
        if backend == "postgresql" and url.get_driver_name() in ("psycopg", "psycopg2"):
            args = {"connect_timeout": max(int(timeout), 2)}
        elif url.get_driver_name() == "pymysql":
            args = {"connect_timeout": max(int(timeout), 1)}
            if read_timeout:
                args["read_timeout"] = read_timeout
        elif backend == "sqlite":
            path = url.database or ""
            if path and path != ":memory:" and not path.startswith("file:") and not Path(path).exists():
                raise UpstreamError(f"SQLite database file '{path}' does not exist", field="database")
        try:
            return sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args=args)
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            extra = DRIVERS.get(backend, ("", None, None))[1]
            hint = f": pip install 'dataplane_jupyter[{extra}]'" if extra else " (install its DB-API driver)"
            raise MissingDependency(f"the sql connector needs the {url.drivername} driver{hint} ({exc})") from None

    def _connect(self, config: Mapping[str, Any], secrets: Mapping[str, Any], database: str | None,
                 timeout: float, read_timeout: float | None = None) -> tuple[Engine, Address]:
        self.validate(config, secrets)
        url = self.url(config, secrets, database)
        address = self.address(url)
        probe(address, timeout)
        return self.engine(url, timeout=timeout, read_timeout=read_timeout), address

    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        engine, address = self._connect(config, secrets, None, timeout, read_timeout=timeout)
        try:
            with engine.connect() as conn:
                conn.execute(sa.select(sa.literal(1))).scalar()
                version = ".".join(str(v) for v in (conn.dialect.server_version_info or ())[:3])
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self.explain(exc, address, config, secrets, {}, timeout) from None
        finally:
            engine.dispose()
        database = engine.url.database
        where = f", database '{database}'" if database and address.port else ""
        return f"Connected to {address}{where}" + (f" (version {version})" if version else "")

    # -- reading ----------------------------------------------------------------------------
    def validate_locator(self, locator: Mapping[str, Any]) -> None:
        if bool(locator.get("table")) == bool(locator.get("query")):
            raise InvalidInput("an SQL datasource needs either 'table' or 'query' (not both)", field="table")

    def describe(self, locator: Mapping[str, Any]) -> str:
        if locator.get("query"):
            return "the query"
        where = f" in database '{locator['database']}'" if locator.get("database") else ""
        return f"table '{locator.get('table')}'{where}"

    def shape(self, locator: Mapping[str, Any]) -> SourceShape:
        return "table"

    def iter_batches(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                     *, batch_rows: int = 50_000) -> Iterator[pa.RecordBatch]:
        """The table's or query's rows through a server-side cursor, `batch_rows` at a time."""
        self.validate_locator(locator)
        engine, address = self._connect(config, secrets, locator.get("database"), CONNECT_TIMEOUT)
        try:
            with engine.connect() as conn:
                statement, types = self._statement(conn, locator)
                result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(statement)
                names = list(result.keys())
                schema: pa.Schema | None = None
                try:
                    for rows in result.partitions(batch_rows):
                        batch = to_batch(rows, names, schema, types)
                        schema = batch.schema
                        yield batch
                except GeneratorExit:
                    _abandon(conn, result)
                    raise
                if schema is None:
                    yield pa.RecordBatch.from_pylist([], schema=pa.schema(
                        [(n, types.get(n) or pa.string()) for n in names]))
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise self.explain(exc, address, config, secrets, locator, CONNECT_TIMEOUT) from None
        finally:
            engine.dispose()

    def _statement(self, conn: Connection, locator: Mapping[str, Any]) -> tuple[Any, dict[str, pa.DataType]]:
        if locator.get("query"):
            return sa.text(str(locator["query"])), {}
        schema, _, name = str(locator["table"]).rpartition(".")
        table = sa.Table(name, sa.MetaData(), schema=schema or None, autoload_with=conn)
        types = {c.name: t for c in table.columns if (t := arrow_type(c.type)) is not None}
        return sa.select(table), types

    # -- writing (exporters) ----------------------------------------------------------------
    def validate_destination(self, locator: Mapping[str, Any]) -> None:
        self._destination_fields(locator)
        if not locator.get("table"):
            raise InvalidInput("an SQL exporter needs 'table'", field="table")

    def write(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
              batches: Iterable[pa.RecordBatch], *, schema: pa.Schema, mode: WriteMode = "timestamp",
              now: dt.datetime | None = None, file_format: FileFormat = "csv") -> WriteResult:
        """Fill a staging table, then give it the final name (replacing the old table for "overwrite")."""
        if not locator.get("table"):
            raise InvalidInput("an SQL exporter needs 'table'", field="table")
        check_mode(mode)
        owner, _, name = str(locator["table"]).rpartition(".")
        final = stamped(name, now, table=True) if mode == "timestamp" else name
        target = {**locator, "table": f"{owner}.{final}" if owner else final}
        engine, address = self._connect(config, secrets, locator.get("database"), CONNECT_TIMEOUT)
        columns = [sa.Column(f.name, sql_type(f.type)) for f in schema]
        staging = sa.Table(f"dp_partial_{uuid.uuid4().hex[:16]}", sa.MetaData(), *columns, schema=owner or None)
        try:
            with engine.connect() as conn:
                self._refuse_existing(conn, owner, final, mode, address, target)
                staging.create(conn)
                conn.commit()
                rows = 0
                for batch in from_source(batches):
                    if batch.num_rows:
                        _insert(conn, staging, batch)
                        rows += batch.num_rows
                conn.commit()
                self._refuse_existing(conn, owner, final, mode, address, target)
                try:
                    _swap(conn, staging, final, replace=mode == "overwrite")
                except DBAPIError:
                    # Another export took the name since the check: the rename refused to replace it.
                    conn.rollback()
                    self._refuse_existing(conn, owner, final, mode, address, target)
                    raise
                conn.commit()
        except BaseException as exc:  # noqa: BLE001 - cleaned up, then re-raised by reraise_write_failure
            _drop_quietly(engine, staging)
            reraise_write_failure(exc, lambda error: self.explain(error, address, config, secrets, target, CONNECT_TIMEOUT))
        finally:
            engine.dispose()
        url = engine.url.set(username=None, password=None, query={}).render_as_string(hide_password=True)
        return WriteResult(f"{url}/{target['table']}" if engine.url.get_backend_name() != "sqlite"
                           else f"{url}#{target['table']}", rows)

    def remove(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """Drop the table the locator names."""
        owner, _, name = str(locator["table"]).rpartition(".")
        engine, address = self._connect(config, secrets, locator.get("database"), CONNECT_TIMEOUT)
        try:
            with engine.begin() as conn:
                sa.Table(name, sa.MetaData(), schema=owner or None).drop(conn)
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self.explain(exc, address, config, secrets, locator, CONNECT_TIMEOUT) from None
        finally:
            engine.dispose()

    def _refuse_existing(self, conn: Connection, owner: str, name: str, mode: str, address: Address,
                         target: Mapping[str, Any]) -> None:
        if mode != "overwrite" and sa.inspect(conn).has_table(name, schema=owner or None):
            raise DestinationExists(f"{self.describe(target)} already exists on {address}: "
                                    f"export cancelled (mode '{mode}')", field="table")

    # -- errors -----------------------------------------------------------------------------
    def explain(self, exc: BaseException, address: Address, config: Mapping[str, Any], secrets: Mapping[str, Any],
                locator: Mapping[str, Any], timeout: float) -> DataplaneError:
        """A plain message for a database failure, from SQLSTATE / MySQL error codes, then the text."""
        if isinstance(exc, DataplaneError):
            return exc
        what = self.describe(locator) if locator else "the database"
        user = config.get("username") or (sa.engine.make_url(secrets["url"]).username if secrets.get("url") else "")
        if isinstance(exc, NoSuchTableError):
            return UpstreamError(f"{what} does not exist on {address}", field="table")
        orig = getattr(exc, "orig", None) or exc
        errno = orig.args[0] if orig.args and isinstance(orig.args[0], int) else None  # MySQL error numbers
        code = str(errno or getattr(orig, "sqlstate", None) or "")
        text = redact(str(orig).strip(), secrets)
        database = locator.get("database") or config.get("database")
        if code in ("28P01", "1045") or re.search(r"password authentication failed|Access denied for user .*using password", text):
            return address.login_refused(user)
        if code in ("3D000", "1049") or re.search(r'database ".*" does not exist|Unknown database', text):
            return UpstreamError(f"Database '{database}' does not exist on {address}", field="database")
        if code in ("42P01", "1146") or re.search(r"no such table|does not exist|doesn't exist", text):
            if locator.get("query"):
                return InvalidInput(f"The database rejected the query: {text.splitlines()[0]}", field="query")
            return UpstreamError(f"{what} does not exist on {address}: {text.splitlines()[0]}", field="table")
        if code in ("42501", "1044", "1142", "1143") or re.search(r"permission denied|command denied", text, re.I):
            return UpstreamError(f"User '{user}' lacks permission on {address}: {text.splitlines()[0]}",
                                 field="table" if locator else "username")
        if code.startswith("42") or code in ("1064", "1054"):
            return InvalidInput(f"The database rejected {what}: {text.splitlines()[0]}", field="query" if locator.get("query") else "table")
        found = network_error(exc, address, timeout)
        if found or "timeout expired" in text or "timed out" in text:
            return found or address.timed_out(timeout)
        if "Connection refused" in text:
            return address.refused()
        if re.search(r"Name or service not known|could not translate host name|nodename nor servname|failed to resolve", text):
            return address.unknown_host()
        if "unable to open database file" in text:
            return UpstreamError(f"{address} cannot be opened: {text}", field="database")
        kind = "database error" if isinstance(exc, DBAPIError) else type(exc).__name__
        return UpstreamError(f"{address} failed ({kind}): {text.splitlines()[0] if text else kind}")


def _insert(conn: Connection, table: sa.Table, batch: pa.RecordBatch) -> None:
    """Append a batch: PostgreSQL (psycopg) through COPY, others by INSERTs straight to the driver.

    Both are several times faster than SQLAlchemy's per-row parameter processing.
    """
    quote = conn.dialect.identifier_preparer
    columns = ", ".join(quote.quote(name) for name in batch.schema.names)
    mark = {"format": "%s", "pyformat": "%s", "qmark": "?"}.get(conn.dialect.paramstyle)
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg" and copyable(batch.schema):
        data = io.BytesIO()
        pacsv.write_csv(batch, data, pacsv.WriteOptions(include_header=False))
        driver = conn.connection.driver_connection
        assert driver is not None  # an open connection has one
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY {quote.format_table(table)} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data.getbuffer())
    elif mark:
        into = f"{quote.format_table(table)} ({columns})"
        into = into.replace("%", "%%") if mark == "%s" else into  # a literal % in a name, for format styles
        sql = f"INSERT INTO {into} VALUES ({', '.join([mark] * batch.num_columns)})"
        conn.exec_driver_sql(sql, [tuple(row.values()) for row in rows_of(batch)])
    else:
        conn.execute(table.insert(), rows_of(batch))


def _swap(conn: Connection, staging: sa.Table, final: str, *, replace: bool) -> None:
    """Give the filled staging table its final name, dropping a table already called that when `replace`
    (otherwise the rename itself fails if the name was taken meanwhile)."""
    quote = conn.dialect.identifier_preparer
    old = sa.Table(final, sa.MetaData(), schema=staging.schema)
    if replace:
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {quote.format_table(old)}"))
    if conn.dialect.name in ("mysql", "mariadb"):
        conn.execute(sa.text(f"RENAME TABLE {quote.format_table(staging)} TO {quote.format_table(old)}"))
    else:
        conn.execute(sa.text(f"ALTER TABLE {quote.format_table(staging)} RENAME TO {quote.quote(final)}"))


def _drop_quietly(engine: Engine, table: sa.Table) -> None:
    try:
        with engine.begin() as conn:
            table.drop(conn, checkfirst=True)
    except Exception:  # noqa: BLE001, S110 - best effort after a failure that is being reported
        pass


def _abandon(conn: Connection, result: sa.CursorResult[Any]) -> None:
    """Drop the connection under a stream stopped early (a preview) instead of reading the rest of it."""
    pending = getattr(result.cursor, "_result", None)
    if pending is not None and hasattr(pending, "unbuffered_active"):
        # pymysql would otherwise read every remaining row when the cursor is closed or collected.
        pending.unbuffered_active = False
        result.cursor._result = None  # type: ignore[attr-defined]  # pymysql's own buffer
    conn.invalidate()
