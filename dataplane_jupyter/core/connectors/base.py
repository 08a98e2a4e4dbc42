"""The shape every connector kind shares, and the helpers that turn failures into plain messages.

A kind is stateless: every call gets `config` (the non-secret fields), `secrets` (the secret ones,
decrypted by the catalog) and, for datasource calls, a `locator`. Nothing here logs, stores or
repeats a secret: every message goes through `redact` before it leaves a kind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import socket
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar, Literal, NoReturn, TypeVar, cast

import pyarrow as pa

from dataplane_jupyter.core.errors import (
    AlreadyExists,
    DataplaneError,
    InvalidInput,
    InvalidState,
    UpstreamError,
)

T = TypeVar("T")
SourceShape = Literal["file", "table"]


@dataclass(frozen=True)
class Field:
    """One form field of a connector (or of a datasource locator)."""

    name: str
    secret: bool = False
    required: bool = False
    description: str = ""
    kind: Literal["str", "int", "bool", "text", "file"] = "str"
    default: str | int | bool | None = None
    # (value, label) pairs a form offers in a dropdown (other values stay accepted)
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TestResult:
    """The answer of a connection or datasource test: `message` names the cause when `ok` is false."""

    __test__ = False  # not a pytest test class
    ok: bool
    message: str


WriteMode = Literal["timestamp", "cancel", "overwrite"]
WRITE_MODES: tuple[str, ...] = ("timestamp", "cancel", "overwrite")
FileFormat = Literal["csv", "parquet"]
FILE_FORMATS: tuple[str, ...] = ("csv", "parquet")
PROBE_PREFIX = "dp_probe_"


@dataclass(frozen=True)
class WriteResult:
    """What an export wrote: `location` names it without credentials (e.g. s3://bucket/key)."""

    location: str
    rows: int


class DestinationExists(AlreadyExists):
    """The export's destination exists and the exporter's mode is "cancel": nothing was written."""


class MissingDependency(DataplaneError):
    """The client library a connector kind needs is not installed; the message says what to install."""


@dataclass(frozen=True)
class Address:
    """Where a kind connects, for messages: `service` reads like "FTP server"."""

    service: str
    host: str
    port: int | None

    def __str__(self) -> str:
        return f"{self.service} {self.host}:{self.port}" if self.port else f"{self.service} {self.host}"

    def refused(self) -> UpstreamError:
        return UpstreamError(
            f"Nothing is listening on {self.host}:{self.port} (connection refused): "
            f"check the host and port of the {self.service}", field="port")

    def unknown_host(self) -> UpstreamError:
        return UpstreamError(f"Unknown host '{self.host}': the name does not resolve", field="host")

    def timed_out(self, timeout: float) -> UpstreamError:
        return UpstreamError(f"{self} did not answer within {timeout:g} s", field="host")

    def login_refused(self, username: str | None) -> UpstreamError:
        return UpstreamError(
            f"{self} refused the login for user '{username or ''}': wrong username or password",
            field="password")


def redact(text: str, secrets: Mapping[str, Any]) -> str:
    """`text` with every secret value (and each line of multi-line ones) replaced by ***."""
    for value in secrets.values():
        if not isinstance(value, str):
            continue
        for piece in {value, *value.splitlines()}:
            if len(piece.strip()) >= 4:
                text = text.replace(piece.strip(), "***")
    return text


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised from or during, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)


def network_error(exc: BaseException, address: Address, timeout: float) -> UpstreamError | None:
    """The plain message for a refused port, unknown host or timeout anywhere in `exc`'s chain."""
    for cause in causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return address.refused()
        if isinstance(cause, socket.gaierror):
            return address.unknown_host()
        if isinstance(cause, TimeoutError | socket.timeout):
            return address.timed_out(timeout)
        if isinstance(cause, ConnectionResetError | BrokenPipeError | EOFError):
            return UpstreamError(f"{address} closed the connection unexpectedly: the server stopped "
                                 "or the network was cut")
    return None


def probe(address: Address, timeout: float) -> None:
    """Open and close one TCP connection, so refused ports and unknown hosts get their own message."""
    if address.port is None:
        return
    try:
        socket.create_connection((address.host, address.port), timeout=timeout).close()
    except OSError as exc:
        raise network_error(exc, address, timeout) or UpstreamError(f"Cannot reach {address}: {exc}") from None


def bounded(call: Callable[[], T], timeout: float, what: str, *, grace: float = 0.0) -> T:
    """Run `call` in a helper thread and give up after `timeout` (+ `grace`) seconds.

    For libraries that ignore their timeouts: the helper thread is abandoned, not killed.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=target, name="connector-check", daemon=True)
    worker.start()
    worker.join(timeout + grace)
    if worker.is_alive():
        raise UpstreamError(f"{what} did not answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def require(module: str, kind: str, extra: str) -> Any:
    """Import a client library, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0].replace("_", "-")
        raise MissingDependency(
            f"the {kind} connector needs {package}: pip install 'dataplane_jupyter[{extra}]'") from None


