"""What the file kinds (ftp, sftp, s3, gcp bucket) share: an fsspec filesystem and streaming CSV reading."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO, ClassVar

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dataplane_jupyter.core.connectors.base import (
    Address,
    ConnectorKind,
    DestinationExists,
    Field,
    FileFormat,
    WriteMode,
    WriteResult,
    check_file_format,
    check_mode,
    from_source,
    redact,
    reraise_write_failure,
    stamped,
)
from dataplane_jupyter.core.datasets.csv_cells import csv_batch, csv_schema
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput, UpstreamError

SNIFF_BYTES = 64 * 1024
OPEN_TIMEOUT = 30.0

CSV_OPTIONS = (
    Field("separator", description="column separator; detected from the file when empty"),
    Field("encoding", description="text encoding; utf-8 (or latin-1 when that fails) when empty"),
)


class FileConnector(ConnectorKind):
    """A kind whose datasources are CSV files on an fsspec filesystem."""

    @abstractmethod
    def filesystem(self, config: Mapping[str, Any], secrets: Mapping[str, Any], *, timeout: float) -> Any:
        """A logged-in fsspec filesystem; raises a DataplaneError with a plain message."""

    @abstractmethod
    def address(self, config: Mapping[str, Any]) -> Address:
        """Where the kind connects, for messages."""

    @abstractmethod
    def remote_path(self, locator: Mapping[str, Any]) -> str:
        """The fsspec path of the file the locator names."""

    @abstractmethod
    def explain(self, exc: BaseException, config: Mapping[str, Any], locator: Mapping[str, Any],
                *, timeout: float) -> DataplaneError:
        """Translate a client-library exception about the locator into a plain message."""

    def open_file(self, config: Mapping[str, Any], secrets: Mapping[str, Any],
                  locator: Mapping[str, Any]) -> BinaryIO:
        """A streaming binary file object on the remote CSV; the caller closes it."""
        self.validate_locator(locator)
        fs = self.filesystem(config, secrets, timeout=OPEN_TIMEOUT)
        try:
            if fs.isdir(self.remote_path(locator)):
                raise InvalidInput(f"{self.describe(locator)} is a folder, not a file", field="path")
            return fs.open(self.remote_path(locator), "rb")
        except DataplaneError:
            raise
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self._safe(exc, config, secrets, locator) from None

    def iter_batches(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
                     *, batch_rows: int = 50_000) -> Iterator[pa.RecordBatch]:
        """The CSV file parsed in batches of at most `batch_rows` rows while it downloads."""
        with self.open_file(config, secrets, locator) as file:
            try:
                yield from csv_batches(file, name=self.describe(locator), batch_rows=batch_rows,
                                       separator=locator.get("separator"), encoding=locator.get("encoding"))
            except DataplaneError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise self._safe(exc, config, secrets, locator) from None

    # -- writing (exporters) ----------------------------------------------------------------
    def location(self, config: Mapping[str, Any], path: str) -> str:
        """Where `path` is, for people: a URL without credentials."""
        address = self.address(config)
        return f"{self.kind}://{address.host}:{address.port}{path}"

    def staging_path(self, path: str) -> str | None:
        """Where to write before renaming to `path`; None when uploads only appear once complete (S3, GCS)."""
        return f"{path}.partial-{uuid.uuid4().hex[:12]}"

    def check_destination(self, fs: Any, path: str, config: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """Raise when the export cannot go there: folders are never created (as the platform did)."""
        folder = path.rsplit("/", 1)[0] or "/"
        if not fs.isdir(folder):
            raise UpstreamError(f"Folder '{folder}' does not exist on {self.address(config)}", field="path")

    def write(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any],
              batches: Iterable[pa.RecordBatch], *, schema: pa.Schema, mode: WriteMode = "timestamp",
              now: dt.datetime | None = None, file_format: FileFormat = "csv") -> WriteResult:
        """Write a CSV (or Parquet) file; under a temporary name first where uploads are visible while they run."""
        self.validate_locator(locator)
        check_mode(mode)
        check_file_format(file_format)
        path = self.remote_path(locator)
        path = stamped(path, now) if mode == "timestamp" else path
        target = {**locator, "path": path.split("/", 1)[1] if locator.get("bucket") else path}
        fs = self.filesystem(config, secrets, timeout=OPEN_TIMEOUT)
        staging = self.staging_path(path)
        try:
            self.check_destination(fs, path, config, target)
            self._refuse_existing(fs, path, mode, config, target)
            if file_format == "parquet":
                rows = write_parquet(fs, staging or path, from_source(batches), schema)
            else:
                rows = write_csv(fs, staging or path, from_source(batches), schema,
                                 separator=locator.get("separator") or ",")
            if staging:
                self._refuse_existing(fs, path, mode, config, target)
                if fs.exists(path):
                    fs.rm(path)
                fs.mv(staging, path)
        except BaseException as exc:  # noqa: BLE001 - cleaned up, then re-raised by reraise_write_failure
            _remove_quietly(fs, staging)
            reraise_write_failure(exc, lambda error: self._safe(error, config, secrets, target, writing=True))
        return WriteResult(self.location(config, path), rows)

    def remove(self, config: Mapping[str, Any], secrets: Mapping[str, Any], locator: Mapping[str, Any]) -> None:
        """Delete the file the locator names."""
        self.validate_locator(locator)
        fs = self.filesystem(config, secrets, timeout=OPEN_TIMEOUT)
        try:
            fs.rm(self.remote_path(locator))
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self._safe(exc, config, secrets, locator, writing=True) from None

    def _refuse_existing(self, fs: Any, path: str, mode: str, config: Mapping[str, Any],
                         locator: Mapping[str, Any]) -> None:
        if mode != "overwrite" and fs.exists(path):
            raise DestinationExists(f"{self.describe(locator)} already exists on {self.address(config)}: "
                                    f"export cancelled (mode '{mode}')", field="path")

    def _safe(self, exc: BaseException, config: Mapping[str, Any], secrets: Mapping[str, Any],
              locator: Mapping[str, Any], *, writing: bool = False) -> DataplaneError:
        error = self.explain(exc, config, locator, timeout=OPEN_TIMEOUT)
        error.message = redact(error.message, secrets)
        if writing and "permission" in error.message:
            # The kinds word permission failures for reading (datasources); say what was refused.
            error.message = re.sub(r"\bread\b", "write to", error.message, count=1)
        error.args = (error.message,)
        return error


class ServerFileConnector(FileConnector):
    """A file server one logs in to (FTP, SFTP): a host and a port, and datasources that are CSV
    files named by their full path from the server's root folder."""

    default_port: ClassVar[int]
    locator_fields = (
        Field("path", required=True, description="full path of a CSV file from the server's root, e.g. /exports/sales.csv"),
        *CSV_OPTIONS,
    )

    def address(self, config: Mapping[str, Any]) -> Address:
        return Address(f"{self.label} server", str(config.get("host", "")), int(config.get("port") or self.default_port))

    def remote_path(self, locator: Mapping[str, Any]) -> str:
        return "/" + str(locator["path"]).lstrip("/")

    def list_root(self, fs: Any, config: Mapping[str, Any], *, timeout: float) -> list[str]:
        """The names in the server's root folder (how a test proves the login works)."""
        try:
            return fs.ls("/", detail=False)
        except Exception as exc:  # noqa: BLE001 - every library failure becomes a plain message
            raise self.explain(exc, config, {"path": "/"}, timeout=timeout) from None


