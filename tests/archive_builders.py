"""Archives, images and arrays that the tests build themselves (nothing is downloaded)."""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (32, 24), mode: str = "RGB", color: object = (200, 30, 30)) -> bytes:
    """A small image in memory."""
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def npy_bytes(array: np.ndarray, *, fortran: bool = False) -> bytes:
    """An array saved as .npy (Fortran order on request)."""
    out = io.BytesIO()
    np.save(out, np.asfortranarray(array) if fortran else array)
    return out.getvalue()


def make_zip(path: Path, entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip holding `entries` (name → bytes)."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def add_symlink(path: Path, name: str, target: str) -> Path:
    """Append a symbolic-link entry (as Info-ZIP stores them) to a zip."""
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    info.create_system = 3
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(info, target)
    return path


def make_lying_zip(path: Path, name: str, data: bytes, claimed_size: int) -> Path:
    """A one-entry zip whose headers claim `claimed_size` uncompressed bytes instead of the truth."""
    make_zip(path, {name: data})
    raw = bytearray(path.read_bytes())
    local = raw.index(b"PK\x03\x04")
    struct.pack_into("<I", raw, local + 22, claimed_size)
    central = raw.index(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, claimed_size)
    path.write_bytes(bytes(raw))
    return path
