"""Our own files (datasets as Parquet, statistics, image folders) under one fsspec root."""

from __future__ import annotations

import posixpath
from typing import IO, Any

import fsspec
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from dataplane_jupyter.core.errors import InvalidInput


class Storage:
    """A folder addressed by an fsspec URL; every path we touch is checked to stay inside it."""

    def __init__(self, url: str, **storage_options: Any) -> None:
        self.url = url
        self.fs, root = url_to_fs(url, **storage_options)
        self.root = root.rstrip("/")
        if isinstance(self.fs, LocalFileSystem):
            self.fs.makedirs(self.root, exist_ok=True)

    def path(self, *parts: str) -> str:
        """The full path of a relative location; refuses anything that would escape the root."""
        relative = posixpath.normpath(posixpath.join(*parts)) if parts else "."
        if relative.startswith(("/", "..")) or "/../" in f"/{relative}/":
            raise InvalidInput(f"Path {posixpath.join(*parts)!r} would leave the storage root.")
        return self.root if relative == "." else f"{self.root}/{relative}"

    def open(self, relative: str, mode: str = "rb") -> IO[Any]:
        """Open a stored file (parent folders are created for writing)."""
        full = self.path(relative)
        if "w" in mode:
            self.fs.makedirs(posixpath.dirname(full), exist_ok=True)
        return self.fs.open(full, mode)

    def writable_path(self, *parts: str) -> str:
        """The full path of a file about to be written; its folder is created."""
        full = self.path(*parts)
        self.fs.makedirs(posixpath.dirname(full), exist_ok=True)
        return full

    def exists(self, relative: str) -> bool:
        """True when the stored file or folder exists."""
        return bool(self.fs.exists(self.path(relative)))

    def size(self, relative: str) -> int:
        """Total bytes under a stored file or folder."""
        full = self.path(relative)
        return int(self.fs.du(full)) if self.fs.isdir(full) else int(self.fs.size(full))

    def remove(self, relative: str) -> None:
        """Delete a stored file or folder (missing is fine)."""
        full = self.path(relative)
        if self.fs.exists(full):
            self.fs.rm(full, recursive=True)

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """The fsspec filesystem, for libraries that take one (pyarrow, pandas)."""
        return self.fs
