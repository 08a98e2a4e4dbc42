"""Image folders: the collection and its records (folders), their import job (folder_import), their
REST models (models) and reading images (imaging).

The main names are importable from the package (`from dataplane_jupyter.core.images import ImageFolder`);
they load on first use, so importing one module of the folder does not import the others.

Images and tensors made ready for a model (issue #17):
- `features`: per-column Transformation / Color mode options, their defaults and versions;
- `transform`: applying them to one image with Pillow;
- `columns`: a dataset column or an image folder as options + arrays;
- `tensors`: fixed-size float32 arrays out of image and tensor columns (`to_numpy`, `iter_batches`);
- `remote`: gs:// and s3:// images fetched through the project's connectors or anonymously;
- `previews`: original vs transformed thumbnails, tensor views by dimension;
- `npy_files`: several .npy files imported as one dataset;
- `feature_models`: the REST bodies of the feature routes.
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
