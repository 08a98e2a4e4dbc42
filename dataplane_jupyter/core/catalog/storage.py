"""Our own files (datasets as Parquet, statistics, image folders) under one fsspec root."""

from __future__ import annotations

import posixpath
from typing import IO, Any

import fsspec
import pyarrow as pa
import pyarrow.fs as pafs
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

    def open_arrow(self, relative: str) -> pa.NativeFile:
        """A stored file opened for reading by Arrow (Parquet): on local storage a native Arrow
        file, so that Arrow's IO threads never call into Python file objects (those calls, still
        parked when the interpreter exits, aborted the process); elsewhere the fsspec file."""
        return self.arrow_filesystem().open_input_file(self.path(relative))

    def arrow_filesystem(self) -> pafs.FileSystem:
        """The storage as an Arrow filesystem: Arrow's own for local folders, fsspec's wrapped else."""
        if isinstance(self.fs, LocalFileSystem):
            return pafs.LocalFileSystem()
        return pafs.PyFileSystem(pafs.FSSpecHandler(self.fs))

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


def remove_staged_source(params: dict[str, Any]) -> None:
    """Delete an import job's staged files (``params["location"]``, or each of
    ``params["locations"]``) when the job owns them (``params["delete_source"]``): dataset,
    npy-files and image-folder imports alike."""
    if params.get("delete_source"):
        for location in params.get("locations") or [params["location"]]:
            fs, path = url_to_fs(location)
            if fs.exists(path):
                fs.rm(path)
