"""What the file kinds (ftp, sftp, s3, gcp bucket) share: an fsspec filesystem and streaming CSV reading."""

from __future__ import annotations

import csv
import io
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from dataplane_jupyter.core.connectors.base import ConnectorKind, Field, redact
from dataplane_jupyter.core.errors import DataplaneError, InvalidInput

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

    def _safe(self, exc: BaseException, config: Mapping[str, Any], secrets: Mapping[str, Any],
              locator: Mapping[str, Any]) -> DataplaneError:
        error = self.explain(exc, config, locator, timeout=OPEN_TIMEOUT)
        error.message = redact(error.message, secrets)
        error.args = (error.message,)
        return error


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
        stream = io.BufferedReader(_Prefixed(head, file))  # type: ignore[arg-type]
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