def server_fields(protocol: str, port: int) -> tuple[Field, Field]:
    """The `host` and `port` fields of a ServerFileConnector."""
    return (
        Field("host", required=True, description="server name or IP address"),
        Field("port", kind="int", default=port, description=f"{protocol} port, usually {port}"),
    )


def write_csv(fs: Any, path: str, batches: Iterable[pa.RecordBatch], schema: pa.Schema, *, separator: str) -> int:
    """Stream record batches into a UTF-8 CSV file with a header; returns the number of rows.

    Binary cells are written as base64, list/struct/map cells as JSON (`core.datasets.csv_cells`)."""
    options = pacsv.WriteOptions(delimiter=separator)
    return _stream(fs, path, lambda out: pacsv.CSVWriter(out, csv_schema(schema), write_options=options),
                   map(csv_batch, batches))


def write_parquet(fs: Any, path: str, batches: Iterable[pa.RecordBatch], schema: pa.Schema) -> int:
    """Stream record batches into a Parquet file; returns the number of rows."""
    return _stream(fs, path, lambda out: pq.ParquetWriter(out, schema), batches)


def _stream(fs: Any, path: str, open_writer: Callable[[Any], Any], batches: Iterable[pa.RecordBatch]) -> int:
    """Write the batches through the writer `open_writer` makes on the new file; returns the
    number of rows. A failure part-way leaves no partial file behind."""
    rows = 0
    out = fs.open(path, "wb")
    try:
        writer = open_writer(out)
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
        writer.close()
    except BaseException:
        _abort(out)
        raise
    out.close()
    return rows


def _abort(out: Any) -> None:
    """Drop a half-written file: closing it would publish it (S3 and GCS complete the upload on close)."""
    try:
        if hasattr(out, "discard") and hasattr(out, "buffer"):
            out.discard()
        else:
            out.close()
    except Exception:  # noqa: BLE001, S110 - best effort; the writer removes its staging file afterwards
        pass
    finally:
        if hasattr(out, "buffer"):
            out.closed = True


def _remove_quietly(fs: Any, path: str | None) -> None:
    if path:
        try:
            if fs.exists(path):
                fs.rm(path)
        except Exception:  # noqa: BLE001, S110 - best effort after a failure that is being reported
            pass


def sniff(head: bytes, separator: str | None, encoding: str | None) -> tuple[str, str]:
    """The (separator, encoding) of a CSV file from its first bytes, unless given."""
    if not encoding:
        try:
            head[: max(len(head) - 4, 0)].decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "latin-1"
    if not separator:
        text = head.decode(encoding, errors="replace")
        sample = "\n".join(text.splitlines()[:50])
        try:
            separator = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            separator = ","
    return separator, encoding


def csv_batches(file: BinaryIO, *, name: str, batch_rows: int, separator: str | None = None,
                encoding: str | None = None) -> Iterator[pa.RecordBatch]:
    """Parse a CSV stream with pyarrow's streaming reader, re-cut into batches of at most `batch_rows`."""
    head = file.read(SNIFF_BYTES)
    separator, encoding = sniff(head, separator, encoding)
    lines = max(head.count(b"\n"), 1)
    block = min(max(len(head) // lines * batch_rows, 1 << 16), 64 << 20)
    try:
        file.seek(0)
        stream: Any = file
    except (OSError, ValueError, io.UnsupportedOperation):
        stream = io.BufferedReader(_Prefixed(head, file))
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=block, encoding=encoding),
            parse_options=pacsv.ParseOptions(delimiter=separator),
        )
        for batch in reader:
            for start in range(0, batch.num_rows, batch_rows):
                yield batch.slice(start, batch_rows)
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            raise InvalidInput(f"{name} is empty", field="path") from None
        raise InvalidInput(f"{name} is not a readable CSV file: {exc}", field="path") from None


class _Prefixed(io.RawIOBase):
    """A non-seekable stream with the bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
