"""Reading zip archives users upload, safely.

Every entry name is checked before anything is written: absolute paths, drive letters, `..`
segments and symbolic links are refused (the whole archive is, naming the entry). Sizes in
the zip headers are never trusted: bytes are counted while they are decompressed, and the
extraction stops as soon as the total passes `ZipLimits.max_total_bytes` (never more than
most of the free disk) or an entry inflates more than `ZipLimits.max_ratio` times its
compressed size — the signature of a zip bomb.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import posixpath
import shutil
import stat
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import IO, Any, BinaryIO, Iterator

import fsspec

from dataplane_jupyter.core.errors import InvalidInput
from dataplane_jupyter.core.limits import Limits, human

CHUNK = 1 << 20
#: Folders and files that archivers add and nobody means to import.
NOISE_PREFIXES = ("__MACOSX/",)
NOISE_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")
NPY_SUFFIX = ".npy"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class ZipLimits:
    """Refusal thresholds; `ratio_floor` bytes may inflate freely (tiny files compress a lot)."""

    max_total_bytes: int = 20 << 30
    max_ratio: float = 200.0
    ratio_floor: int = 4 << 20
    max_entries: int = 1_000_000

    @classmethod
    def from_env(cls) -> "ZipLimits":
        """Defaults, overridden by DATAPLANE_MAX_DECOMPRESSED_BYTES / DATAPLANE_MAX_DECOMPRESSION_RATIO
        (or their older names DATAPLANE_ZIP_MAX_BYTES / DATAPLANE_ZIP_MAX_RATIO)."""
        limits = Limits.from_env()
        return cls(max_total_bytes=limits.max_decompressed_bytes, max_ratio=limits.max_ratio)


def is_zip(location: str, head: bytes | None = None) -> bool:
    """A zip by its first bytes (when given) or else by its suffix."""
    if head is not None:
        return head[:4] in ZIP_MAGIC
    return location.lower().endswith(".zip")


def is_noise(name: str) -> bool:
    """macOS resource forks, Finder/Explorer files and hidden files."""
    base = posixpath.basename(name.rstrip("/"))
    return name.startswith(NOISE_PREFIXES) or base in NOISE_NAMES or base.startswith("._")


def safe_name(info: zipfile.ZipInfo, archive: str) -> str:
    """The entry's relative POSIX path; InvalidInput for anything that could escape a folder."""
    raw = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise InvalidInput(f"{archive}: entry {raw!r} is a symbolic link; links are refused.")
    parts = raw.replace("\\", "/").split("/")
    if raw.startswith(("/", "\\")) or (parts and len(parts[0]) == 2 and parts[0][1] == ":"):
        raise InvalidInput(f"{archive}: entry {raw!r} has an absolute path; only relative paths are accepted.")
    if ".." in parts:
        raise InvalidInput(f"{archive}: entry {raw!r} points outside the archive folder ('..').")
    if "\x00" in raw:
        raise InvalidInput(f"{archive}: entry {raw!r} has a NUL character in its name.")
    return "/".join(p for p in parts if p not in ("", "."))


