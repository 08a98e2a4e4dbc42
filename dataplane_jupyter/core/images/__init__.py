"""Image folders: the collection and its records (folders), their import job (folder_import), their
REST models (models) and reading images (imaging).

The main names are importable from the package (`from dataplane_jupyter.core.images import ImageFolder`);
they load on first use, so importing one module of the folder does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataplane_jupyter.core._lazy import lazy_exports

if TYPE_CHECKING:
    from dataplane_jupyter.core.images.folders import ImageFolder, ImageFolders

__all__ = ["ImageFolder", "ImageFolders"]
__getattr__ = lazy_exports(__name__, {
    "ImageFolder": "folders",
    "ImageFolders": "folders",
})