class ConnectorKind(ABC):
    """One kind of external system. Subclasses declare their fields and implement the abstract methods."""

    kind: ClassVar[str]
    label: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    locator_fields: ClassVar[tuple[Field, ...]]

    def __repr__(self) -> str:
        return f"<connector kind {self.kind!r}>"

    # -- validation -------------------------------------------------------------------------
    def split(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Split user-given field values into (config, secrets), rejecting unknown names."""
        by_name = {f.name: f for f in self.fields}
        unknown = sorted(set(values) - set(by_name))
        if unknown:
            raise InvalidInput(
                f"{self.label} connectors have no field {unknown[0]!r}; known fields: {', '.join(by_name)}",
                field=unknown[0])
        config = {k: v for k, v in values.items() if not by_name[k].secret and v is not None}
        secrets = {k: v for k, v in values.items() if by_name[k].secret and v is not None}
        return config, secrets

    def validate(self, config: Mapping[str, Any], secrets: Mapping[str, Any]) -> None:
        """Raise InvalidInput naming the first missing or malformed connector field."""
        _check_fields(self.fields, {**config, **secrets}, f"a {self.label} connector")

    def validate_locator(self, locator: Mapping[str, Any]) -> None:
        """Raise InvalidInput naming the first missing or malformed locator field."""
        _check_fields(self.locator_fields, locator, f"a {self.label} datasource")

    def describe(self, locator: Mapping[str, Any]) -> str:
        """A short human name for what the locator points at, e.g. "table 'sales'"."""
        parts = [f"{f.name} {locator[f.name]!r}" for f in self.locator_fields if locator.get(f.name)]
        return ", ".join(parts) or "nothing"

    def shape(self, locator: Mapping[str, Any]) -> SourceShape:
        """Whether the locator names a file (read with `open_file`) or a table (`iter_batches`)."""
        return "file"

    # -- tests ------------------------------------------------------------------------------
    def test(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float = 10) -> TestResult:
        """Check the address and the credentials within `timeout` seconds; never raises."""
        return self._result(lambda: self.check(config, secrets, timeout=timeout), secrets, timeout)

    def test_locator(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                     *, timeout: float = 10) -> TestResult:
        """Check that a datasource can be read (its first row), within `timeout` seconds; never raises."""

        def check() -> str:
            table = self.preview(config, secrets, locator, rows=1)
            return f"Read {self.describe(locator)}: {table.num_columns} columns"

        return self._result(check, secrets, timeout)

    def _result(self, check: Callable[[], str], secrets: Mapping[str, Any], timeout: float) -> TestResult:
        try:
            # The grace lets the library's own timeout report first: its message is more specific.
            message = bounded(check, timeout, f"The {self.label} server", grace=2)
        except DataplaneError as exc:
            return TestResult(False, redact(exc.message, secrets))
        except Exception as exc:  # noqa: BLE001 - a test reports, it does not raise
            return TestResult(False, redact(f"{self.label} test failed: {type(exc).__name__}: {exc}", secrets))
        return TestResult(True, redact(message, secrets))

    @abstractmethod
    def check(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> str:
        """Connect and log in; return a one-line success message or raise a DataplaneError."""

    # -- reading ----------------------------------------------------------------------------
    def preview(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                *, rows: int = 20) -> pa.Table:
        """Schema and first `rows` rows of the datasource."""
        batches: list[pa.RecordBatch] = []
        taken = 0
        # closing(): stop the download or server-side cursor now, not when the generator is collected.
        with contextlib.closing(cast("Generator[pa.RecordBatch, None, None]", self.iter_batches(config, secrets, locator, batch_rows=max(rows, 1)))) as stream:
            for batch in stream:
                batches.append(batch.slice(0, rows - taken))
                taken += batches[-1].num_rows
                if taken >= rows:
                    break
        if not batches:
            raise UpstreamError(f"{self.describe(locator)} has no columns")
        return pa.Table.from_batches(batches)

    def open_file(self, config: Mapping[str, Any], secrets: Mapping[str, Any],
                  locator: Mapping[str, Any]) -> BinaryIO:
        """A streaming binary file object on the remote file; the caller closes it."""
        raise InvalidState(f"{self.describe(locator)} is a table, not a file: read it with iter_batches")

    @abstractmethod
    def iter_batches(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                     *, batch_rows: int = 50_000) -> Iterator[pa.RecordBatch]:
        """The datasource's rows in batches of at most `batch_rows`, never all of them in memory."""

    # -- writing (exporters) ----------------------------------------------------------------
    def validate_destination(self, locator: Mapping[str, Any]) -> None:
        """Raise InvalidInput naming the first unknown, missing or malformed field of an export destination."""
        self._destination_fields(locator)
        self.validate_locator(locator)

    def _destination_fields(self, locator: Mapping[str, Any]) -> None:
        known = [f.name for f in self.locator_fields]
        unknown = sorted(set(locator) - set(known))
        if unknown:
            raise InvalidInput(f"{self.label} exporters have no field {unknown[0]!r}; known fields: "
                               f"{', '.join(n for n in known if n != 'query')}", field=unknown[0])
        if locator.get("query"):
            raise InvalidInput("an exporter writes a table or a file, not a query: remove 'query'", field="query")

    def write(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
              batches: Iterable[pa.RecordBatch], *, schema: pa.Schema, mode: WriteMode = "timestamp",
              now: dt.datetime | None = None, file_format: FileFormat = "csv") -> WriteResult:
        """Write the batches to the locator's destination (a CSV or Parquet file, or a table).

        `mode`: "timestamp" adds the time to the name, "cancel" raises DestinationExists when the
        destination exists, "overwrite" replaces it. Nothing appears under the final name unless
        every row was written. `file_format` only matters to destinations that are files.
        """
        raise InvalidState(f"{self.label} connectors cannot write")

    def remove(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """Delete the file or table a destination names (used to clean up the writability probe)."""
        raise InvalidState(f"{self.label} connectors cannot remove what they wrote")

    def probe_locator(self, locator: Mapping[str, Any]) -> dict[str, Any]:
        """A destination next to `locator` (same folder, bucket, schema or dataset) that nobody uses."""
        name = f"{PROBE_PREFIX}{uuid.uuid4().hex[:12]}"
        if locator.get("path"):
            folder, slash, _ = str(locator["path"]).rpartition("/")
            return {**locator, "path": f"{folder}{slash}{name}.csv"}
        owner, dot, _ = str(locator.get("table", "")).rpartition(".")
        return {**locator, "table": f"{owner}{dot}{name}"}

    def test_destination(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                         *, timeout: float = 20) -> TestResult:
        """Check that an exporter can write there: write a one-row probe next to it, then remove it.

        Never raises; the message names the cause (missing folder, bucket or dataset, no permission...).
        """
        schema = pa.schema([("probe", pa.int64())])

        def check() -> str:
            self.validate_destination(locator)
            probe_at = self.probe_locator(locator)
            written = self.write(config, secrets, probe_at, [pa.record_batch([[1]], schema=schema)],
                                 schema=schema, mode="overwrite")
            try:
                self.remove(config, secrets, probe_at)
            except DataplaneError as exc:
                raise UpstreamError(f"Wrote a test {self.describe(probe_at)} but could not remove it "
                                    f"({exc.message}): the exporter could write, not replace") from None
            thing = "file" if probe_at.get("path") else "table"
            return f"The exporter can write there: wrote and removed a test {thing}, {written.location}"

        return self._result(check, secrets, timeout)


class SourceFailure(Exception):
    """Raised inside a writer when the caller's batches failed; writers clean up, then re-raise `error`."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def reraise_write_failure(exc: BaseException, explain: Callable[[Exception], BaseException]) -> NoReturn:
    """After a writer cleaned up: the caller's own failure (from its batches) as it was, ours and
    interruptions unchanged, the remote system's explained by `explain`."""
    if isinstance(exc, SourceFailure):
        raise exc.error from None
    if isinstance(exc, DataplaneError) or not isinstance(exc, Exception):
        raise exc
    raise explain(exc) from None


def from_source(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The caller's batches, their failures wrapped so that they are not taken for the remote system's."""
    iterator = iter(batches)
    while True:
        try:
            batch = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - handed back unchanged by the writer
            raise SourceFailure(exc) from exc
        yield batch


def check_mode(mode: str) -> None:
    """Raise InvalidInput unless `mode` is an exporter mode."""
    if mode not in WRITE_MODES:
        raise InvalidInput(f"mode must be one of {', '.join(WRITE_MODES)}, got {mode!r}", field="mode")


def check_file_format(file_format: str) -> None:
    """Raise InvalidInput unless `file_format` is one exporters write."""
    if file_format not in FILE_FORMATS:
        raise InvalidInput(f"file_format must be one of {', '.join(FILE_FORMATS)}, got {file_format!r}",
                           field="file_format")


def stamped(name: str, now: dt.datetime | None, *, table: bool = False) -> str:
    """`name` with the time added, as the timestamp mode wants: sales.csv -> sales_2021-07-12T15:22:29.csv.

    Tables get sales_20210712_152229, a name no SQL dialect needs to quote.
    """
    now = now or dt.datetime.now()
    if table:
        return f"{name}_{now:%Y%m%d_%H%M%S}"
    folder, slash, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".") if "." in base.lstrip(".") else (base, "", "")
    return f"{folder}{slash}{stem}_{now:%Y-%m-%dT%H:%M:%S}{dot}{ext}"


def _check_fields(fields: tuple[Field, ...], values: Mapping[str, Any], what: str) -> None:
    for f in fields:
        value = values.get(f.name)
        if f.required and (value is None or value == ""):
            raise InvalidInput(f"{what} needs {f.name!r} ({f.description})", field=f.name)
        if value is not None and f.kind == "int":
            try:
                int(value)
            except (TypeError, ValueError):
                raise InvalidInput(f"{f.name!r} must be a whole number, got {value!r}", field=f.name) from None
