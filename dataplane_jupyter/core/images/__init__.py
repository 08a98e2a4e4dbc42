"""Image folders: the collection and its records (folders), their import job (folder_import), their
REST models (models) and reading images (imaging).

The main names are importable from the package (`from dataplane_jupyter.core.images import ImageFolder`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplane_jupyter.core.images.folders import ImageFolder, ImageFolders

_EXPORTS = {
    "ImageFolder": "folders",
    "ImageFolders": "folders",
}
__all__ = ["ImageFolder", "ImageFolders"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
