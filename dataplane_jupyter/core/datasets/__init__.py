"""Datasets: the collection and its records (datasets), where their files live (paths), imports of CSV,
zip and npy files (imports, zip_import, media_columns, npy), reading rows (rows) and writing cells
as CSV (csv_cells).

The main names are importable from the package (`from dataplane_jupyter.core.datasets import
Dataset`); they load on first use (lazy_loader reads them from `__init__.pyi`), so importing one
module of the folder does not import the others.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
