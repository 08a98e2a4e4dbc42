"""Image folders: the collection and its records (folders), their import job (folder_import), their
REST models (models) and reading images (imaging).

The main names are importable from the package (`from dataplane_jupyter.core.images import
ImageFolder`); they load on first use (lazy_loader reads them from `__init__.pyi`), so importing one
module of the folder does not import the others.

Images and tensors made ready for a model (issue #17): - `features`: per-column Transformation /
Color mode options, their defaults and versions; - `transform`: applying them to one image with
Pillow; - `columns`: a dataset column or an image folder as options + arrays; - `tensors`:
fixed-size float32 arrays out of image and tensor columns (`to_numpy`, `iter_batches`); - `remote`:
gs:// and s3:// images fetched through the project's connectors or anonymously; - `previews`:
original vs transformed thumbnails, tensor views by dimension; - `npy_files`: several .npy files
imported as one dataset; - `feature_models`: the REST bodies of the feature routes.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