class SafeZip:
    """An uploaded zip: checked entry names, and extraction that counts what it inflates."""

    def __init__(self, source: str | os.PathLike[str] | BinaryIO, archive: str, limits: ZipLimits | None = None,
                 *, room: int | None = None) -> None:
        self.archive = archive
        self.limits = limits or ZipLimits.from_env()
        if room is not None:  # never fill the disk: keep a tenth of its free space
            self.limits = replace(self.limits, max_total_bytes=min(self.limits.max_total_bytes, int(room * 0.9)))
        try:
            self.zip = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError) as error:
            raise InvalidInput(f"{archive} is not a readable zip file ({error}).") from None
        self.entries = self._check_entries()
        self.written = 0

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _check_entries(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise InvalidInput(f"{self.archive} has {len(infos):,} entries, more than the {self.limits.max_entries:,} accepted.")
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = safe_name(info, self.archive)
            if info.is_dir() or not name or is_noise(info.filename):
                continue
            if info.flag_bits & 0x1:
                raise InvalidInput(f"{self.archive}: entry {info.filename!r} is encrypted; upload an unencrypted zip.")
            entries[name] = info
        declared = sum(i.file_size for i in entries.values())
        if declared > self.limits.max_total_bytes:
            raise InvalidInput(self._too_big(declared))
        return entries

    def _too_big(self, size: int) -> str:
        return (
            f"{self.archive} expands to more than {_human(self.limits.max_total_bytes)} "
            f"({_human(size)} so far); it is refused (free disk space, or set DATAPLANE_MAX_DECOMPRESSED_BYTES "
            "to allow more)."
        )

    def names(self) -> list[str]:
        """Relative paths of the files (folders and archiver noise left out), in archive order."""
        return list(self.entries)

    def copy(self, name: str, out: IO[bytes], *, budget: int | None = None) -> int:
        """Stream one entry into `out`, counting bytes; InvalidInput on a bomb or corrupt data."""
        info = self.entries[name]
        limit = self.limits.max_total_bytes if budget is None else min(budget, self.limits.max_total_bytes)
        size = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if self.written + size > limit:
                        raise InvalidInput(self._too_big(self.written + size))
                    if size > self.limits.ratio_floor and size > self.limits.max_ratio * _consumed(stream, info):
                        raise InvalidInput(
                            f"{self.archive}: entry {info.filename!r} inflates more than "
                            f"{self.limits.max_ratio:g} times its compressed size: refused as a zip bomb."
                        )
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
            raise InvalidInput(f"{self.archive}: entry {info.filename!r} is corrupt ({error}).") from None
        self.written += size
        return size


#: Suffixes of single compressed files, and how to open them.
COMPRESSED: dict[str, Any] = {
    ".gz": lambda f: gzip.GzipFile(fileobj=f, mode="rb"), ".gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    ".bz2": lambda f: bz2.BZ2File(f, "rb"), ".xz": lambda f: lzma.LZMAFile(f, "rb"),
    ".lzma": lambda f: lzma.LZMAFile(f, "rb"),
}


class BoundedDecompression(io.RawIOBase):
    """The decompressed bytes of `compressed`, counted while they are read: InvalidInput as soon
    as they pass `limits.max_total_bytes` or `limits.max_ratio` times the compressed bytes
    consumed (past `limits.ratio_floor`) — the same bounds as a zip. Only seek(0) is offered."""

    def __init__(self, compressed: BinaryIO, opener: Any, source: str, limits: ZipLimits) -> None:
        super().__init__()
        self.compressed, self.opener, self.source, self.limits = compressed, opener, source, limits
        self.inner = opener(compressed)
        self.produced = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.produced

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("a decompressed stream can only go back to its start")
        self.compressed.seek(0)
        self.inner = self.opener(self.compressed)
        self.produced = 0
        return 0

    def readinto(self, buffer: Any) -> int:
        try:
            count = self.inner.readinto(buffer)
        except (OSError, EOFError, lzma.LZMAError) as error:
            raise InvalidInput(f"{self.source} is not a readable compressed file ({error}).") from None
        self.produced += count
        self._check()
        return count

    def _check(self) -> None:
        limits = self.limits
        if self.produced > limits.max_total_bytes:
            raise InvalidInput(
                f"{self.source} decompresses to more than {_human(limits.max_total_bytes)}; it is refused "
                "(set DATAPLANE_MAX_DECOMPRESSED_BYTES to allow more)."
            )
        consumed = max(self.compressed.tell(), 1)
        if self.produced > limits.ratio_floor and self.produced > limits.max_ratio * consumed:
            raise InvalidInput(
                f"{self.source} inflates more than {limits.max_ratio:g} times its compressed size "
                f"({_human(consumed)} became {_human(self.produced)}): refused as a decompression bomb "
                "(DATAPLANE_MAX_DECOMPRESSION_RATIO sets the ratio)."
            )

    def close(self) -> None:
        self.inner.close()
        super().close()


@contextmanager
def open_bounded(location: str, source: str, *, room: int | None = None) -> Iterator[BinaryIO]:
    """Open a file to import; a compressed one (.gz, .bz2, .xz) is decompressed with the bounds
    of `BoundedDecompression` (at most 90 % of `room` bytes when given). Every reader of
    uploaded files opens them through this function."""
    opener = COMPRESSED.get(posixpath.splitext(location.lower())[1])
    with fsspec.open(location, "rb") as raw:
        if opener is None:
            yield raw
            return
        limits = ZipLimits.from_env()
        if room is not None:
            limits = replace(limits, max_total_bytes=min(limits.max_total_bytes, int(room * 0.9)))
        with BoundedDecompression(raw, opener, source, limits) as stream:
            yield io.BufferedReader(stream, CHUNK)


def free_bytes(storage: Any) -> int | None:
    """Free disk space under a local storage root (None for remote storage)."""
    try:
        return shutil.disk_usage(storage.root).free if "file" in _protocols(storage.fs) else None
    except OSError:
        return None


def _protocols(fs: Any) -> tuple[str, ...]:
    return tuple(fs.protocol) if isinstance(fs.protocol, (tuple, list)) else (fs.protocol,)


def _consumed(stream: IO[bytes], info: zipfile.ZipInfo) -> int:
    """Compressed bytes read so far (what was really consumed, whatever the header claims)."""
    left = getattr(stream, "_compress_left", None)
    used = info.compress_size - left if isinstance(left, int) else info.compress_size
    return max(used, 1)


def suffix(name: str) -> str:
    """Lower-case suffix of an entry name."""
    return posixpath.splitext(name)[1].lower()


def _human(size: int) -> str:
    return human(size)
